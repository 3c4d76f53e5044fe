import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import type { DB } from '../../db/schema/index.ts';

export interface AttachmentUse {
  ids: readonly string[];
  purpose: string;
}

/**
 * Links uploaded attachments to a case and the event that used them, inside the action's transaction.
 * An attachment must exist, have been uploaded by the actor, and not belong to another case; otherwise
 * the whole action fails with `validation_failed` and nothing is written.
 */
export async function linkAttachments(
  trx: Kysely<DB>,
  actor: Actor,
  target: { caseId: string; eventId: number },
  uses: readonly AttachmentUse[],
): Promise<void> {
  const ids = [...new Set(uses.flatMap((u) => u.ids))];
  if (ids.length === 0) return;
  const rows = await trx
    .selectFrom('attachments')
    .select(['id', 'uploaded_by', 'case_id', 'event_id'])
    .where('id', 'in', ids)
    .forUpdate()
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const unusable = ids.filter((id) => {
    const row = byId.get(id);
    return (
      !row || row.uploaded_by !== actor.userId || (row.case_id !== null && row.case_id !== target.caseId)
    );
  });
  if (unusable.length > 0) {
    throw new AppError(
      'validation_failed',
      'Unknown attachment (upload it first with POST /api/v1/attachments)',
      {
        attachments: unusable,
      },
    );
  }
  for (const use of uses) {
    const fresh = use.ids.filter((id) => byId.get(id)?.event_id === null);
    if (fresh.length === 0) continue;
    await trx
      .updateTable('attachments')
      .set({ case_id: target.caseId, event_id: target.eventId, purpose: use.purpose })
      .where('id', 'in', fresh)
      .where('event_id', 'is', null)
      .execute();
  }
}
