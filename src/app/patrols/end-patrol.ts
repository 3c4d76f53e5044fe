import type { Actor } from '../../core/actor.ts';
import { loadVisiblePatrol } from './patrol-access.ts';
import { presentPatrol, type PatrolSummary } from './present-patrol.ts';
import type { PatrolDeps } from './start-patrol.ts';

/**
 * The patroller ends their patrol: time and distance are final (points still queued on the phone and
 * taken before the end are accepted afterwards). Ending an ended patrol returns it unchanged.
 */
export async function endPatrol(deps: PatrolDeps, actor: Actor, patrolId: string): Promise<PatrolSummary> {
  const now = deps.now();
  const row = await deps.database.db.transaction().execute(async (trx) => {
    const patrol = await loadVisiblePatrol(trx, actor, patrolId, { own: true, lock: true });
    if (patrol.ended_at) return patrol;
    return trx
      .updateTable('patrols')
      .set({ ended_at: now, end_reason: 'manual' })
      .where('id', '=', patrolId)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  return presentPatrol(row, now, actor.displayName);
}
