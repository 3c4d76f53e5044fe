import { sql } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { addDays, daysBetween, type DateKey } from '../../core/calendar/time.ts';
import { coverageStatus, decideCoverage, type CoverageStatus } from '../../core/patrol/coverage.ts';
import { patrolStreetsOf } from '../../core/patrol/access.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import { loadPatrolPolicy } from './patrol-policy.ts';
import { lastClosedDay, readDay } from './roll-up-coverage.ts';

export interface CoverageQuery {
  from: DateKey;
  to: DateKey;
  /** A street to look at; a street centre always sees its own. */
  street?: string | undefined;
}

export interface GridCoverage {
  gridCode: string;
  name: string;
  committeeCode: string | null;
  daysPerWeek: number;
  days: { day: DateKey; status: CoverageStatus; seconds: number; checkins: number }[];
  covered: number;
  missed: number;
}

export interface CoverageView {
  from: DateKey;
  to: DateKey;
  /** The rule's thresholds, shown in the UI next to the table. */
  rule: { minCoveredMinutes: number; maxAccuracyM: number; maxSpeedMps: number };
  /** Days after this are computed live from the points (not rolled up yet). */
  rolledUpTo: DateKey;
  grids: GridCoverage[];
}

const MAX_DAYS = 31;

/** Which streets the actor looks at as a centre; refuses everyone else. */
function streetsFor(actor: Actor, street: string | undefined): string[] | null {
  const streets = patrolStreetsOf(actor);
  if (streets !== null && streets.length === 0) {
    throw new AppError('forbidden', 'Coverage is for the street and district centres', {
      action: 'coverage',
    });
  }
  if (street) {
    if (streets !== null && !streets.includes(street)) throw new AppError('not_found', `No street ${street}`);
    return [street];
  }
  return streets;
}

/**
 * The coverage view (DESIGN §6): per grid and day, whether it was patrolled and its status against the
 * grid's frequency (covered / due / missed, coverageStatus). Closed days come from the roll-up; days not
 * rolled up yet (today) are computed live by the same core rule over the points in the actor's streets.
 */
export async function queryCoverage(
  database: Database,
  actor: Actor,
  q: CoverageQuery,
  now: Date,
): Promise<CoverageView> {
  const span = daysBetween(q.from, q.to);
  if (span < 0 || span >= MAX_DAYS) {
    throw new AppError('validation_failed', `from..to must be 1 to ${MAX_DAYS} days`, { field: 'to' });
  }
  const streets = streetsFor(actor, q.street);
  const { db } = database;
  const policy = await loadPatrolPolicy(db);
  let gridQuery = db
    .selectFrom('regions')
    .select(['code', 'name', 'parent_code', 'patrol_days_per_week'])
    .where('level', '=', 'grid')
    .orderBy('code');
  if (streets) gridQuery = gridQuery.where(sql<boolean>`left(code, 9) in (${sql.join(streets)})`);
  const grids = await gridQuery.execute();
  const codes = new Set(grids.map((g) => g.code));

  // the allowed gap reaches back at most 7 days before `from`
  const readFrom = addDays(q.from, -7);
  const rolledUpTo = lastClosedDay(now);
  const rows = await db
    .selectFrom('coverage_days')
    .select([
      sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'),
      'grid_code',
      'seconds',
      'checkins',
      'covered',
    ])
    .where(sql<boolean>`day between ${readFrom}::date and ${rolledUpTo}::date`)
    .where(sql<boolean>`day <= ${q.to}::date`)
    .execute();
  const byGrid = new Map<string, Map<DateKey, { seconds: number; checkins: number; covered: boolean }>>();
  const put = (grid: string, day: DateKey, v: { seconds: number; checkins: number; covered: boolean }) => {
    if (!codes.has(grid)) return;
    let m = byGrid.get(grid);
    if (!m) byGrid.set(grid, (m = new Map()));
    m.set(day, v);
  };
  for (const r of rows) put(r.grid_code, r.day, r);
  // days not rolled up yet: live, from the points
  for (let d = addDays(rolledUpTo, 1); d <= q.to; d = addDays(d, 1)) {
    if (d < readFrom) continue;
    const { time, checkins } = await readDay(db, d, policy, 200, streets);
    for (const g of decideCoverage(d, time, checkins, policy)) put(g.gridCode, d, g);
  }
  const firstRow = await sql<{
    day: string | null;
  }>`select to_char(min(day), 'YYYY-MM-DD') as day from coverage_rollups`.execute(db);
  const since = firstRow.rows[0]?.day ?? q.from;

  return {
    from: q.from,
    to: q.to,
    rule: {
      minCoveredMinutes: policy.minCoveredMinutes,
      maxAccuracyM: policy.maxAccuracyM,
      maxSpeedMps: policy.maxSpeedMps,
    },
    rolledUpTo,
    grids: grids.map((g) => {
      const data = byGrid.get(g.code) ?? new Map();
      const coveredDays = new Set([...data.entries()].filter(([, v]) => v.covered).map(([d]) => d));
      const perWeek = g.patrol_days_per_week ?? policy.defaultDaysPerWeek;
      const days = [];
      for (let d = q.from; d <= q.to; d = addDays(d, 1)) {
        const v = data.get(d);
        days.push({
          day: d,
          status: coverageStatus(d, coveredDays, perWeek, since),
          seconds: v?.seconds ?? 0,
          checkins: v?.checkins ?? 0,
        });
      }
      return {
        gridCode: g.code,
        name: g.name,
        committeeCode: g.parent_code,
        daysPerWeek: perWeek,
        days,
        covered: days.filter((d) => d.status === 'covered').length,
        missed: days.filter((d) => d.status === 'missed').length,
      };
    }),
  };
}

export interface PatrollerFigures {
  userId: string;
  name: string;
  unitCode: string | null;
  patrols: number;
  hours: number;
  distanceKm: number;
  gridsCovered: number;
  reports: number;
}

/**
 * A patroller's figures over [from, to] (Shanghai days): patrols, hours on patrol, distance, grids they
 * covered (rolled-up days), reports made during their patrols. A centre sees its streets' patrollers, a
 * patroller themselves.
 */
export async function queryPatrollerFigures(
  database: Database,
  actor: Actor,
  q: CoverageQuery,
): Promise<PatrollerFigures[]> {
  const span = daysBetween(q.from, q.to);
  if (span < 0 || span >= 92)
    throw new AppError('validation_failed', 'from..to must be 1 to 92 days', { field: 'to' });
  const centre = patrolStreetsOf(actor);
  const streets = centre !== null && centre.length === 0 ? null : streetsFor(actor, q.street);
  const own = centre !== null && centre.length === 0;
  if (own && actor.role !== 'patroller')
    throw new AppError('forbidden', 'Patrol figures are for centres and patrollers', { action: 'coverage' });
  const start = new Date(`${q.from}T00:00:00+08:00`);
  const end = new Date(`${addDays(q.to, 1)}T00:00:00+08:00`);
  const { rows } = await sql<{
    user_id: string;
    name: string;
    unit_code: string | null;
    patrols: string;
    seconds: string | null;
    distance: string | null;
    reports: string;
    grids: string;
  }>`
    select p.user_id, u.display_name as name, u.unit_code,
      count(*)::text as patrols,
      sum(extract(epoch from (coalesce(p.ended_at, p.last_at, p.started_at) - p.started_at)))::text as seconds,
      sum(p.distance_m)::text as distance,
      (select count(*) from cases c where c.patrol_id in (
         select id from patrols p2 where p2.user_id = p.user_id and p2.started_at >= ${start} and p2.started_at < ${end}))::text as reports,
      (select count(distinct grid_code) from coverage_days cd where cd.covered and p.user_id = any(cd.patrollers)
         and cd.day between ${q.from}::date and ${q.to}::date)::text as grids
    from patrols p join users u on u.id = p.user_id
    where p.started_at >= ${start} and p.started_at < ${end}
      ${own ? sql`and p.user_id = ${actor.userId}` : streets ? sql`and p.street_code in (${sql.join(streets)})` : sql``}
    group by p.user_id, u.display_name, u.unit_code
    order by u.display_name`.execute(database.db);
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    unitCode: r.unit_code,
    patrols: Number(r.patrols),
    hours: Math.round((Number(r.seconds ?? 0) / 3600) * 10) / 10,
    distanceKm: Math.round(Number(r.distance ?? 0) / 100) / 10,
    gridsCovered: Number(r.grids),
    reports: Number(r.reports),
  }));
}
