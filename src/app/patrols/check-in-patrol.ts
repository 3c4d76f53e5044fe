import type { Actor } from '../../core/actor.ts';
import { dateKeyOf } from '../../core/calendar/time.ts';
import { refusal } from '../../core/errors.ts';
import { CLOCK_SKEW_MS } from '../../core/patrol/track.ts';
import { regionIndexCache } from '../territory/region-index-cache.ts';
import { SNAP_METRES } from '../territory/locate.ts';
import { loadVisiblePatrol } from './patrol-access.ts';
import { markLateDays } from './record-patrol-points.ts';
import type { PatrolDeps } from './start-patrol.ts';
import { newRecordId } from '../ids.ts';

export interface CheckinInput {
  /** The phone's id for this check-in: sent twice (offline queue), it is stored once. */
  clientId: string;
  at: Date;
  lon: number;
  lat: number;
  accuracyM: number | null;
  note: string;
}

export interface CheckinResult {
  id: string;
  gridCode: string | null;
  at: string;
  replayed: boolean;
}

/**
 * 打卡: the patroller checks in at a place during their patrol — for now a free point with a note (key
 * sites from the base information come later). A check-in inside a grid makes that grid patrolled for
 * the day (the coverage rule). A check-in taken outside the patrol's time span is refused.
 */
export async function checkInPatrol(
  deps: PatrolDeps,
  actor: Actor,
  patrolId: string,
  input: CheckinInput,
): Promise<CheckinResult> {
  const now = deps.now();
  const index = await regionIndexCache(deps.database).get();
  const gridCode = index.locate(input.lon, input.lat, { snapMetres: SNAP_METRES }).grid?.code ?? null;
  return deps.database.db.transaction().execute(async (trx) => {
    const patrol = await loadVisiblePatrol(trx, actor, patrolId, { own: true, lock: true });
    const existing = await trx
      .selectFrom('patrol_checkins')
      .select(['id', 'grid_code', 'at'])
      .where('patrol_id', '=', patrolId)
      .where('client_id', '=', input.clientId)
      .executeTakeFirst();
    if (existing)
      return { id: existing.id, gridCode: existing.grid_code, at: existing.at.toISOString(), replayed: true };
    const t = input.at.getTime();
    const latest = Math.min(now.getTime(), patrol.ended_at?.getTime() ?? Infinity) + CLOCK_SKEW_MS;
    if (t < patrol.started_at.getTime() - CLOCK_SKEW_MS || t > latest) {
      throw refusal('unprocessable', 'patrol_ended', 'The check-in lies outside the patrol time', {
        problems: [{ path: '/at', message: 'outside the patrol' }],
      });
    }
    const id = newRecordId();
    const day = dateKeyOf(input.at);
    await trx
      .insertInto('patrol_checkins')
      .values({
        id,
        patrol_id: patrolId,
        client_id: input.clientId,
        at: input.at,
        lon: input.lon,
        lat: input.lat,
        accuracy_m: input.accuracyM,
        note: input.note,
        grid_code: gridCode,
        day,
      })
      .execute();
    await trx
      .updateTable('patrols')
      .set((eb) => ({ checkins: eb('checkins', '+', 1) }))
      .where('id', '=', patrolId)
      .execute();
    await markLateDays(trx, [day], now);
    return { id, gridCode, at: input.at.toISOString(), replayed: false };
  });
}
