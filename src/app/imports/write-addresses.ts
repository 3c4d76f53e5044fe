import { randomUUID } from 'node:crypto';
import { addressCode, addressText, normalizeAddress, type AddressLevel } from '../../core/baseinfo/index.ts';
import { problem, type AddressRow } from '../../core/imports/rows.ts';
import {
  claimKey,
  diff,
  emptyResult,
  writeHistory,
  type BatchContext,
  type BatchResult,
  type BatchRow,
  type Changes,
} from './batch.ts';

type Row = BatchRow<AddressRow>;

interface Planned {
  code: string;
  level: AddressLevel;
  parentCode: string | null;
  name: string;
  fullText: string;
  normalized: string;
  streetCode: string;
  committeeCode: string | null;
  gridCode: string | null;
  lon: number | null;
  lat: number | null;
}

/** Committees by code and by name, per street (read once per run). */
export type CommitteeLookup = (streetCode: string, text: string) => string | null;

/**
 * 标准地址: each row is one address; the levels above it (road, number, building…) are created from its
 * text when missing, with the stable codes of src/core/baseinfo (the row's own code, if the file gives
 * one, is the natural key of the row's address). The street, committee and grid come from the point when
 * the row has one, else from the run's street and the committee column.
 */
export async function writeAddresses(
  ctx: BatchContext,
  rows: readonly Row[],
  committees: CommitteeLookup,
): Promise<BatchResult> {
  const result = emptyResult();
  const plans: { row: Row; chain: Planned[] }[] = [];
  for (const row of rows) {
    const a = row.value;
    const placement = a.point ? ctx.regions.locate(a.point[0], a.point[1]) : null;
    const pointStreet = placement?.street?.code ?? null;
    if (a.point && !pointStreet) {
      result.problems.push({ row: row.row, problem: problem('lon', 'outside_street', row.fields) });
      continue;
    }
    if (ctx.streetCode !== null && pointStreet !== null && pointStreet !== ctx.streetCode) {
      result.problems.push({ row: row.row, problem: problem('lon', 'outside_street', row.fields) });
      continue;
    }
    const streetCode = pointStreet ?? ctx.streetCode;
    if (streetCode === null) {
      result.problems.push({ row: row.row, problem: problem('address', 'no_street', row.fields) });
      continue;
    }
    let committeeCode = placement?.committee?.code ?? null;
    if (a.committee !== null) {
      const named = committees(streetCode, a.committee);
      if (named === null || (committeeCode !== null && named !== committeeCode)) {
        result.problems.push({
          row: row.row,
          problem: problem('committee', 'unknown_committee', row.fields),
        });
        continue;
      }
      committeeCode = named;
    }
    const chain: Planned[] = a.segments.map((segment, i) => {
      const path = a.segments.slice(0, i + 1);
      const leaf = i === a.segments.length - 1;
      const fullText = addressText(path);
      return {
        code: leaf && a.code !== null ? a.code : addressCode(streetCode, path),
        level: segment.level,
        parentCode: null,
        name: addressText([segment]),
        fullText,
        normalized: normalizeAddress(fullText),
        streetCode,
        // a road crosses committees; the levels below it lie in the leaf's
        committeeCode: segment.level === 'road' ? null : committeeCode,
        gridCode: segment.level === 'road' ? null : (placement?.grid?.code ?? null),
        lon: leaf ? (a.point?.[0] ?? null) : null,
        lat: leaf ? (a.point?.[1] ?? null) : null,
      };
    });
    chain.forEach((p, i) => (p.parentCode = i === 0 ? null : chain[i - 1]!.code));
    const leaf = chain[chain.length - 1]!;
    if (claimKey(ctx, result, `address:${leaf.code}`, row, ctx.present.has('code') ? 'code' : 'address'))
      plans.push({ row, chain });
  }
  if (plans.length === 0) return result;

  const allCodes = [...new Set(plans.flatMap((p) => p.chain.map((c) => c.code)))];
  const existing = new Map(
    (
      await ctx.db
        .selectFrom('base_addresses')
        .select([
          'id',
          'code',
          'level',
          'parent_id',
          'name',
          'full_text',
          'normalized',
          'street_code',
          'committee_code',
          'grid_code',
          'lon',
          'lat',
        ])
        .where('code', 'in', allCodes)
        .execute()
    ).map((a) => [a.code, a]),
  );
  const idOf = new Map([...existing.values()].map((a) => [a.code, a.id]));
  const history: { entity: 'address'; entityId: string; action: 'create' | 'update'; changes: Changes }[] =
    [];
  // parents first: inserts go in chain order so a child's parent row exists (or is in the same insert)
  const inserts: Record<string, unknown>[] = [];
  const create = (p: Planned) => {
    const id = randomUUID();
    idOf.set(p.code, id);
    const columns = columnsOf(p, p.parentCode === null ? null : (idOf.get(p.parentCode) ?? null));
    inserts.push({ id, ...columns });
    history.push({ entity: 'address', entityId: id, action: 'create', changes: diff({}, columns) });
  };
  for (const { row, chain } of plans) {
    const leaf = chain[chain.length - 1]!;
    for (const ancestor of chain.slice(0, -1)) if (!idOf.has(ancestor.code)) create(ancestor);
    const before = existing.get(leaf.code);
    if (!before) {
      if (idOf.has(leaf.code)) {
        // created above as another row's ancestor in this batch: this row only adds its point
        result.inserted++;
        const made = inserts.find((i) => i.id === idOf.get(leaf.code));
        if (made) Object.assign(made, columnsOf(leaf, made.parent_id as string | null));
        continue;
      }
      result.inserted++;
      create(leaf);
      continue;
    }
    const parentId = leaf.parentCode === null ? null : (idOf.get(leaf.parentCode) ?? null);
    const columns = columnsOf(leaf, parentId);
    // the text and hierarchy always come from the row; the point and committee only when it has them
    const { committee_code, grid_code, lon, lat, ...always } = columns;
    const wanted: Record<string, unknown> = { ...always };
    if (leaf.lon !== null) Object.assign(wanted, { lon, lat, grid_code, committee_code });
    else if (row.value.committee !== null) wanted.committee_code = committee_code;
    const changes = diff(before, wanted);
    if (Object.keys(changes).length === 0) {
      result.unchanged++;
      continue;
    }
    if (before.street_code !== leaf.streetCode && ctx.streetCode !== null) {
      // an address of another street is not this run's to move
      result.problems.push({ row: row.row, problem: problem('code', 'outside_street', row.fields) });
      continue;
    }
    result.updated++;
    if (!ctx.dryRun) {
      await ctx.db
        .updateTable('base_addresses')
        .set({ ...wanted, updated_at: ctx.now })
        .where('id', '=', before.id)
        .execute();
    }
    history.push({ entity: 'address', entityId: before.id, action: 'update', changes });
  }
  if (!ctx.dryRun && inserts.length > 0)
    await ctx.db
      .insertInto('base_addresses')
      .values(inserts as never)
      .execute();
  await writeHistory(ctx, history);
  return result;
}

const columnsOf = (p: Planned, parentId: string | null) => ({
  code: p.code,
  level: p.level,
  parent_id: parentId,
  name: p.name,
  full_text: p.fullText,
  normalized: p.normalized,
  street_code: p.streetCode,
  committee_code: p.committeeCode,
  grid_code: p.gridCode,
  lon: p.lon,
  lat: p.lat,
});
