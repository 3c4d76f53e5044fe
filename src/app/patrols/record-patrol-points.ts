import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { dateKeyOf } from '../../core/calendar/time.ts';
import { judgeTrack, type TrackPoint } from '../../core/patrol/track.ts';
import type { DB } from '../../db/schema/index.ts';
import { regionIndexCache } from '../territory/region-index-cache.ts';
import { SNAP_METRES } from '../territory/locate.ts';
import { loadVisiblePatrol } from './patrol-access.ts';
import { loadPatrolPolicy } from './patrol-policy.ts';
import type { PatrolDeps } from './start-patrol.ts';

export interface PointsInput {
  points: { seq: number; at: Date; lon: number; lat: number; accuracyM: number | null }[];
}

export interface PointsResult {
  /** Points stored by this request. */
  accepted: number;
  /** Points already stored (a batch re-sent after being offline): not stored twice. */
  duplicates: number;
  /** Of the accepted points, those ignored for distance and coverage (accuracy, speed, time, order). */
  ignored: number;
  distanceM: number;
  lastSeq: number | null;
}

/**
 * Stores a batch of GPS points of the caller's own patrol (DESIGN §6). The phone numbers its points
 * (`seq`); a point whose number is already stored is a re-sent duplicate and is skipped, so a queue
 * flushed twice after a dead zone changes nothing. The rest is judged by the core (judgeTrack: accuracy,
 * speed, order, time), placed in its grid, stored, and the patrol's summary (distance, counts, last
 * position) moves in the same transaction. Points of a day whose coverage was already rolled up mark it
 * for another roll-up.
 */
export async function recordPatrolPoints(
  deps: PatrolDeps,
  actor: Actor,
  patrolId: string,
  input: PointsInput,
): Promise<PointsResult> {
  const now = deps.now();
  const policy = await loadPatrolPolicy(deps.database.db);
  // read before the transaction: PGlite has one connection
  const index = await regionIndexCache(deps.database).get();
  return deps.database.db.transaction().execute(async (trx) => {
    const patrol = await loadVisiblePatrol(trx, actor, patrolId, { own: true, lock: true });
    const seqs = [...new Set(input.points.map((p) => p.seq))];
    const stored =
      seqs.length > 0
        ? await trx
            .selectFrom('patrol_points')
            .select('seq')
            .where('patrol_id', '=', patrolId)
            .where('seq', 'in', seqs)
            .execute()
        : [];
    const known = new Set(stored.map((r) => r.seq));
    const fresh = new Map<number, TrackPoint>();
    for (const p of input.points) if (!known.has(p.seq) && !fresh.has(p.seq)) fresh.set(p.seq, p);
    const anchor =
      patrol.valid_seq !== null && patrol.valid_at && patrol.valid_lon !== null && patrol.valid_lat !== null
        ? { seq: patrol.valid_seq, at: patrol.valid_at, lon: patrol.valid_lon, lat: patrol.valid_lat }
        : null;
    const judged = judgeTrack(
      [...fresh.values()],
      anchor,
      { startedAt: patrol.started_at, endedAt: patrol.ended_at, now, lastSeq: patrol.last_seq },
      policy,
    );
    const result: PointsResult = {
      accepted: judged.judged.length,
      duplicates: input.points.length - judged.judged.length,
      ignored: judged.judged.filter((p) => !p.valid).length,
      distanceM: Math.round(patrol.distance_m + judged.distanceM),
      lastSeq: judged.lastSeq,
    };
    if (judged.judged.length === 0) return result;

    const rows = judged.judged.map((p) => ({
      patrol_id: patrolId,
      seq: p.seq,
      recorded_at: p.at,
      lon: p.lon,
      lat: p.lat,
      accuracy_m: p.accuracyM,
      valid: p.valid,
      invalid_reason: p.reason,
      grid_code: index.locate(p.lon, p.lat, { snapMetres: SNAP_METRES }).grid?.code ?? null,
      day: dateKeyOf(p.at),
    }));
    // a multi-row insert per 1,000 points (PostgreSQL's bind parameter limit is far above)
    for (let i = 0; i < rows.length; i += 1000) {
      await trx
        .insertInto('patrol_points')
        .values(rows.slice(i, i + 1000))
        .onConflict((oc) => oc.columns(['patrol_id', 'seq']).doNothing())
        .execute();
    }
    const newest = judged.judged.reduce((a, b) => (b.seq > a.seq ? b : a));
    const moveLast = patrol.last_seq === null || newest.seq > patrol.last_seq;
    await trx
      .updateTable('patrols')
      .set((eb) => ({
        distance_m: eb('distance_m', '+', judged.distanceM),
        points_total: eb('points_total', '+', judged.judged.length),
        points_valid: eb('points_valid', '+', judged.judged.length - result.ignored),
        ...(moveLast
          ? { last_seq: newest.seq, last_at: newest.at, last_lon: newest.lon, last_lat: newest.lat }
          : {}),
        ...(judged.anchor && judged.anchor.seq !== anchor?.seq
          ? {
              valid_seq: judged.anchor.seq,
              valid_at: judged.anchor.at,
              valid_lon: judged.anchor.lon,
              valid_lat: judged.anchor.lat,
            }
          : {}),
      }))
      .where('id', '=', patrolId)
      .execute();
    await markLateDays(
      trx,
      rows.map((r) => r.day),
      now,
    );
    return result;
  });
}

/**
 * Days already closed (before today in Shanghai) that receive points or check-ins need their coverage
 * rolled up again. The update locks the day's roll-up row until commit, so a roll-up claiming it (SKIP
 * LOCKED) waits for this batch to be visible, or skips the day until the next pass.
 */
export async function markLateDays(trx: Kysely<DB>, days: readonly string[], now: Date): Promise<void> {
  const today = dateKeyOf(now);
  const late = [...new Set(days)].filter((d) => d < today).sort();
  for (const day of late) {
    await sql`insert into coverage_rollups (day, dirty) values (${day}::date, true)
      on conflict (day) do update set dirty = true`.execute(trx);
  }
}
