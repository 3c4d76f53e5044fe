import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { canSeePatrol, patrolStreetsOf } from '../../core/patrol/access.ts';
import type { Database } from '../../db/database.ts';
import { loadVisiblePatrol } from './patrol-access.ts';
import { presentPatrol, type PatrolSummary } from './present-patrol.ts';

export interface PatrolListFilter {
  from: Date;
  to: Date;
  userId?: string | undefined;
  limit: number;
}

/**
 * Patrols started in [from, to) that the actor may see: a patroller their own, a street centre its
 * street's, the district all. Newest first.
 */
export async function listPatrols(
  database: Database,
  actor: Actor,
  filter: PatrolListFilter,
  now: Date,
): Promise<PatrolSummary[]> {
  const streets = patrolStreetsOf(actor);
  let query = database.db
    .selectFrom('patrols as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .selectAll('p')
    .select('u.display_name')
    .where('p.started_at', '>=', filter.from)
    .where('p.started_at', '<', filter.to)
    .orderBy('p.started_at', 'desc')
    .limit(filter.limit);
  if (streets !== null) {
    query = query.where((eb) =>
      streets.length > 0
        ? eb.or([eb('p.user_id', '=', actor.userId), eb('p.street_code', 'in', streets)])
        : eb('p.user_id', '=', actor.userId),
    );
  }
  if (filter.userId) query = query.where('p.user_id', '=', filter.userId);
  const rows = await query.execute();
  return rows.map((r) => presentPatrol(r, now, r.display_name));
}

/** The caller's own open patrol, or null (the phone resumes it after a reload). */
export async function currentPatrol(
  database: Database,
  actor: Actor,
  now: Date,
): Promise<PatrolSummary | null> {
  const row = await database.db
    .selectFrom('patrols')
    .selectAll()
    .where('user_id', '=', actor.userId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return row ? presentPatrol(row, now, actor.displayName) : null;
}

export interface PatrolDetail extends PatrolSummary {
  /** The track in sequence order (empty once deleted by the retention job). */
  track: {
    seq: number;
    at: string;
    lon: number;
    lat: number;
    accuracyM: number | null;
    valid: boolean;
    reason: string | null;
    gridCode: string | null;
  }[];
  checkinList: {
    id: string;
    at: string;
    lon: number | null;
    lat: number | null;
    note: string;
    gridCode: string | null;
  }[];
  /** Cases reported during the patrol. */
  reports: { id: string; caseNo: string; state: string; reportedAt: string }[];
}

/** One patrol with its track, check-ins and reports — for those who may see it (else `not_found`). */
export async function getPatrol(
  database: Database,
  actor: Actor,
  id: string,
  now: Date,
): Promise<PatrolDetail> {
  const { db } = database;
  const row = await loadVisiblePatrol(db, actor, id);
  const user = await db
    .selectFrom('users')
    .select('display_name')
    .where('id', '=', row.user_id)
    .executeTakeFirst();
  const points = await db
    .selectFrom('patrol_points')
    .selectAll()
    .where('patrol_id', '=', id)
    .orderBy('seq')
    .limit(20_000)
    .execute();
  const checkins = await db
    .selectFrom('patrol_checkins')
    .selectAll()
    .where('patrol_id', '=', id)
    .orderBy('at')
    .execute();
  const reports = await db
    .selectFrom('cases')
    .select(['id', 'case_no', 'state', 'reported_at'])
    .where('patrol_id', '=', id)
    .orderBy('reported_at')
    .execute();
  const purged = row.track_purged_at !== null;
  return {
    ...presentPatrol(row, now, user?.display_name ?? null),
    track: points.map((p) => ({
      seq: p.seq,
      at: p.recorded_at.toISOString(),
      lon: p.lon,
      lat: p.lat,
      accuracyM: p.accuracy_m,
      valid: p.valid,
      reason: p.invalid_reason,
      gridCode: p.grid_code,
    })),
    checkinList: checkins.map((c) => ({
      id: c.id,
      at: c.at.toISOString(),
      lon: purged ? null : c.lon,
      lat: purged ? null : c.lat,
      note: c.note,
      gridCode: c.grid_code,
    })),
    reports: reports.map((r) => ({
      id: r.id,
      caseNo: r.case_no,
      state: r.state,
      reportedAt: r.reported_at.toISOString(),
    })),
  };
}

export interface LivePatrol {
  patrolId: string;
  userId: string;
  patrollerName: string;
  unitCode: string;
  streetCode: string;
  startedAt: string;
  distanceM: number;
  /** Last position received and its age in seconds at `now` (null before the first point). */
  position: { lon: number; lat: number; at: string; ageS: number } | null;
}

/** Who is on patrol now in the actor's streets (the live map layer of a street centre / the district). */
export async function listLivePatrols(database: Database, actor: Actor, now: Date): Promise<LivePatrol[]> {
  const streets = patrolStreetsOf(actor);
  if (streets !== null && streets.length === 0) {
    throw new AppError('forbidden', 'The live patrol map is for the street and district centres', {
      action: 'patrols_live',
    });
  }
  let query = database.db
    .selectFrom('patrols as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .selectAll('p')
    .select('u.display_name')
    .where('p.ended_at', 'is', null)
    .orderBy('p.started_at');
  if (streets !== null) query = query.where('p.street_code', 'in', streets);
  const rows = await query.execute();
  return rows
    .filter((r) => canSeePatrol(actor, { userId: r.user_id, streetCode: r.street_code }))
    .map((r) => ({
      patrolId: r.id,
      userId: r.user_id,
      patrollerName: r.display_name,
      unitCode: r.unit_code,
      streetCode: r.street_code,
      startedAt: r.started_at.toISOString(),
      distanceM: Math.round(r.distance_m),
      position:
        r.last_at && r.last_lon !== null && r.last_lat !== null
          ? {
              lon: r.last_lon,
              lat: r.last_lat,
              at: r.last_at.toISOString(),
              ageS: Math.max(0, Math.round((now.getTime() - r.last_at.getTime()) / 1000)),
            }
          : null,
    }));
}
