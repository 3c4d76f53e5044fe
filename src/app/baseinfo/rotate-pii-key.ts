import type { Database } from '../../db/database.ts';
import type { Logger } from '../logger.ts';
import { decryptPii, encryptPii, piiHash, type PiiKeyring } from './pii.ts';
import { PHONE_HASH_KIND } from './records.ts';

export interface RotationReport {
  people: number;
  units: number;
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
  options: { batchSize?: number; onProgress?: (done: { people: number; units: number }) => void } = {},
): Promise<RotationReport> {
  const { db } = deps.database;
  const batch = options.batchSize ?? 500;
  const current = keyring.current.id;
  const done = { people: 0, units: 0 };
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
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
    done.people += n;
    options.onProgress?.(done);
    if (n < batch) break;
  }
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
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
    done.units += n;
    options.onProgress?.(done);
    if (n < batch) break;
  }
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
  return [
    ...new Set([...people, ...units].map((r) => r.pii_key_id).filter((k): k is string => k !== null)),
  ].sort();
}
