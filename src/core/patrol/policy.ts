/**
 * The parameters of the patrol rules (app_settings 'patrol_policy', data an administrator may change).
 * Each rule that reads them is in this folder; README.md says what each one means for a patroller.
 */
export interface PatrolPolicy {
  /** A point whose reported accuracy radius is larger than this (metres) is ignored for distance/coverage. */
  maxAccuracyM: number;
  /** A point that would mean moving faster than this from the last valid point (m/s) is ignored. */
  maxSpeedMps: number;
  /** Two valid points further apart in time than this (s) do not credit the time between them. */
  maxGapSeconds: number;
  /** A grid is patrolled on a day with at least this many minutes of valid time inside it (or a check-in). */
  minCoveredMinutes: number;
  /** An open patrol with no point for this long is ended by the idle job. */
  idleMinutes: number;
  /** Track points older than this are deleted by the retention job (the patrol summary stays). */
  retentionDays: number;
  /** Expected patrolled days per week of a grid without its own frequency. */
  defaultDaysPerWeek: number;
}

export const DEFAULT_PATROL_POLICY: PatrolPolicy = {
  maxAccuracyM: 50,
  // 25 km/h: the legal top speed of an electric bicycle in China; patrols are on foot or by bicycle
  maxSpeedMps: 7,
  maxGapSeconds: 300,
  minCoveredMinutes: 15,
  idleMinutes: 30,
  retentionDays: 90,
  defaultDaysPerWeek: 2,
};

const BOUNDS: Record<keyof PatrolPolicy, [number, number]> = {
  maxAccuracyM: [1, 10_000],
  maxSpeedMps: [0.5, 100],
  maxGapSeconds: [10, 86_400],
  minCoveredMinutes: [0, 24 * 60],
  idleMinutes: [1, 24 * 60],
  // tracks must outlive the coverage roll-up of their day
  retentionDays: [2, 3_650],
  defaultDaysPerWeek: [1, 7],
};

/** Reads the stored policy; a missing or out-of-range field takes its default (never throws). */
export function parsePatrolPolicy(value: unknown): PatrolPolicy {
  const source = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const policy = { ...DEFAULT_PATROL_POLICY };
  for (const key of Object.keys(BOUNDS) as (keyof PatrolPolicy)[]) {
    const v = source[key];
    const [lo, hi] = BOUNDS[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi) policy[key] = v;
  }
  policy.defaultDaysPerWeek = Math.round(policy.defaultDaysPerWeek);
  return policy;
}
