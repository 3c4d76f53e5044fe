import { storeAttachment, type StoredAttachment } from '../cases/store-attachment.ts';
import type { CaseDeps } from '../cases/deps.ts';
import { PUBLIC_REPORTER } from './public-contact.ts';

/** Photos only (no documents) on the public page, smaller than staff uploads. */
export const PUBLIC_PHOTO_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'image/heif',
]);
export const MAX_PUBLIC_PHOTO_BYTES = 5 * 1024 * 1024;
/**
 * Every anonymous citizen uploads as the one public uploader: this is their shared budget of photos not
 * yet in a report (removed after a day like any orphan upload). With the per-address rate limit of the
 * route it bounds the disk a flood can take; a flood from many addresses can exhaust it for a day (then
 * reports go without photos), which is the price of needing no account.
 */
export const PUBLIC_UNLINKED = { count: 500, bytes: 1024 * 1024 * 1024 } as const;

/**
 * A photo for an anonymous report (issue 15): checked by content and size, stored like every attachment
 * (content-addressed, a row per upload), owned by the public uploader until a report names its id — the
 * id is a random UUID, the only handle to it; nobody can read it back without an account.
 */
export const storePublicPhoto = (
  deps: Pick<CaseDeps, 'database' | 'files' | 'now'>,
  upload: { data: Uint8Array; filename?: string | undefined },
): Promise<StoredAttachment> =>
  storeAttachment(deps, PUBLIC_REPORTER, upload, {
    types: PUBLIC_PHOTO_TYPES,
    maxBytes: MAX_PUBLIC_PHOTO_BYTES,
    unlinked: PUBLIC_UNLINKED,
  });
