/**
 * The parameters of the early-warning rules (预警规则) — app_settings 'warning_policy', data an
 * administrator may change. README.md says what each one means; the rules are in `rules.ts`.
 */
export interface WarningPolicy {
  /** Recurrence (同类重复): ≥ recurrenceMinCases cases of one category within recurrenceRadiusM metres … */
  recurrenceRadiusM: number;
  recurrenceMinCases: number;
  /** … reported within the last recurrenceDays days. */
  recurrenceDays: number;
  /** Hot spots (热点): H3 resolution of the cells counted. */
  hotspotResolution: number;
  /** Trailing baseline: the mean weekly count of the cell over this many weeks before this one. */
  hotspotBaselineWeeks: number;
  /** A cell is never a hot spot with fewer cases than this this week. */
  hotspotMinCount: number;
  /** One-sided Poisson test: warn when P(X ≥ count | baseline) is below this. */
  hotspotAlpha: number;
  /** The baseline rate used is at least this (a quiet cell is not "infinitely" surprised by one case). */
  hotspotMinBaseline: number;
  /** Suspected group renting (疑似群租): registered occupants of one dwelling at or above this … */
  groupRentingOccupants: number;
  /** … or fewer square metres per registered occupant than this (with at least 2 occupants). */
  groupRentingMinAreaPerPersonM2: number;
  /** Repeated disputes (矛盾纠纷反复): ≥ disputeMinCases stability/dispute cases at one address … */
  disputeMinCases: number;
  /** … within this many days. */
  disputeDays: number;
  /** Stability signals (不稳定因素苗头): ≥ stabilityMinCases dispute/stability reports … */
  stabilityMinCases: number;
  /** … within stabilityRadiusM metres of each other … */
  stabilityRadiusM: number;
  /** … within this many days. */
  stabilityDays: number;
  /** The job evaluates every rule at most this often (minutes), and sooner after case intake. */
  intervalMinutes: number;
}

export const DEFAULT_WARNING_POLICY: WarningPolicy = {
  recurrenceRadiusM: 100,
  recurrenceMinCases: 3,
  recurrenceDays: 14,
  hotspotResolution: 8,
  hotspotBaselineWeeks: 8,
  hotspotMinCount: 5,
  hotspotAlpha: 0.01,
  hotspotMinBaseline: 0.5,
  groupRentingOccupants: 6,
  // Shanghai's rule for rented housing: at least 5 m² of living area per person
  groupRentingMinAreaPerPersonM2: 5,
  disputeMinCases: 3,
  disputeDays: 90,
  stabilityMinCases: 3,
  stabilityRadiusM: 200,
  stabilityDays: 3,
  intervalMinutes: 15,
};

export const WARNING_POLICY_BOUNDS: Record<keyof WarningPolicy, [number, number]> = {
  recurrenceRadiusM: [1, 5_000],
  recurrenceMinCases: [2, 1_000],
  recurrenceDays: [1, 365],
  hotspotResolution: [5, 11],
  hotspotBaselineWeeks: [1, 52],
  hotspotMinCount: [1, 10_000],
  hotspotAlpha: [1e-9, 0.5],
  hotspotMinBaseline: [0.01, 1_000],
  groupRentingOccupants: [2, 1_000],
  groupRentingMinAreaPerPersonM2: [0, 1_000],
  disputeMinCases: [2, 1_000],
  disputeDays: [1, 3_650],
  stabilityMinCases: [2, 1_000],
  stabilityRadiusM: [1, 5_000],
  stabilityDays: [1, 90],
  intervalMinutes: [1, 24 * 60],
};

const INTEGERS = new Set<keyof WarningPolicy>([
  'recurrenceMinCases',
  'recurrenceDays',
  'hotspotResolution',
  'hotspotBaselineWeeks',
  'hotspotMinCount',
  'groupRentingOccupants',
  'disputeMinCases',
  'disputeDays',
  'stabilityMinCases',
  'stabilityDays',
  'intervalMinutes',
]);

/** Reads the stored policy; a missing or out-of-range field takes its default (never throws). */
export function parseWarningPolicy(value: unknown): WarningPolicy {
  const source = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const policy = { ...DEFAULT_WARNING_POLICY };
  for (const key of Object.keys(WARNING_POLICY_BOUNDS) as (keyof WarningPolicy)[]) {
    const v = source[key];
    const [lo, hi] = WARNING_POLICY_BOUNDS[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi) {
      policy[key] = INTEGERS.has(key) ? Math.round(v) : v;
    }
  }
  return policy;
}
