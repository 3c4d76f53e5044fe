import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { seesPublicViewOnly } from '../../core/policy/citizen-view.ts';
import type { Database } from '../../db/database.ts';
import { applyCaseScope } from '../../db/case-scope.ts';
import type { FileStore } from './file-store.ts';
import type { Logger } from '../logger.ts';

export interface AttachmentContent {
  id: string;
  sha256: string;
  mime: string;
  size: number;
  filename: string | null;
  data: Buffer;
}

/**
 * One attachment's bytes, for its uploader or anyone who may see the case it belongs to. Anything else
 * is `not_found`, so ids of other territories' photos do not leak.
 */
export async function getAttachment(
  deps: { database: Database; files: FileStore; log?: Logger },
  actor: Actor,
  id: string,
): Promise<AttachmentContent> {
  const { db } = deps.database;
  const row = await db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'No such attachment');
  let visible = row.uploaded_by === actor.userId;
  // a citizen sees their own photos only: the staff's photos of a case are not in the public view
  if (!visible && row.case_id !== null && !seesPublicViewOnly(actor)) {
    const inScope = await applyCaseScope(
      db.selectFrom('cases').select('id').where('id', '=', row.case_id),
      actor,
    ).executeTakeFirst();
    visible = inScope !== undefined;
  }
  if (!visible) throw new AppError('not_found', 'No such attachment');
  const data = await deps.files.get(row.sha256).catch((error: unknown) => {
    // the record exists but its bytes do not: the user sees 404, the operator a log line
    deps.log?.error({ err: error, attachmentId: row.id, sha256: row.sha256 }, 'attachment file missing');
    throw new AppError('not_found', 'The attachment file is missing from storage');
  });
  return {
    id: row.id,
    sha256: row.sha256,
    mime: row.mime,
    size: row.size,
    filename: row.original_name,
    data,
  };
}
