import path from 'node:path';
import { regionIndexCache } from '../../src/app/territory/region-index-cache.ts';
import type { Database } from '../../src/db/database.ts';
import { MINI } from './identity.ts';

/** The sample files of test/fixtures/import/ (written by make-fixtures.ts). */
export const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'import');
export const fixture = (name: string): string => path.join(FIXTURES, name);

const box = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

/**
 * Gives the mini territory's 古美 street, its first committee and first grid a square around 古美路
 * (WGS84), and 新虹 a square beside it, so points in the sample files are placed.
 */
export async function placeMiniTerritory(database: Database): Promise<void> {
  const set = (code: string, g: object) =>
    database.db
      .updateTable('regions')
      .set({ geometry: JSON.stringify(g) })
      .where('code', '=', code)
      .execute();
  await set(MINI.district, box(121.3, 31.0, 121.5, 31.3));
  await set(MINI.gumei, box(121.37, 31.14, 121.4, 31.16));
  await set(MINI.gumeiCommittees[0], box(121.37, 31.14, 121.4, 31.16));
  await set(MINI.gumeiGrids[0], box(121.37, 31.14, 121.4, 31.16));
  await set(MINI.xinhong, box(121.4, 31.14, 121.43, 31.16));
  regionIndexCache(database).invalidate();
}

/** A finished 古美 people import with one refused row (the access matrix reads it). */
export const MATRIX_IMPORT_RUN = '5d1c3a52-7e0b-4c1e-9a57-0c2f6a1b9e01';

export async function seedMatrixImportRun(database: Database): Promise<void> {
  await database.db
    .insertInto('import_runs')
    .values({
      id: MATRIX_IMPORT_RUN,
      kind: 'people',
      file_name: 'people.csv',
      file_path: fixture('people.csv'),
      file_format: 'csv',
      file_size: 100,
      street_code: MINI.gumei,
      status: 'done',
      rows_read: 1,
      refused: 1,
    })
    .execute();
  await database.db
    .insertInto('import_row_errors')
    .values({ run_id: MATRIX_IMPORT_RUN, seq: 1, row_no: 2, col: '姓名', value: null, reason: 'required' })
    .execute();
}
