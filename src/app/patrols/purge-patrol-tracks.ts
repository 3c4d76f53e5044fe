import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { loadPatrolPolicy } from './patrol-policy.ts';

/**
 * The retention job (DESIGN §6: tracks are personal data): deletes track points and check-in positions
 * older than `retentionDays` of ended patrols, in batches; the patrol's summary (time, distance, counts)
 * and the coverage already rolled up stay. Safe on several processes (deletes are idempotent).
 */
export async function purgePatrolTracks(
  deps: { database: Database; now: () => Date },
  options: { batchSize?: number; maxBatches?: number } = {},
): Promise<{ points: number; checkins: number; patrols: number }> {
  const now = deps.now();
  const policy = await loadPatrolPolicy(deps.database.db);
  const before = new Date(now.getTime() - policy.retentionDays * 86_400_000);
  const batch = options.batchSize ?? 20_000;
  const { db } = deps.database;
  let points = 0;
  for (let i = 0; i < (options.maxBatches ?? 50); i++) {
    const r = await sql`delete from patrol_points where ctid in (
        select ctid from patrol_points where recorded_at < ${before} limit ${batch})`.execute(db);
    const n = Number(r.numAffectedRows ?? 0);
    points += n;
    if (n < batch) break;
  }
  // a check-in's place is part of the track; its day, grid and note stay for the coverage record
  const checkins = await db
    .updateTable('patrol_checkins')
    .set({ lon: 0, lat: 0, accuracy_m: null })
    .where('at', '<', before)
    .where((eb) => eb.or([eb('lon', '<>', 0), eb('lat', '<>', 0)]))
    .executeTakeFirst();
  const patrols = await db
    .updateTable('patrols')
    .set({ track_purged_at: now, last_lon: null, last_lat: null, valid_lon: null, valid_lat: null })
    .where('track_purged_at', 'is', null)
    .where('ended_at', '<', before)
    .executeTakeFirst();
  return { points, checkins: Number(checkins.numUpdatedRows), patrols: Number(patrols.numUpdatedRows) };
}
