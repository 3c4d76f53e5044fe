import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { PersonFields } from '../../core/baseinfo/index.ts';
import { problem, type AddressRef } from '../../core/imports/rows.ts';
import {
  claimKey,
  diff,
  emptyResult,
  presentOnly,
  writeHistory,
  type BatchContext,
  type BatchResult,
  type BatchRow,
  type Changes,
} from './batch.ts';
import { resolveAddresses } from './resolve-addresses.ts';

type Row = BatchRow<{ record: PersonFields; address: AddressRef | null }>;

// compared column → the file's field it comes from (the phone is compared by its keyed hash)
const FIELD_OF: Record<string, string> = {
  name: 'name',
  sex: 'sex',
  birth_date: 'birthDate',
  phone_hash: 'phone',
  hukou: 'hukou',
  dwelling_id: 'address',
  moved_in_on: 'movedInOn',
  left_on: 'leftOn',
  status: 'status',
};
const SECRET: ReadonlySet<string> = new Set(['phone_hash']);

/**
 * 实有人口: the natural key is the keyed hash of the ID type and number, so a person is found again
 * without the number ever being stored in clear; ID and phone numbers are written encrypted. A person
 * is registered in the dwelling at the address the row names (no dwelling there: refused).
 */
export async function writePeople(ctx: BatchContext, rows: readonly Row[]): Promise<BatchResult> {
  const result = emptyResult();
  const resolve = await resolveAddresses(
    ctx,
    rows.flatMap((r) => (r.value.address ? [r.value.address] : [])),
  );
  const resolved = rows.map((row) => ({
    row,
    resolution: row.value.address ? resolve(row.value.address) : null,
  }));
  const addressIds = [
    ...new Set(resolved.flatMap((r) => (r.resolution?.ok ? [r.resolution.address.id] : []))),
  ];
  const dwellingOf = new Map(
    addressIds.length === 0
      ? []
      : (
          await ctx.db
            .selectFrom('base_dwellings')
            .select(['id', 'address_id'])
            .where('address_id', 'in', addressIds)
            .execute()
        ).map((d) => [d.address_id, d.id]),
  );
  const addressField = ctx.present.has('addressCode') ? 'addressCode' : 'address';

  const placed: { row: Row; dwellingId: string; hash: string }[] = [];
  for (const { row, resolution } of resolved) {
    if (!resolution?.ok) {
      result.problems.push({
        row: row.row,
        problem: problem(addressField, resolution?.reason ?? 'required', row.fields),
      });
      continue;
    }
    const dwellingId = dwellingOf.get(resolution.address.id);
    if (dwellingId === undefined) {
      result.problems.push({ row: row.row, problem: problem(addressField, 'no_dwelling', row.fields) });
      continue;
    }
    const hash = ctx.sealer.idHash(row.value.record.idType, row.value.record.idNumber);
    // 128 bits of the keyed hash tell people apart and keep the file's key set small
    if (claimKey(ctx, result, `p:${hash.slice(0, 32)}`, row, 'idNumber'))
      placed.push({ row, dwellingId, hash });
  }
  if (placed.length === 0) return result;

  const existing = new Map(
    (
      await ctx.db
        .selectFrom('base_people')
        .select([
          'id',
          'id_number_hash',
          'name',
          'sex',
          sql<string | null>`to_char(birth_date, 'YYYY-MM-DD')`.as('birth_date'),
          'phone_hash',
          'hukou',
          'dwelling_id',
          sql<string | null>`to_char(moved_in_on, 'YYYY-MM-DD')`.as('moved_in_on'),
          sql<string | null>`to_char(left_on, 'YYYY-MM-DD')`.as('left_on'),
          'status',
        ])
        .where(
          'id_number_hash',
          'in',
          placed.map((p) => p.hash),
        )
        .execute()
    ).map((p) => [p.id_number_hash, p]),
  );

  const history: { entity: 'person'; entityId: string; action: 'create' | 'update'; changes: Changes }[] = [];
  const inserts = [];
  for (const { row, dwellingId, hash } of placed) {
    const r = row.value.record;
    const phoneHash = r.phone === null ? null : ctx.sealer.phoneHash(r.phone);
    const compared = {
      name: r.name,
      sex: r.sex,
      birth_date: r.birthDate,
      phone_hash: phoneHash,
      hukou: r.hukou,
      dwelling_id: dwellingId,
      moved_in_on: r.movedInOn,
      left_on: r.leftOn,
      status: r.status,
    };
    const before = existing.get(hash);
    if (!before) {
      result.inserted++;
      const id = randomUUID();
      inserts.push({
        id,
        id_type: r.idType,
        id_number_cipher: ctx.sealer.seal('id_number', r.idNumber),
        id_number_hash: hash,
        phone_cipher: r.phone === null ? null : ctx.sealer.seal('phone', r.phone),
        pii_key_id: ctx.sealer.keyId,
        ...compared,
      });
      history.push({ entity: 'person', entityId: id, action: 'create', changes: diff({}, compared, SECRET) });
      continue;
    }
    const wanted = presentOnly(ctx, compared, FIELD_OF);
    const changes = diff(before, wanted, SECRET);
    if (Object.keys(changes).length === 0) {
      result.unchanged++;
      continue;
    }
    result.updated++;
    if (!ctx.dryRun) {
      const { phone_hash: newPhoneHash, ...plain } = wanted;
      await ctx.db
        .updateTable('base_people')
        .set({
          ...plain,
          ...('phone_hash' in changes
            ? {
                phone_hash: newPhoneHash ?? null,
                phone_cipher: r.phone === null ? null : ctx.sealer.seal('phone', r.phone),
                pii_key_id: ctx.sealer.keyId,
                // the number is sealed again under the current key with the phone
                id_number_cipher: ctx.sealer.seal('id_number', r.idNumber),
              }
            : {}),
          updated_at: ctx.now,
        })
        .where('id', '=', before.id)
        .execute();
    }
    history.push({ entity: 'person', entityId: before.id, action: 'update', changes });
  }
  if (!ctx.dryRun && inserts.length > 0) await ctx.db.insertInto('base_people').values(inserts).execute();
  await writeHistory(ctx, history);
  return result;
}
