import { sql, type Kysely } from 'kysely';
import { addDays, dateKeyOf, type DateKey } from '../../core/calendar/time.ts';
import {
  accumulateGridTime,
  decideCoverage,
  type CoverageCheckin,
  type CoveragePoint,
  type GridTime,
} from '../../core/patrol/coverage.ts';
import type { PatrolPolicy } from '../../core/patrol/policy.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema/index.ts';
import { loadPatrolPolicy } from './patrol-policy.ts';

/** A day is rolled up once it has been over this long: a batch sent at 23:59:59 has committed by then. */
export const ROLLUP_GRACE_MS = 10 * 60_000;

export interface RollupReport {
  at: string;
  /** Days rolled up by this pass (each in its own transaction). */
  days: string[];
  /** Grid-days written. */
  grids: number;
  points: number;
}

/** The last day that may be rolled up at `now`: the day before the one in progress, after the grace. */
export const lastClosedDay = (now: Date): DateKey => addDays(dateKeyOf(now.getTime() - ROLLUP_GRACE_MS), -1);

/**
 * The daily coverage roll-up (DESIGN §6). Every closed day gets a row in coverage_rollups (dirty); a
 * pass claims one dirty day at a time with FOR UPDATE … SKIP LOCKED, reads that day's valid points a
 * few patrols at a time and its check-ins, asks the core which grids were patrolled, replaces the day's
 * coverage_days rows and clears `dirty` — all in one transaction. So with several processes each day is
 * rolled up by one of them; a process killed mid-day leaves nothing (its transaction rolls back) and the
 * day stays dirty for the next pass; late points of a closed day set `dirty` again (markLateDays).
 */
export async function rollUpCoverage(
  deps: { database: Database; now: () => Date },
  options: { maxDays?: number; patrolsPerRead?: number } = {},
): Promise<RollupReport> {
  const now = deps.now();
  const { db } = deps.database;
  const policy = await loadPatrolPolicy(db);
  const last = lastClosedDay(now);
  const report: RollupReport = { at: now.toISOString(), days: [], grids: 0, points: 0 };
  // every closed day since the first patrol (within the retention) has a row to claim
  const first = addDays(last, -Math.round(policy.retentionDays));
  await sql`insert into coverage_rollups (day)
    select d::date from generate_series(
      greatest(
        ${first}::date,
        -- no patrol yet: an empty series (nothing to roll up, and coverage records have not begun)
        coalesce((select min(started_at at time zone 'Asia/Shanghai')::date from patrols), ${last}::date + 1)),
      ${last}::date, interval '1 day') d
    on conflict (day) do nothing`.execute(db);

  for (let i = 0; i < (options.maxDays ?? 60); i++) {
    const done = await db.transaction().execute(async (trx) => {
      const claimed = await sql<{
        day: string;
      }>`select to_char(day, 'YYYY-MM-DD') as day from coverage_rollups
        where dirty and day <= ${last}::date order by day limit 1 for update skip locked`.execute(trx);
      const day = claimed.rows[0]?.day;
      if (!day) return null;
      const result = await rollUpDay(trx, day, policy, options.patrolsPerRead ?? 200);
      await sql`update coverage_rollups set dirty = false, rolled_at = ${now}, runs = runs + 1
        where day = ${day}::date`.execute(trx);
      return { day, ...result };
    });
    if (!done) break;
    report.days.push(done.day);
    report.grids += done.grids;
    report.points += done.points;
  }
  return report;
}

/** Computes one day's coverage from its points and check-ins and replaces its coverage_days rows. */
async function rollUpDay(
  trx: Kysely<DB>,
  day: DateKey,
  policy: PatrolPolicy,
  patrolsPerRead: number,
): Promise<{ grids: number; points: number }> {
  const { time, checkins, points } = await readDay(trx, day, policy, patrolsPerRead);
  const grids = decideCoverage(day, time, checkins, policy);
  await sql`delete from coverage_days where day = ${day}::date`.execute(trx);
  for (let i = 0; i < grids.length; i += 1000) {
    await trx
      .insertInto('coverage_days')
      .values(
        grids.slice(i, i + 1000).map((g) => ({
          day,
          grid_code: g.gridCode,
          seconds: g.seconds,
          checkins: g.checkins,
          patrollers: g.patrollers,
          covered: g.covered,
        })),
      )
      .execute();
  }
  return { grids: grids.length, points };
}

/**
 * Reads a day's valid points, a few patrols at a time so a district's day (~1M points) never sits in
 * memory at once, and accumulates their time per grid; plus the day's check-ins. Optionally limited to
 * some streets (the live view of today).
 */
export async function readDay(
  db: Kysely<DB>,
  day: DateKey,
  policy: PatrolPolicy,
  patrolsPerRead = 200,
  streets: string[] | null = null,
): Promise<{ time: GridTime; checkins: CoverageCheckin[]; points: number }> {
  let patrolQuery = db
    .selectFrom('patrols')
    .select(['id', 'user_id'])
    .where(
      sql<boolean>`exists (select 1 from patrol_points pp where pp.patrol_id = patrols.id and pp.day = ${day}::date and pp.valid)`,
    )
    .orderBy('id');
  if (streets)
    patrolQuery = streets.length
      ? patrolQuery.where('street_code', 'in', streets)
      : patrolQuery.where(sql<boolean>`false`);
  const patrols = await patrolQuery.execute();
  const userOf = new Map(patrols.map((p) => [p.id, p.user_id]));
  const time: GridTime = new Map();
  let points = 0;
  for (let i = 0; i < patrols.length; i += patrolsPerRead) {
    const ids = patrols.slice(i, i + patrolsPerRead).map((p) => p.id);
    const rows = await db
      .selectFrom('patrol_points')
      .select(['patrol_id', 'seq', 'recorded_at', 'grid_code'])
      .where(sql<boolean>`day = ${day}::date`)
      .where('valid', '=', true)
      .where('patrol_id', 'in', ids)
      .orderBy('patrol_id')
      .orderBy('seq')
      .execute();
    points += rows.length;
    const chunk: CoveragePoint[] = rows.map((r) => ({
      patrolId: r.patrol_id,
      userId: userOf.get(r.patrol_id)!,
      seq: r.seq,
      at: r.recorded_at,
      gridCode: r.grid_code,
    }));
    accumulateGridTime(day, chunk, policy, time);
  }
  let checkinQuery = db
    .selectFrom('patrol_checkins as c')
    .innerJoin('patrols as p', 'p.id', 'c.patrol_id')
    .select(['p.user_id', 'c.at', 'c.grid_code'])
    .where(sql<boolean>`c.day = ${day}::date`);
  if (streets)
    checkinQuery = streets.length
      ? checkinQuery.where('p.street_code', 'in', streets)
      : checkinQuery.where(sql<boolean>`false`);
  const checkins = (await checkinQuery.execute()).map((c) => ({
    userId: c.user_id,
    at: c.at,
    gridCode: c.grid_code,
  }));
  return { time, checkins, points };
}
