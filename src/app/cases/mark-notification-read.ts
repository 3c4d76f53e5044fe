import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import {
  addressedTo,
  caseInScopeNow,
  caseUrgentNow,
  presentNotificationFor,
  type NotificationView,
} from './list-notifications.ts';

/**
 * Records the read receipt of a notification addressed to the actor (or their unit). The first reader's
 * receipt stands: a linkage notice shows when the police station or work station first read it, and who.
 * A notification addressed to someone else is `not_found`.
 */
export async function markNotificationRead(
  deps: { database: Database; now: () => Date },
  actor: Actor,
  id: number,
): Promise<NotificationView> {
  const { db } = deps.database;
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found', `No notification ${id}`);
  await db
    .updateTable('notifications')
    .set({ read_at: deps.now(), read_by: actor.userId })
    .where('id', '=', id)
    .where('read_at', 'is', null)
    .where(addressedTo(actor))
    .execute();
  const row = await db
    .selectFrom('notifications')
    .selectAll()
    .select([caseInScopeNow(actor), caseUrgentNow()])
    .where('id', '=', id)
    .where(addressedTo(actor))
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `No notification ${id}`);
  return presentNotificationFor(actor)(row);
}

/**
 * Marks every unread notification addressed to the actor (or their unit) read — optionally only one kind,
 * or those of one case — keeping the first reader's receipt on those already read (issue 11 §6: a
 * dispatcher with 96 unread escalation notices clears them at once). Answers how many it marked.
 */
export async function markAllNotificationsRead(
  deps: { database: Database; now: () => Date },
  actor: Actor,
  filter: { kind?: string | undefined; caseId?: string | undefined } = {},
): Promise<{ marked: number }> {
  let q = deps.database.db
    .updateTable('notifications')
    .set({ read_at: deps.now(), read_by: actor.userId })
    .where('read_at', 'is', null)
    .where(addressedTo(actor));
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.caseId) q = q.where('case_id', '=', filter.caseId);
  const result = await q.executeTakeFirst();
  return { marked: Number(result.numUpdatedRows) };
}
