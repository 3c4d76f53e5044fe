import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { canSeePatrol } from '../../core/patrol/access.ts';
import type { DB } from '../../db/schema/index.ts';
import type { PatrolRow } from './present-patrol.ts';

/**
 * Loads a patrol the actor may see (the patroller, their street centre, the district). Any other patrol
 * does not exist for them (`not_found`, so ids do not leak). `own` asks for the patroller's own patrol
 * (feeding points, check-ins, ending it): nobody else may.
 */
export async function loadVisiblePatrol(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  options: { own?: boolean; lock?: boolean } = {},
): Promise<PatrolRow> {
  let query = db.selectFrom('patrols').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  const visible = row && canSeePatrol(actor, { userId: row.user_id, streetCode: row.street_code });
  if (!row || !visible) throw new AppError('not_found', `No patrol ${id}`);
  if (options.own && row.user_id !== actor.userId) {
    throw new AppError('forbidden', 'Only the patroller feeds their own patrol', { action: 'patrol' });
  }
  return row;
}
