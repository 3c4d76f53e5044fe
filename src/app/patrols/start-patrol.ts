import { randomUUID } from 'node:crypto';
import type { Actor } from '../../core/actor.ts';
import { AppError, refusal } from '../../core/errors.ts';
import { canPatrol } from '../../core/patrol/access.ts';
import type { Database } from '../../db/database.ts';
import { presentPatrol, type PatrolSummary } from './present-patrol.ts';

export interface PatrolDeps {
  database: Database;
  now: () => Date;
}

/**
 * A patroller starts a patrol (巡查). One open patrol per patroller (a unique index backs the check, so
 * two phones starting at once get one patrol and one refusal). The patrol remembers the patroller's unit
 * and street: the street's centre sees it.
 */
export async function startPatrol(deps: PatrolDeps, actor: Actor): Promise<PatrolSummary> {
  if (!canPatrol(actor) || actor.unit.kind !== 'region') {
    throw new AppError('forbidden', 'Only patrollers start patrols', { action: 'patrol' });
  }
  const now = deps.now();
  const unitCode = actor.unit.code;
  const row = await deps.database.db.transaction().execute(async (trx) => {
    const open = await trx
      .selectFrom('patrols')
      .select('id')
      .where('user_id', '=', actor.userId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (open) {
      throw refusal('conflict', 'patrol_already_open', 'A patrol is already open', { patrolId: open.id });
    }
    return trx
      .insertInto('patrols')
      .values({
        id: randomUUID(),
        user_id: actor.userId,
        unit_code: unitCode,
        street_code: unitCode.slice(0, 9),
        started_at: now,
      })
      .onConflict((oc) => oc.column('user_id').where('ended_at', 'is', null).doNothing())
      .returningAll()
      .executeTakeFirst();
  });
  if (!row) throw refusal('conflict', 'patrol_already_open', 'A patrol is already open');
  return presentPatrol(row, now, actor.displayName);
}
