import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema/index.ts';
import type { Logger } from '../logger.ts';
import { CONTACT_HASH_KIND } from '../public/public-contact.ts';
import { open311ContactColumns } from '../open311/contact-columns.ts';
import { decryptPii, encryptPii, piiHash, type PiiField, type PiiKeyring } from './pii.ts';
import { PHONE_HASH_KIND } from './records.ts';

export interface RotationReport {
  people: number;
  units: number;
  /** Anonymous reports' contacts and Open311 requests' contact fields (issue 15), clear ones included. */
  contacts: number;
  /** Key ids still used by some row after the pass (should be the current key only). */
  keysInUse: string[];
}

/**
 * Re-encrypts and re-hashes every person and unit whose personal data is under a key other than the
 * keyring's current one (issue 12 §3, `liandong pii rotate-key`). Batches of `batchSize` rows, each in
 * its own transaction with its rows locked (SKIP LOCKED: two rotations, or a rotation and an import, on
 * several processes never rewrite the same row twice), so a rotation can be interrupted and resumed.
 */
export async function rotatePiiKey(
  deps: { database: Database; log: Logger },
  keyring: PiiKeyring,
  options: {
    batchSize?: number;
    onProgress?: (done: { people: number; units: number; contacts: number }) => void;
  } = {},
): Promise<RotationReport> {
  const { db } = deps.database;
  const batch = options.batchSize ?? 500;
  const current = keyring.current.id;
  const done = { people: 0, units: 0, contacts: 0 };
  /** Batch after batch, each its own transaction answering how many rows it rewrote, until a short one. */
  const inBatches = async (count: keyof typeof done, pass: (trx: Kysely<DB>) => Promise<number>) => {
    for (;;) {
      const n = await db.transaction().execute(pass);
      done[count] += n;
      options.onProgress?.(done);
      if (n < batch) break;
    }
  };
  await inBatches('people', async (trx) => {
    const rows = await trx
      .selectFrom('base_people')
      .select(['id', 'id_type', 'id_number_cipher', 'phone_cipher'])
      .where('pii_key_id', '<>', current)
      .orderBy('id')
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const r of rows) {
      const idNumber = decryptPii(keyring, 'id_number', r.id_number_cipher);
      const phone = r.phone_cipher ? decryptPii(keyring, 'phone', r.phone_cipher) : null;
      await trx
        .updateTable('base_people')
        .set({
          id_number_cipher: encryptPii(keyring, 'id_number', idNumber),
          id_number_hash: piiHash(keyring, r.id_type, idNumber),
          phone_cipher: phone === null ? null : encryptPii(keyring, 'phone', phone),
          phone_hash: phone === null ? null : piiHash(keyring, PHONE_HASH_KIND, phone),
          pii_key_id: current,
        })
        .where('id', '=', r.id)
        .execute();
    }
    return rows.length;
  });
  await inBatches('units', async (trx) => {
    const rows = await trx
      .selectFrom('base_units')
      .select(['id', 'phone_cipher'])
      .where('pii_key_id', '<>', current)
      .orderBy('id')
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const r of rows) {
      const phone = r.phone_cipher ? decryptPii(keyring, 'phone', r.phone_cipher) : null;
      await trx
        .updateTable('base_units')
        .set({
          phone_cipher: phone === null ? null : encryptPii(keyring, 'phone', phone),
          phone_hash: phone === null ? null : piiHash(keyring, PHONE_HASH_KIND, phone),
          pii_key_id: phone === null ? null : current,
        })
        .where('id', '=', r.id)
        .execute();
    }
    return rows.length;
  });
  // anonymous reports' contacts (migration 0029)
  await inBatches('contacts', async (trx) => {
    const rows = await trx
      .selectFrom('public_reports')
      .select(['case_id', 'contact_cipher'])
      .where('pii_key_id', '<>', current)
      .orderBy('case_id')
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const r of rows) {
      const value = decryptPii(keyring, 'contact', r.contact_cipher);
      await trx
        .updateTable('public_reports')
        .set({
          contact_cipher: encryptPii(keyring, 'contact', value),
          contact_hash: piiHash(keyring, CONTACT_HASH_KIND, value),
          pii_key_id: current,
        })
        .where('case_id', '=', r.case_id)
        .execute();
    }
    return rows.length;
  });
  // Open311 contact fields: under an older key, or still in clear (written before migration 0029)
  await inBatches('contacts', async (trx) => {
    const rows = await trx
      .selectFrom('open311_requests')
      .select([
        'case_id',
        'client_id',
        'email',
        'device_id',
        'account_id',
        'email_cipher',
        'device_id_cipher',
        'account_id_cipher',
      ])
      .where((eb) =>
        eb.or([
          eb('pii_key_id', '<>', current),
          eb('email', 'is not', null),
          eb('device_id', 'is not', null),
          eb('account_id', 'is not', null),
        ]),
      )
      .orderBy('case_id')
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const r of rows) {
      const read = (field: PiiField, clear: string | null, cipher: string | null) =>
        clear ?? (cipher === null ? null : decryptPii(keyring, field, cipher));
      const email = read('email', r.email, r.email_cipher);
      const deviceId = read('device_id', r.device_id, r.device_id_cipher);
      const accountId = read('account_id', r.account_id, r.account_id_cipher);
      await trx
        .updateTable('open311_requests')
        .set(open311ContactColumns(keyring, r.client_id, { email, deviceId, accountId }))
        .where('case_id', '=', r.case_id)
        .execute();
    }
    return rows.length;
  });
  const keysInUse = await piiKeysInUse(deps.database);
  deps.log.info({ ...done, keysInUse }, 'personal data re-encrypted with the current key');
  return { ...done, keysInUse };
}

/** The key ids some stored ciphertext still needs. */
export async function piiKeysInUse(database: Database): Promise<string[]> {
  const people = await database.db.selectFrom('base_people').select('pii_key_id').distinct().execute();
  const units = await database.db
    .selectFrom('base_units')
    .select('pii_key_id')
    .distinct()
    .where('pii_key_id', 'is not', null)
    .execute();
  const contacts = await database.db.selectFrom('public_reports').select('pii_key_id').distinct().execute();
  const open311 = await database.db
    .selectFrom('open311_requests')
    .select('pii_key_id')
    .distinct()
    .where('pii_key_id', 'is not', null)
    .execute();
  return [
    ...new Set(
      [...people, ...units, ...contacts, ...open311]
        .map((r) => r.pii_key_id)
        .filter((k): k is string => k !== null),
    ),
  ].sort();
}
