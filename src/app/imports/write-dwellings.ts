import { randomUUID } from 'node:crypto';
import type { DwellingFields } from '../../core/baseinfo/index.ts';
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

type Row = BatchRow<{ record: DwellingFields; address: AddressRef | null }>;

// table column → the file's field it comes from
const FIELD_OF = { use: 'use', occupancy: 'occupancy', area_m2: 'areaM2', rooms: 'rooms', note: 'note' };

/** 实有房屋: one dwelling per address (the natural key is the address), upserted. */
export async function writeDwellings(ctx: BatchContext, rows: readonly Row[]): Promise<BatchResult> {
  const result = emptyResult();
  const resolve = await resolveAddresses(
    ctx,
    rows.flatMap((r) => (r.value.address ? [r.value.address] : [])),
  );
  const placed: { row: Row; addressId: string }[] = [];
  for (const row of rows) {
    const resolution = row.value.address ? resolve(row.value.address) : null;
    if (!resolution?.ok) {
      const field = ctx.present.has('addressCode') ? 'addressCode' : 'address';
      result.problems.push({
        row: row.row,
        problem: problem(field, resolution?.reason ?? 'required', row.fields),
      });
      continue;
    }
    if (claimKey(ctx, result, `dwelling:${resolution.address.id}`, row, 'address'))
      placed.push({ row, addressId: resolution.address.id });
  }
  if (placed.length === 0) return result;

  const existing = new Map(
    (
      await ctx.db
        .selectFrom('base_dwellings')
        .select(['id', 'address_id', 'use', 'occupancy', 'area_m2', 'rooms', 'note'])
        .where(
          'address_id',
          'in',
          placed.map((p) => p.addressId),
        )
        .execute()
    ).map((d) => [d.address_id, d]),
  );
  const history: { entity: 'dwelling'; entityId: string; action: 'create' | 'update'; changes: Changes }[] =
    [];
  const inserts: (ReturnType<typeof columnsOf> & { id: string; address_id: string })[] = [];
  for (const { row, addressId } of placed) {
    const r = row.value.record;
    const columns = columnsOf(r);
    const before = existing.get(addressId);
    if (!before) {
      result.inserted++;
      const id = randomUUID();
      inserts.push({ id, address_id: addressId, ...columns });
      history.push({ entity: 'dwelling', entityId: id, action: 'create', changes: diff({}, columns) });
      continue;
    }
    const wanted = presentOnly(ctx, columns, FIELD_OF);
    const changes = diff(before, wanted);
    if (Object.keys(changes).length === 0) {
      result.unchanged++;
      continue;
    }
    result.updated++;
    if (!ctx.dryRun) {
      await ctx.db
        .updateTable('base_dwellings')
        .set({ ...wanted, updated_at: ctx.now })
        .where('id', '=', before.id)
        .execute();
    }
    history.push({ entity: 'dwelling', entityId: before.id, action: 'update', changes });
  }
  if (!ctx.dryRun && inserts.length > 0) await ctx.db.insertInto('base_dwellings').values(inserts).execute();
  await writeHistory(ctx, history);
  return result;
}

const columnsOf = (r: DwellingFields) => ({
  use: r.use,
  occupancy: r.occupancy,
  area_m2: r.areaM2,
  rooms: r.rooms,
  note: r.note,
});
