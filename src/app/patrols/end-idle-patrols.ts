import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { loadPatrolPolicy } from './patrol-policy.ts';

/**
 * The idle job: a patrol with no point (nor start) for `idleMinutes` is ended, at its last sign of life
 * (last point, or its start), with reason 'idle' — a phone that died or a patroller who forgot to stop.
 * One conditional update: several processes may run it at once, each patrol is ended once.
 */
export async function endIdlePatrols(deps: {
  database: Database;
  now: () => Date;
}): Promise<{ ended: number }> {
  const now = deps.now();
  const policy = await loadPatrolPolicy(deps.database.db);
  const before = new Date(now.getTime() - policy.idleMinutes * 60_000);
  const rows = await deps.database.db
    .updateTable('patrols')
    .set({
      ended_at: sql<Date>`greatest(started_at, coalesce(last_at, started_at))`,
      end_reason: 'idle',
    })
    .where('ended_at', 'is', null)
    .where(sql<boolean>`coalesce(last_at, started_at) < ${before}`)
    .returning('id')
    .execute();
  return { ended: rows.length };
}
