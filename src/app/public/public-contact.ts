import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { maskPublicContact, type PublicContact } from '../../core/public/index.ts';
import type { DB } from '../../db/schema/index.ts';
import { decryptPii, encryptPii, piiHash, type PiiKeyring } from '../baseinfo/pii.ts';

/** The lookup-hash namespace of anonymous contacts (phone and e-mail alike: "every report of this contact"). */
export const CONTACT_HASH_KIND = 'public_contact';

/** The columns an anonymous report's contact is stored in (migration 0029), under the current key. */
export function contactColumns(keyring: PiiKeyring, contact: PublicContact) {
  return {
    contact_kind: contact.kind,
    contact_cipher: encryptPii(keyring, 'contact', contact.value),
    contact_hash: piiHash(keyring, CONTACT_HASH_KIND, contact.value),
    pii_key_id: keyring.current.id,
  };
}

/** The uploader of anonymous photos and the author of anonymous reports (no account; audited as such). */
export const PUBLIC_REPORTER: Actor = {
  userId: 'public',
  username: 'public',
  displayName: '匿名市民',
  role: 'system',
  unit: { kind: 'none' },
};

/** Prefix of the reporter id an anonymous report's case carries (`reporter_ids`), one per case. */
export const PUBLIC_REPORTER_PREFIX = 'public:';

/**
 * The anonymous reporter of one case, as an actor: a citizen whose id is in the case's `reporter_ids`, so
 * the workflow's own rule (follow_up: the citizen who reported) lets them rate it. Only
 * `ratePublicCase` creates it, after checking the case number *and* follow-up code.
 */
export const publicReporterOf = (caseId: string): Actor => ({
  userId: `${PUBLIC_REPORTER_PREFIX}${caseId}`,
  username: 'public',
  displayName: '匿名市民',
  role: 'citizen',
  unit: { kind: 'none' },
});

/**
 * The reporter contact of a case as staff see it: the stored name and phone, or for an anonymous report
 * the decrypted contact (and how it reads masked: an e-mail keeps its domain).
 */
export async function reporterContactOf(
  db: Kysely<DB>,
  keyring: () => PiiKeyring,
  row: { id: string; reporter_name: string | null; reporter_phone: string | null },
): Promise<{ name: string | null; phone: string | null; masked?: string }> {
  if (row.reporter_phone !== null) return { name: row.reporter_name, phone: row.reporter_phone };
  const anon = await db
    .selectFrom('public_reports')
    .select(['contact_kind', 'contact_cipher'])
    .where('case_id', '=', row.id)
    .executeTakeFirst();
  if (!anon) return { name: row.reporter_name, phone: null };
  const value = decryptPii(keyring(), 'contact', anon.contact_cipher);
  return {
    name: row.reporter_name,
    phone: value,
    masked: maskPublicContact({ kind: anon.contact_kind, value }),
  };
}
