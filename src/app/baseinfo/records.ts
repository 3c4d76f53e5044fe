import { sql, type Insertable, type Kysely } from 'kysely';
import type { DB } from '../../db/schema/index.ts';
import type { BaseUnit, Person } from '../../core/baseinfo/types.ts';
import type { BasePeopleTable, BaseUnitsTable } from '../../db/schema/baseinfo.ts';
import { decryptPii, encryptPii, piiHash, type PiiKeyring } from './pii.ts';

/**
 * Between the clear records of the core and the stored rows: ID and phone numbers are encrypted and
 * hashed on the way in and decrypted on the way out. The one place that knows the column pairs, used by
 * the demo, the import and the use cases alike.
 */

/** The lookup-hash namespace of a phone number (ID numbers use their ID type). */
export const PHONE_HASH_KIND = 'phone';

export function personRow(keyring: PiiKeyring, person: Person): Insertable<BasePeopleTable> {
  return {
    id: person.id,
    name: person.name,
    id_type: person.idType,
    id_number_cipher: encryptPii(keyring, 'id_number', person.idNumber),
    id_number_hash: piiHash(keyring, person.idType, person.idNumber),
    sex: person.sex,
    birth_date: person.birthDate,
    phone_cipher: person.phone === null ? null : encryptPii(keyring, 'phone', person.phone),
    phone_hash: person.phone === null ? null : piiHash(keyring, PHONE_HASH_KIND, person.phone),
    pii_key_id: keyring.current.id,
    hukou: person.hukou,
    dwelling_id: person.dwellingId,
    moved_in_on: person.movedInOn,
    left_on: person.leftOn,
    status: person.status,
  };
}

export function unitRow(keyring: PiiKeyring, unit: BaseUnit): Insertable<BaseUnitsTable> {
  return {
    id: unit.id,
    name: unit.name,
    credit_code: unit.creditCode,
    kind: unit.kind,
    industry: unit.industry,
    licence_status: unit.licenceStatus,
    licence_no: unit.licenceNo,
    licence_expires_on: unit.licenceExpiresOn,
    address_id: unit.addressId,
    responsible_person: unit.responsiblePerson,
    phone_cipher: unit.phone === null ? null : encryptPii(keyring, 'phone', unit.phone),
    phone_hash: unit.phone === null ? null : piiHash(keyring, PHONE_HASH_KIND, unit.phone),
    pii_key_id: unit.phone === null ? null : keyring.current.id,
    employees: unit.employees,
    status: unit.status,
  };
}

/** The clear ID and phone numbers of a stored person or unit row. */
export function decryptContact(
  keyring: PiiKeyring,
  row: { id_number_cipher?: string | null; phone_cipher: string | null },
): { idNumber: string | null; phone: string | null } {
  return {
    idNumber: row.id_number_cipher ? decryptPii(keyring, 'id_number', row.id_number_cipher) : null,
    phone: row.phone_cipher ? decryptPii(keyring, 'phone', row.phone_cipher) : null,
  };
}

/** Inserts rows in multi-row statements of `chunk` rows (the demo and the import write thousands). */
export async function insertChunked<T>(
  rows: readonly T[],
  chunk: number,
  write: (part: T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) await write(rows.slice(i, i + chunk));
}

/**
 * Bulk insert of thousands of rows as ONE parameter: the rows travel as a JSON array and PostgreSQL
 * unpacks them (`jsonb_populate_recordset`), which is several times faster than multi-row VALUES with
 * a bind parameter per cell (on PGlite above all). Columns are the keys of the first row; the others
 * get their defaults. Dates travel as ISO strings, JSON columns as nested JSON.
 */
export async function insertJsonRows<T extends keyof DB & string>(
  db: Kysely<DB>,
  table: T,
  rows: readonly Insertable<DB[T]>[],
  chunk = 5000,
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const list = sql.join(columns.map((c) => sql.ref(c)));
  for (let i = 0; i < rows.length; i += chunk) {
    const json = JSON.stringify(rows.slice(i, i + chunk));
    await sql`insert into ${sql.table(table)} (${list}) select ${list} from jsonb_populate_recordset(null::${sql.table(table)}, ${json}::jsonb)`.execute(
      db,
    );
  }
}
