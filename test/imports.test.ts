/**
 * Base-information import (issue 12 §4, acceptance): the sample files with exactly 10 bad rows are
 * reported row by row with reasons and the rest imported; the same file again changes nothing; a dry run
 * writes nothing; ID and phone numbers are stored only encrypted. Runs on PGlite and PostgreSQL.
 */
import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImportRun } from '../src/app/imports/create-import-run.ts';
import { allImportRowErrors, listImportRuns, readImportRun } from '../src/app/imports/query-imports.ts';
import { runImport, type ImportOutcome } from '../src/app/imports/run-import.ts';
import { currentImportSealer } from '../src/app/imports/sealer.ts';
import { SILENT } from '../src/app/logger.ts';
import type { Actor } from '../src/core/actor.ts';
import type { ImportKind } from '../src/core/imports/fields.ts';
import type { Database } from '../src/db/database.ts';
import { createTestDatabase } from './support/database.ts';
import { MINI, seedIdentityFixture } from './support/identity.ts';
import { fixture, placeMiniTerritory } from './support/imports.ts';

const expected = JSON.parse(fs.readFileSync(fixture('expected.json'), 'utf8')) as {
  people: { rows: number; bad: Record<string, string> };
  units: { rows: number; bad: Record<string, string> };
};

let database: Database;
let actors: Map<string, Actor>;
const now = () => new Date('2026-10-01T02:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  actors = await seedIdentityFixture(database);
  await placeMiniTerritory(database);
});
afterAll(async () => database.close());

async function importFile(
  kind: ImportKind,
  file: string,
  options: { who?: string; dryRun?: boolean; batchSize?: number } = {},
): Promise<ImportOutcome> {
  const actor = actors.get(options.who ?? 'gumei.dispatcher')!;
  const { run } = await createImportRun(database, actor, {
    kind,
    fileName: file,
    filePath: fixture(file),
    streetCode: null,
    dryRun: options.dryRun ?? false,
  });
  return runImport({ database, logger: SILENT, sealer: currentImportSealer(), now }, run.id, {
    batchSize: options.batchSize ?? 7,
  });
}

async function refusedRows(runId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const e of allImportRowErrors(database, runId)) out[String(e.row)] = e.reason;
  return out;
}

const count = async (
  table: 'base_addresses' | 'base_dwellings' | 'base_people' | 'base_units' | 'base_history',
) =>
  Number(
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(database.db))
      .rows[0]!.n,
  );

describe('importing base information', () => {
  it('imports the address list, creating the levels above each room and converting GCJ-02 points', async () => {
    const run = await importFile('addresses', 'addresses.csv');
    expect(run).toMatchObject({ status: 'done', rowsRead: 40, inserted: 40, refused: 0 });
    const room = await database.db
      .selectFrom('base_addresses')
      .selectAll()
      .where('code', '=', 'GM1L1H101')
      .executeTakeFirstOrThrow();
    expect(room).toMatchObject({
      level: 'room',
      street_code: MINI.gumei,
      committee_code: MINI.gumeiCommittees[0],
    });
    // 121.3850, 31.1480 on a 高德 (GCJ-02) map is about 450 m east and 200 m south of the WGS84 point
    expect(room.lon).toBeGreaterThan(121.379);
    expect(room.lon).toBeLessThan(121.382);
    expect(room.lat).toBeGreaterThan(31.149);
    const chain = await database.db
      .selectFrom('base_addresses')
      .select(['level', 'full_text'])
      .where('full_text', 'in', ['古美路1弄', '古美路1弄1号'])
      .orderBy('level')
      .execute();
    expect(chain.map((c) => c.level).sort()).toEqual(['number', 'road']);
    expect(await count('base_addresses')).toBe(1 + 4 + 40);
  });

  it('imports dwellings at those addresses (UTF-8 with BOM)', async () => {
    const run = await importFile('dwellings', 'dwellings.csv');
    expect(run).toMatchObject({ status: 'done', rowsRead: 40, inserted: 40, refused: 0 });
  });

  it('reports exactly the 10 bad rows of the people file (GBK CSV) and imports the rest', async () => {
    const historyBefore = await count('base_history');
    const run = await importFile('people', 'people.csv');
    expect(run).toMatchObject({ status: 'done', rowsRead: 50, inserted: 40, updated: 0, refused: 10 });
    expect(await refusedRows(run.id)).toEqual(expected.people.bad);
    expect(await count('base_people')).toBe(40);
    expect(await count('base_history')).toBe(historyBefore + 40);
    const history = await database.db
      .selectFrom('base_history')
      .select(['source', 'source_ref', 'changes'])
      .where('entity', '=', 'person')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(history).toMatchObject({ source: 'import', source_ref: run.id });
    expect(JSON.stringify(history.changes)).not.toMatch(/140\d{8}/);
  });

  it('changes nothing when the same file is imported again, as CSV or as .xlsx', async () => {
    const historyBefore = await count('base_history');
    for (const file of ['people.csv', 'people.xlsx']) {
      const run = await importFile('people', file, { batchSize: 500 });
      expect(run).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 40, refused: 10 });
      expect(await refusedRows(run.id)).toEqual(expected.people.bad);
    }
    expect(await count('base_people')).toBe(40);
    expect(await count('base_history')).toBe(historyBefore);
  });

  it('a dry run of the units file reports what it would do and writes nothing', async () => {
    const run = await importFile('units', 'units.xlsx', { dryRun: true });
    expect(run).toMatchObject({ status: 'done', dryRun: true, rowsRead: 30, inserted: 20, refused: 10 });
    expect(await refusedRows(run.id)).toEqual(expected.units.bad);
    expect(await count('base_units')).toBe(0);
    expect((await readImportRun(database, run.id)).progress).toBe(1);
  });

  it('reports exactly the 10 bad rows of the units file (.xlsx) and imports the rest, once', async () => {
    const first = await importFile('units', 'units.xlsx');
    expect(first).toMatchObject({ status: 'done', inserted: 20, refused: 10 });
    expect(await refusedRows(first.id)).toEqual(expected.units.bad);
    const again = await importFile('units', 'units.xlsx');
    expect(again).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 20, refused: 10 });
    expect(await count('base_units')).toBe(20);
  });

  it('updates only what changed, with a history row naming the run', async () => {
    const dir = fs.mkdtempSync('/tmp/liandong-import-');
    const file = `${dir}/changed.csv`;
    fs.writeFileSync(file, '地址编码,房屋用途,居住类型\nGM1L1H101,商铺,自住\nGM1L1H102,住宅,出租\n');
    const { run } = await createImportRun(database, actors.get('admin')!, {
      kind: 'dwellings',
      fileName: 'changed.csv',
      filePath: file,
      streetCode: MINI.gumei,
      dryRun: false,
    });
    const out = await runImport({ database, logger: SILENT, sealer: currentImportSealer(), now }, run.id);
    expect(out).toMatchObject({ status: 'done', updated: 1, unchanged: 1, refused: 0 });
    const dwelling = await database.db
      .selectFrom('base_dwellings as d')
      .innerJoin('base_addresses as a', 'a.id', 'd.address_id')
      .select(['d.id', 'd.use', 'd.area_m2'])
      .where('a.code', '=', 'GM1L1H101')
      .executeTakeFirstOrThrow();
    // the area column is not in this file: kept
    expect(dwelling).toMatchObject({ use: 'shop' });
    expect(dwelling.area_m2).toBe(40);
    const history = await database.db
      .selectFrom('base_history')
      .select(['action', 'changes'])
      .where('entity_id', '=', dwelling.id)
      .where('source_ref', '=', run.id)
      .execute();
    expect(history).toEqual([{ action: 'update', changes: { use: { from: 'residential', to: 'shop' } } }]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores no ID or phone number in clear, and the row report masks them', async () => {
    const text = fs.readFileSync(fixture('people.csv')).toString('latin1');
    const numbers = [...text.matchAll(/9901\d{13}[\dX]|140\d{8}/g)].map((m) => m[0]);
    expect(numbers.length).toBeGreaterThan(50);
    const dump = JSON.stringify([
      await database.db.selectFrom('base_people').selectAll().execute(),
      await database.db.selectFrom('base_units').selectAll().execute(),
      await database.db.selectFrom('base_history').selectAll().execute(),
      await database.db.selectFrom('import_row_errors').selectAll().execute(),
    ]);
    for (const n of numbers) expect(dump).not.toContain(n);
  });

  it('keeps a street operator to their street', async () => {
    const xinhong = actors.get('xinhong.dispatcher');
    if (xinhong) {
      await expect(
        createImportRun(database, xinhong, {
          kind: 'people',
          fileName: 'p.csv',
          filePath: fixture('people.csv'),
          streetCode: MINI.gumei,
          dryRun: true,
        }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      // in their own street the 古美 addresses do not exist for them: every row is refused, none guessed
      const run = await importFile('people', 'people.csv', { who: 'xinhong.dispatcher', dryRun: true });
      expect(run).toMatchObject({ status: 'done', inserted: 0, unchanged: 0, refused: 50 });
    }
    await expect(
      createImportRun(database, actors.get('gumei.patroller')!, {
        kind: 'people',
        fileName: 'p.csv',
        filePath: fixture('people.csv'),
        streetCode: null,
        dryRun: true,
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('fails a run whose file lacks a required column, and refuses to run a run twice', async () => {
    const run = await importFile('units', 'people.csv');
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/Missing columns: .*industry/);
    await expect(
      runImport({ database, logger: SILENT, sealer: currentImportSealer(), now }, run.id),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('shows a run whose process died as failed once it stopped beating, not running for ever', async () => {
    const stuck = await database.db
      .insertInto('import_runs')
      .values({
        kind: 'people',
        file_name: 'p.csv',
        file_path: fixture('people.csv'),
        file_format: 'csv',
        street_code: MINI.gumei,
        status: 'running',
        heartbeat_at: new Date('2026-10-01T01:55:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const admin = actors.get('admin')!;
    const at = (iso: string) => ({ limit: 100, now: new Date(iso) });
    const statusAt = async (iso: string) =>
      (await listImportRuns(database, admin, at(iso))).find((r) => r.id === stuck.id)?.status;
    expect(await statusAt('2026-10-01T02:04:00Z')).toBe('running');
    expect(await statusAt('2026-10-01T02:06:00Z')).toBe('failed');
    expect((await readImportRun(database, stuck.id)).error).toMatch(/interrupted/);
  });
});
