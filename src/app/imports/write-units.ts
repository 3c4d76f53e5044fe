import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { UnitFields } from '../../core/baseinfo/index.ts';
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

type Row = BatchRow<{ record: UnitFields; address: AddressRef | null }>;

const FIELD_OF: Record<string, string> = {
  name: 'name',
  kind: 'kind',
  industry: 'industry',
  licence_status: 'licenceStatus',
  licence_no: 'licenceNo',
  licence_expires_on: 'licenceExpiresOn',
  address_id: 'address',
  responsible_person: 'responsiblePerson',
  phone_hash: 'phone',
  employees: 'employees',
  status: 'status',
};
const SECRET: ReadonlySet<string> = new Set(['phone_hash']);

/**
 * 实有单位: the natural key is the unified social credit code; a unit without one (a small 个体 shop
 * often has none on the street's sheet) is keyed by its name at its address. The phone is encrypted.
 */
export async function writeUnits(ctx: BatchContext, rows: readonly Row[]): Promise<BatchResult> {
  const result = emptyResult();
  const resolve = await resolveAddresses(
    ctx,
    rows.flatMap((r) => (r.value.address ? [r.value.address] : [])),
  );
  const addressField = ctx.present.has('addressCode') ? 'addressCode' : 'address';
  const placed: { row: Row; addressId: string | null; key: string }[] = [];
  for (const row of rows) {
    const { record, address } = row.value;
    const resolution = address ? resolve(address) : null;
    if (resolution && !resolution.ok) {
      result.problems.push({ row: row.row, problem: problem(addressField, resolution.reason, row.fields) });
      continue;
    }
    const addressId = resolution?.address.id ?? null;
    const key = record.creditCode ?? `${record.name}@${addressId ?? ''}`;
    if (claimKey(ctx, result, `unit:${key}`, row, record.creditCode ? 'creditCode' : 'name'))
      placed.push({ row, addressId, key });
  }
  if (placed.length === 0) return result;

  const codes = placed.flatMap((p) => (p.row.value.record.creditCode ? [p.row.value.record.creditCode] : []));
  const names = placed.flatMap((p) => (p.row.value.record.creditCode ? [] : [p.row.value.record.name]));
  const rowsFound = await ctx.db
    .selectFrom('base_units')
    .select([
      'id',
      'credit_code',
      'name',
      'kind',
      'industry',
      'licence_status',
      'licence_no',
      sql<string | null>`to_char(licence_expires_on, 'YYYY-MM-DD')`.as('licence_expires_on'),
      'address_id',
      'responsible_person',
      'phone_hash',
      'employees',
      'status',
    ])
    .where((eb) =>
      eb.or([
        ...(codes.length > 0 ? [eb('credit_code', 'in', codes)] : []),
        ...(names.length > 0 ? [eb.and([eb('credit_code', 'is', null), eb('name', 'in', names)])] : []),
      ]),
    )
    .execute();
  const existing = new Map(rowsFound.map((u) => [u.credit_code ?? `${u.name}@${u.address_id ?? ''}`, u]));

  const history: { entity: 'unit'; entityId: string; action: 'create' | 'update'; changes: Changes }[] = [];
  const inserts = [];
  for (const { row, addressId, key } of placed) {
    const r = row.value.record;
    const compared = {
      name: r.name,
      kind: r.kind,
      industry: r.industry,
      licence_status: r.licenceStatus,
      licence_no: r.licenceNo,
      licence_expires_on: r.licenceExpiresOn,
      address_id: addressId,
      responsible_person: r.responsiblePerson,
      phone_hash: r.phone === null ? null : ctx.sealer.phoneHash(r.phone),
      employees: r.employees,
      status: r.status,
    };
    const before = existing.get(key);
    if (!before) {
      result.inserted++;
      const id = randomUUID();
      inserts.push({
        id,
        credit_code: r.creditCode,
        phone_cipher: r.phone === null ? null : ctx.sealer.seal('phone', r.phone),
        pii_key_id: r.phone === null ? null : ctx.sealer.keyId,
        ...compared,
      });
      history.push({ entity: 'unit', entityId: id, action: 'create', changes: diff({}, compared, SECRET) });
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
        .updateTable('base_units')
        .set({
          ...plain,
          ...('phone_hash' in changes
            ? {
                phone_hash: newPhoneHash ?? null,
                phone_cipher: r.phone === null ? null : ctx.sealer.seal('phone', r.phone),
                pii_key_id: r.phone === null ? null : ctx.sealer.keyId,
              }
            : {}),
          updated_at: ctx.now,
        })
        .where('id', '=', before.id)
        .execute();
    }
    history.push({ entity: 'unit', entityId: before.id, action: 'update', changes });
  }
  if (!ctx.dryRun && inserts.length > 0) await ctx.db.insertInto('base_units').values(inserts).execute();
  await writeHistory(ctx, history);
  return result;
}
