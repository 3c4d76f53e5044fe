import type { Kysely } from 'kysely';
import { resolveLimit, type StageLimit } from '../../core/sla/limits.ts';
import type { DB } from '../../db/schema/index.ts';
import type { Stage, Urgency } from '../../db/schema/cases.ts';

export type { StageLimit };

/**
 * The time limit of one stage for a case (DESIGN §5), by the pure rule of `src/core/sla/limits.ts`.
 * Read from the database on every call, in the caller's transaction — no cache — so the next case gets
 * a limit an administrator has just changed.
 */
export async function resolveStageLimit(
  trx: Kysely<DB>,
  query: { categoryCode: string | null; urgency: Urgency; stage: Stage },
): Promise<StageLimit> {
  const { categoryCode, urgency, stage } = query;
  const codes = categoryCode ? [...new Set([categoryCode, categoryCode.slice(0, 2)])] : [];
  const rows = await trx
    .selectFrom('sla_policy')
    .select(['category_code', 'urgency', 'stage', 'amount', 'unit'])
    .where('stage', '=', stage)
    .where((eb) => eb.or([eb('urgency', 'is', null), eb('urgency', '=', urgency)]))
    .where((eb) =>
      codes.length > 0
        ? eb.or([eb('category_code', 'is', null), eb('category_code', 'in', codes)])
        : eb('category_code', 'is', null),
    )
    .execute();
  const categories =
    codes.length > 0 && stage === 'handle'
      ? await trx
          .selectFrom('categories')
          .select(['code', 'urgency', 'handle_amount', 'handle_unit'])
          .where('code', 'in', codes)
          .execute()
      : [];
  return resolveLimit(
    rows.map((r) => ({
      categoryCode: r.category_code,
      urgency: r.urgency,
      stage: r.stage,
      amount: r.amount,
      unit: r.unit,
    })),
    categories.map((c) => ({
      code: c.code,
      urgency: c.urgency,
      handleAmount: c.handle_amount,
      handleUnit: c.handle_unit,
    })),
    query,
  );
}
