import type { Kysely } from 'kysely';
import type { TimeUnit } from '../../core/calendar/deadline.ts';
import type { DB } from '../../db/schema/index.ts';
import type { Stage, Urgency } from '../../db/schema/cases.ts';

export interface StageLimit {
  amount: number;
  unit: TimeUnit;
  /** Where the limit came from, for the case detail ("default", "category 0501", …). */
  source: string;
}

/** Used only when the policy table has lost its default rows. */
const FALLBACK: Record<Urgency, StageLimit> = {
  normal: { amount: 1, unit: 'work_day', source: 'fallback' },
  urgent: { amount: 2, unit: 'urgent_hour', source: 'fallback' },
};

/**
 * The time limit of one stage for a case (DESIGN §5), most specific first:
 * 1. an sla_policy row for the 小类 (matching urgency before any urgency);
 * 2. for the handle stage, the category's own handling limit (小类, then 大类) — unless the case is
 *    urgent and the category is not, when the urgent default (clock hours) applies instead;
 * 3. an sla_policy row for the 大类;
 * 4. the default row for the urgency, then the default for any urgency.
 */
export async function resolveStageLimit(
  trx: Kysely<DB>,
  query: { categoryCode: string | null; urgency: Urgency; stage: Stage },
): Promise<StageLimit> {
  const { categoryCode, urgency, stage } = query;
  const codes = categoryCode ? [categoryCode, categoryCode.slice(0, 2)] : [];
  const rows = await trx
    .selectFrom('sla_policy')
    .select(['category_code', 'urgency', 'amount', 'unit'])
    .where('stage', '=', stage)
    .where((eb) => eb.or([eb('urgency', 'is', null), eb('urgency', '=', urgency)]))
    .where((eb) =>
      codes.length > 0
        ? eb.or([eb('category_code', 'is', null), eb('category_code', 'in', codes)])
        : eb('category_code', 'is', null),
    )
    .execute();
  const pick = (code: string | null): StageLimit | null => {
    const match =
      rows.find((r) => r.category_code === code && r.urgency === urgency) ??
      rows.find((r) => r.category_code === code && r.urgency === null);
    return match
      ? { amount: match.amount, unit: match.unit, source: code ? `policy ${code}` : 'default' }
      : null;
  };

  if (categoryCode) {
    const own = pick(categoryCode);
    if (own) return own;
    if (stage === 'handle') {
      const fromCategory = await categoryHandleLimit(trx, categoryCode, urgency);
      if (fromCategory) return fromCategory;
    }
    const parent = categoryCode.length === 4 ? pick(categoryCode.slice(0, 2)) : null;
    if (parent) return parent;
  }
  return pick(null) ?? FALLBACK[urgency];
}

async function categoryHandleLimit(
  trx: Kysely<DB>,
  code: string,
  urgency: Urgency,
): Promise<StageLimit | null> {
  const rows = await trx
    .selectFrom('categories')
    .select(['code', 'urgency', 'handle_amount', 'handle_unit'])
    .where('code', 'in', [code, code.slice(0, 2)])
    .execute();
  for (const c of [code, code.slice(0, 2)]) {
    const row = rows.find((r) => r.code === c);
    if (!row || row.handle_amount === null || row.handle_unit === null) continue;
    // an urgent report in a normal category runs on the urgent clock, not on working days
    if (urgency === 'urgent' && row.urgency !== 'urgent') return null;
    return { amount: row.handle_amount, unit: row.handle_unit, source: `category ${c}` };
  }
  return null;
}
