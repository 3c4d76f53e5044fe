import type { TimeUnit } from '../calendar/deadline.ts';
import { refusal } from '../errors.ts';
import type { Urgency } from '../workflow/snapshot.ts';
import { CLOCK_STAGES, type ClockStage } from '../workflow/states.ts';

/**
 * Stage time limits (DESIGN §5, the SLA policy): which limit a case's stage clock gets, and what an
 * administrator may set. Pure: the app layer loads the rows and asks.
 */

export const TIME_UNITS = [
  'urgent_hour',
  'work_hour',
  'work_day',
  'natural_day',
] as const satisfies readonly TimeUnit[];
export const LIMIT_STAGES = CLOCK_STAGES;

/** The largest limit per unit: a quarter of a year, whatever the unit counts. */
export const LIMIT_MAX: Record<TimeUnit, number> = {
  urgent_hour: 24 * 90,
  work_hour: 8 * 90,
  work_day: 90,
  natural_day: 90,
};
/** The smallest limit: one minute, in the unit's hours (days are at least a quarter hour of a day: 0.01). */
export const LIMIT_MIN: Record<TimeUnit, number> = {
  urgent_hour: 1 / 60,
  work_hour: 1 / 60,
  work_day: 0.01,
  natural_day: 0.01,
};

export interface StageLimit {
  amount: number;
  unit: TimeUnit;
  /** Where the limit came from: "default", "policy 0501" (a policy row), "category 0501" (its handling limit). */
  source: string;
}

/** A row of `sla_policy`: a category's (or, with null, the default) limit of one stage, for one urgency or any. */
export interface PolicyRow {
  categoryCode: string | null;
  urgency: Urgency | null;
  stage: ClockStage;
  amount: number;
  unit: TimeUnit;
}

/** The category facts the resolution reads: its urgency and its own handling limit (小类/大类). */
export interface CategoryLimitRow {
  code: string;
  urgency: Urgency;
  handleAmount: number | null;
  handleUnit: TimeUnit | null;
}

/** Used only when the policy has lost its default rows. */
const FALLBACK: Record<Urgency, StageLimit> = {
  normal: { amount: 1, unit: 'work_day', source: 'fallback' },
  urgent: { amount: 2, unit: 'urgent_hour', source: 'fallback' },
};

/**
 * The time limit of one stage for a case, most specific first:
 * 1. a policy row for the 小类 (matching urgency before any urgency);
 * 2. for the handle stage, the category's own handling limit (小类, then 大类) — unless the case is
 *    urgent and the category is not, when the urgent default (clock hours) applies instead;
 * 3. a policy row for the 大类;
 * 4. the default row for the urgency, then the default for any urgency.
 * `rows` and `categories` may hold more than the query needs.
 */
export function resolveLimit(
  rows: readonly PolicyRow[],
  categories: readonly CategoryLimitRow[],
  query: { categoryCode: string | null; urgency: Urgency; stage: ClockStage },
): StageLimit {
  const { categoryCode, urgency, stage } = query;
  const pick = (code: string | null): StageLimit | null => {
    const here = rows.filter((r) => r.stage === stage && r.categoryCode === code);
    const match = here.find((r) => r.urgency === urgency) ?? here.find((r) => r.urgency === null);
    return match
      ? { amount: match.amount, unit: match.unit, source: code ? `policy ${code}` : 'default' }
      : null;
  };
  if (categoryCode) {
    const own = pick(categoryCode);
    if (own) return own;
    if (stage === 'handle') {
      for (const c of [categoryCode, categoryCode.slice(0, 2)]) {
        const row = categories.find((r) => r.code === c);
        if (!row || row.handleAmount === null || row.handleUnit === null) continue;
        // an urgent report in a normal category runs on the urgent clock, not on working days
        if (urgency === 'urgent' && row.urgency !== 'urgent') break;
        return { amount: row.handleAmount, unit: row.handleUnit, source: `category ${c}` };
      }
    }
    const parent = categoryCode.length === 4 ? pick(categoryCode.slice(0, 2)) : null;
    if (parent) return parent;
  }
  return pick(null) ?? FALLBACK[urgency];
}

/** A limit as an administrator enters it for a category: one stage, one urgency. */
export interface LimitInput {
  stage: ClockStage;
  urgency: Urgency;
  amount: number;
  unit: TimeUnit;
}

/**
 * Checks a category's new set of limits: known stage and unit, a finite amount above zero (not 0, not
 * negative) within LIMIT_MIN..LIMIT_MAX of its unit, each stage × urgency once. Throws
 * `validation_failed` (reason `invalid_time_limit`) naming every bad entry as `/limits/<i>/…`.
 */
export function checkLimits(limits: readonly LimitInput[]): LimitInput[] {
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  limits.forEach((l, i) => {
    if (!(LIMIT_STAGES as readonly string[]).includes(l.stage))
      problems.push({ path: `/limits/${i}/stage`, message: 'unknown stage' });
    if (l.urgency !== 'normal' && l.urgency !== 'urgent')
      problems.push({ path: `/limits/${i}/urgency`, message: 'unknown urgency' });
    if (!(TIME_UNITS as readonly string[]).includes(l.unit)) {
      problems.push({ path: `/limits/${i}/unit`, message: 'unknown unit' });
    } else if (!Number.isFinite(l.amount) || l.amount <= 0) {
      problems.push({ path: `/limits/${i}/amount`, message: 'must be above zero' });
    } else if (l.amount < LIMIT_MIN[l.unit] - 1e-9) {
      problems.push({ path: `/limits/${i}/amount`, message: `at least ${LIMIT_MIN[l.unit]}` });
    } else if (l.amount > LIMIT_MAX[l.unit]) {
      problems.push({ path: `/limits/${i}/amount`, message: `at most ${LIMIT_MAX[l.unit]}` });
    }
    const key = `${l.stage}/${l.urgency}`;
    if (seen.has(key)) problems.push({ path: `/limits/${i}`, message: 'stage and urgency given twice' });
    seen.add(key);
  });
  if (problems.length > 0) {
    throw refusal(
      'validation_failed',
      'invalid_time_limit',
      `Invalid time limits: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
      {
        problems,
      },
    );
  }
  return limits.map((l) => ({ ...l }));
}
