import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import type { FileStore } from './file-store.ts';
import { ORPHAN_UPLOAD_TTL_MS } from './remove-orphan-uploads.ts';
import { newRecordId } from '../ids.ts';

/** Photos from phones (JPEG, PNG, WebP, HEIC/HEIF) and PDF documents; anything else is refused. */
export const ATTACHMENT_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'image/heif',
  'application/pdf',
]);
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/**
 * Per user, uploads not (yet) linked to a case: at most this many, and this many bytes together. Unlinked
 * uploads are removed after a day (remove-orphan-uploads.ts), so the cap frees itself. Checked before the
 * insert, not under a lock: concurrent uploads may pass it by a few, which is fine for a disk-use guard.
 */
export const MAX_UNLINKED_UPLOADS = 50;
export const MAX_UNLINKED_BYTES = 100 * 1024 * 1024;

export interface StoredAttachment {
  id: string;
  sha256: string;
  mime: string;
  size: number;
}

/**
 * Stores an upload content-addressed (the bytes once per SHA-256, a row per upload owned by the
 * uploader) after checking its size and its type **by content** (the client's filename and
 * Content-Type are not trusted). The attachment is linked to a case later, when an action names it.
 */
export async function storeAttachment(
  deps: { database: Database; files: FileStore; now: () => Date },
  actor: Actor,
  upload: { data: Uint8Array; filename?: string | undefined },
  /** Narrower rules for one kind of upload (the public page's: photos only, smaller, a shared budget). */
  limits: {
    types?: ReadonlySet<string>;
    maxBytes?: number;
    unlinked?: { count: number; bytes: number };
  } = {},
): Promise<StoredAttachment> {
  const maxBytes = limits.maxBytes ?? MAX_ATTACHMENT_BYTES;
  const types = limits.types ?? ATTACHMENT_TYPES;
  const maxUnlinked = limits.unlinked?.count ?? MAX_UNLINKED_UPLOADS;
  const maxUnlinkedBytes = limits.unlinked?.bytes ?? MAX_UNLINKED_BYTES;
  const { data } = upload;
  if (data.byteLength === 0) throw new AppError('validation_failed', 'The file is empty');
  if (data.byteLength > maxBytes) {
    throw new AppError('payload_too_large', `Attachments are limited to ${maxBytes / 1024 / 1024} MB`, {
      limit: maxBytes,
    });
  }
  const type = await fileTypeFromBuffer(data);
  if (!type || !types.has(type.mime)) {
    throw new AppError(
      'unsupported_media_type',
      types.has('application/pdf')
        ? 'Only JPEG, PNG, WebP, HEIC images and PDF documents are accepted'
        : 'Only JPEG, PNG, WebP and HEIC photos are accepted',
      {
        detected: type?.mime ?? null,
        accepted: [...types],
      },
    );
  }
  const pending = await deps.database.db
    .selectFrom('attachments')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'),
    ])
    .where('uploaded_by', '=', actor.userId)
    .where('case_id', 'is', null)
    .where('uploaded_at', '>=', new Date(deps.now().getTime() - ORPHAN_UPLOAD_TTL_MS))
    .executeTakeFirstOrThrow();
  if (Number(pending.n) >= maxUnlinked || Number(pending.bytes) + data.byteLength > maxUnlinkedBytes) {
    throw new AppError(
      'rate_limited',
      `You have ${Number(pending.n)} uploads not attached to a case yet (at most ${maxUnlinked}, ` +
        `${maxUnlinkedBytes / 1024 / 1024} MB): attach them to a report or action first; unattached uploads are removed after a day`,
      { retryAfter: 3600, limit: maxUnlinked, bytesLimit: maxUnlinkedBytes },
    );
  }
  const sha256 = createHash('sha256').update(data).digest('hex');
  // bytes first: a row never points at a missing file (an orphan file is harmless and deduplicated)
  await deps.files.put(sha256, data);
  const id = newRecordId();
  await deps.database.db
    .insertInto('attachments')
    .values({
      id,
      sha256,
      mime: type.mime,
      size: data.byteLength,
      original_name: upload.filename ? upload.filename.slice(0, 255) : null,
      uploaded_by: actor.userId,
      uploaded_at: deps.now(),
    })
    .execute();
  return { id, sha256, mime: type.mime, size: data.byteLength };
}
