import { addDays, dateKeyOf, type DateKey } from '../calendar/time.ts';
import type { PatrolPolicy } from './policy.ts';

/** A valid track point as the roll-up reads it: its patrol, time and grid (null: outside every grid). */
export interface CoveragePoint {
  patrolId: string;
  userId: string;
  seq: number;
  at: Date;
  gridCode: string | null;
}

export interface CoverageCheckin {
  userId: string;
  at: Date;
  gridCode: string | null;
}

export interface GridDay {
  gridCode: string;
  /** Valid patrolled time inside the grid that day, whole seconds. */
  seconds: number;
  checkins: number;
  /** Patrollers (user ids) who spent time or checked in there, sorted. */
  patrollers: string[];
  /** The rule: ≥ minCoveredMinutes of valid time inside, or at least one check-in inside. */
  covered: boolean;
}

/** Patrolled time per grid (ms) and who walked it, accumulated over chunks of patrols (accumulateGridTime). */
export type GridTime = Map<string, { ms: number; patrollers: Set<string> }>;

/**
 * Adds the valid time of some patrols' points of one day to `into` (the first half of coverageOfDay, for
 * callers that read a day's points a few patrols at a time). Points must be in (patrolId, seq) order and
 * a patrol's points must not be split between two calls.
 */
export function accumulateGridTime(
  day: DateKey,
  points: readonly CoveragePoint[],
  policy: PatrolPolicy,
  into: GridTime = new Map(),
): GridTime {
  const credit = (code: string | null, ms: number, userId: string) => {
    if (code === null || ms <= 0) return;
    let g = into.get(code);
    if (!g) into.set(code, (g = { ms: 0, patrollers: new Set() }));
    g.ms += ms;
    g.patrollers.add(userId);
  };
  const maxGapMs = policy.maxGapSeconds * 1000;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    if (a.patrolId !== b.patrolId || dateKeyOf(a.at) !== day) continue;
    const ms = b.at.getTime() - a.at.getTime();
    if (ms <= 0 || ms > maxGapMs) continue;
    if (a.gridCode === b.gridCode) credit(a.gridCode, ms, a.userId);
    else {
      credit(a.gridCode, ms / 2, a.userId);
      credit(b.gridCode, ms / 2, a.userId);
    }
  }
  return into;
}

/** The second half of coverageOfDay: adds the day's check-ins and applies the covered rule. */
export function decideCoverage(
  day: DateKey,
  time: GridTime,
  checkins: readonly CoverageCheckin[],
  policy: PatrolPolicy,
): GridDay[] {
  const grids = new Map<string, { ms: number; checkins: number; patrollers: Set<string> }>();
  for (const [code, g] of time) grids.set(code, { ms: g.ms, checkins: 0, patrollers: new Set(g.patrollers) });
  for (const c of checkins) {
    if (c.gridCode === null || dateKeyOf(c.at) !== day) continue;
    let g = grids.get(c.gridCode);
    if (!g) grids.set(c.gridCode, (g = { ms: 0, checkins: 0, patrollers: new Set() }));
    g.checkins++;
    g.patrollers.add(c.userId);
  }
  const minMs = policy.minCoveredMinutes * 60_000;
  return [...grids.entries()]
    .map(([gridCode, g]) => ({
      gridCode,
      seconds: Math.floor(g.ms / 1000),
      checkins: g.checkins,
      patrollers: [...g.patrollers].sort(),
      covered: g.checkins > 0 || (g.ms >= minMs && g.ms > 0),
    }))
    .sort((x, y) => x.gridCode.localeCompare(y.gridCode));
}

/**
 * Which grids were patrolled on one day (Asia/Shanghai), from the valid track points and check-ins of
 * that day (DESIGN §6, the coverage rule — README.md):
 *  - the time between two consecutive valid points of one patrol counts when they are at most
 *    `maxGapSeconds` apart: all of it to their grid when both are in the same grid, half to each
 *    otherwise (the walk crossed the boundary somewhere between them); a step out of the territory
 *    credits nothing for its outside half;
 *  - a step counts for the day of its first point;
 *  - a grid is **covered** that day with ≥ `minCoveredMinutes` of such time, or with a check-in inside it.
 * Points must be in (patrolId, seq) order within each patrol; other days' points are ignored.
 */
export function coverageOfDay(
  day: DateKey,
  points: readonly CoveragePoint[],
  checkins: readonly CoverageCheckin[],
  policy: PatrolPolicy,
): GridDay[] {
  return decideCoverage(day, accumulateGridTime(day, points, policy), checkins, policy);
}

/**
 * The longest a grid may go without a patrolled day: a grid expected on `daysPerWeek` days a week may
 * go ceil(7 / daysPerWeek) days (daily → 1, twice a week → 4, weekly → 7).
 */
export const allowedGapDays = (daysPerWeek: number): number =>
  Math.ceil(7 / Math.min(7, Math.max(1, Math.round(daysPerWeek))));

export type CoverageStatus = 'covered' | 'due' | 'missed';

/**
 * The status of a grid on a day against its frequency: `covered` (patrolled that day), `due` (not
 * patrolled, but a patrolled day lies within the allowed gap ending that day), `missed` (no patrolled
 * day in the last allowedGapDays days, that day included). `coveredDays` needs the days before `day`
 * back to the allowed gap; days before `since` (e.g. before patrols began) count as covered, so a new
 * grid is not missed from its first day.
 */
export function coverageStatus(
  day: DateKey,
  coveredDays: ReadonlySet<DateKey>,
  daysPerWeek: number,
  since?: DateKey,
): CoverageStatus {
  if (coveredDays.has(day)) return 'covered';
  const gap = allowedGapDays(daysPerWeek);
  for (let back = 1; back < gap; back++) {
    const d = addDays(day, -back);
    if (coveredDays.has(d) || (since !== undefined && d < since)) return 'due';
  }
  return 'missed';
}
