import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.ts';
import { AppError } from '../../core/errors.ts';
import { toWgs84 } from '../../core/geo/crs.ts';
import { rect, ring } from '../../core/geo/test-shapes.ts';
import type { Database } from '../../db/database.ts';
import { importRegions, type ImportProgress } from './import-regions.ts';
import { locatePoint } from './locate.ts';

// a small made-up territory under a test district code, so it cannot collide with other data
const feature = (code: string, name: string, coordinates: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: { code, name, ...extra },
  geometry: { type: 'Polygon', coordinates },
});
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const territory = () => [
  feature('990001', '测试区', [rect(121, 31, 121.1, 31.1)]),
  feature('990001001', '甲街道', [rect(121, 31, 121.05, 31.1)]),
  feature('990001002', '乙街道', [rect(121.05, 31, 121.1, 31.1)], { level: 'street', parent: '990001' }),
  feature('990001001001', '一居委', [rect(121, 31, 121.05, 31.05)]),
  feature('99000100100101', '一网格', [rect(121, 31, 121.025, 31.05)]),
];
const bowTie = feature('990001001002', '坏居委', [
  ring([121, 31.05], [121.05, 31.1], [121.05, 31.05], [121, 31.1]),
]);

describe('importRegions', () => {
  let database: Database;
  const snapshot = () =>
    database.db.selectFrom('regions').selectAll().where('code', 'like', '99%').orderBy('code').execute();
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('rejects a file with one self-intersecting polygon, names the feature and writes nothing', async () => {
    const before = await snapshot();
    const error = await importRegions(database, collection(...territory(), bowTie)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('validation_failed');
    expect(appError.message).toBe('1 of 6 features are invalid; nothing was imported');
    expect(appError.details?.problems).toEqual([
      expect.objectContaining({ index: 5, code: '990001001002', reason: 'self_intersection' }),
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('checks everything with a dry run and writes nothing', async () => {
    const result = await importRegions(database, collection(...territory()), { dryRun: true });
    expect(result).toMatchObject({ total: 5, inserted: 5, dryRun: true });
    expect(await snapshot()).toEqual([]);
  });

  it('imports a valid file in one go, parents first, with centroid and area, and locates in it', async () => {
    const progress: ImportProgress[] = [];
    // the file lists a child before its parent and a parent only in the file: both are fine
    const [district, streetA, streetB, committee, grid] = territory();
    const result = await importRegions(database, collection(grid, committee, streetB, streetA, district), {
      batchSize: 2,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toEqual({
      total: 5,
      inserted: 5,
      updated: 0,
      byLevel: { district: 1, street: 2, committee: 1, grid: 1 },
      dryRun: false,
      toleranceM2: 1,
      // reported, not refused: 甲 has one committee for its south half, that committee one grid for its west
      gaps: [
        {
          parent: '990001001',
          areaM2: expect.closeTo(26.5e6, -5),
          at: [expect.closeTo(121.025, 6), expect.closeTo(31.075, 6)],
        },
        {
          parent: '990001001001',
          areaM2: expect.closeTo(13.2e6, -5),
          at: [expect.closeTo(121.0375, 6), expect.closeTo(31.025, 6)],
        },
      ],
    });
    expect(progress.at(-1)).toEqual({ phase: 'writing', done: 5, total: 5 });
    expect(progress.filter((p) => p.phase === 'writing').map((p) => p.done)).toEqual([2, 4, 5]);
    const rows = await snapshot();
    expect(rows.map((r) => [r.code, r.level, r.parent_code, r.synthetic])).toEqual([
      ['990001', 'district', null, false],
      ['990001001', 'street', '990001', false],
      ['990001001001', 'committee', '990001001', false],
      ['99000100100101', 'grid', '990001001001', false],
      ['990001002', 'street', '990001', false],
    ]);
    expect(rows[0]!.centroid_lon).toBeCloseTo(121.05, 9);
    expect(rows[0]!.area_m2! / 1e6).toBeGreaterThan(100); // 0.1° × 0.1° at 31°N ≈ 106 km²
    const here = await locatePoint(database, { lon: 121.01, lat: 31.01 });
    expect(here).toMatchObject({
      inside: true,
      street: { code: '990001001' },
      grid: { code: '99000100100101', name: '一网格' },
    });
  });

  it('updates existing regions by code', async () => {
    const [district] = territory();
    const renamed = feature('990001001', '甲街道（新）', [rect(121, 31, 121.05, 31.1)]);
    const result = await importRegions(
      database,
      collection(district, renamed, feature('990001001002', '二居委', [rect(121, 31.05, 121.05, 31.1)])),
    );
    expect(result).toMatchObject({ total: 3, inserted: 1, updated: 2 });
    expect((await snapshot()).find((r) => r.code === '990001001')?.name).toBe('甲街道（新）');
    expect(await locatePoint(database, { lon: 121.01, lat: 31.09 })).toMatchObject({
      committee: { code: '990001001002' },
    });
  });

  it('accepts parents already in the database and rejects unknown ones', async () => {
    await expect(
      importRegions(database, collection(feature('990001002001', '丙居委', [rect(121.05, 31, 121.1, 31.1)]))),
    ).resolves.toMatchObject({ inserted: 1 });
    const error = (await importRegions(
      database,
      collection(feature('990002001', 'x', [rect(121, 31, 121.1, 31.1)])),
    ).catch((e: unknown) => e)) as AppError;
    expect(error.details?.problems).toEqual([
      expect.objectContaining({ index: 0, code: '990002001', reason: 'unknown_parent' }),
    ]);
  });

  it('rolls back everything when writing fails part-way', async () => {
    const before = await snapshot();
    const features = [
      feature('990001', '测试区（改）', [rect(121, 31, 121.1, 31.1)]),
      feature('990001002', '乙街道（改）', [rect(121.05, 31, 121.1, 31.1)]),
      feature('990001002001', '丙居委（改）', [rect(121.05, 31, 121.1, 31.1)]),
    ];
    const failing = importRegions(database, collection(...features), {
      batchSize: 1,
      onProgress: (p) => {
        if (p.phase === 'writing' && p.done === 2) throw new Error('disk full');
      },
    });
    await expect(failing).rejects.toThrow('disk full');
    expect(await snapshot()).toEqual(before);
  });

  it('converts a GCJ-02 file to WGS84 before storing', async () => {
    await importRegions(database, collection(feature('990004', '戊区', [rect(121.3, 31.2, 121.31, 31.21)])), {
      crs: 'gcj02',
    });
    const row = await database.db
      .selectFrom('regions')
      .select('geometry')
      .where('code', '=', '990004')
      .executeTakeFirstOrThrow();
    expect((row.geometry as { coordinates: number[][][] }).coordinates[0]![0]).toEqual(
      toWgs84(121.3, 31.2, 'gcj02'),
    );
  });

  describe('the tiling (gaps, overlaps, parts outside the parent)', () => {
    // a separate district, 990005, halved into two streets at 121.25 (about 95 m per 0.001° of longitude)
    const D = '990005';
    const district = () => feature(D, '拼图区', [rect(121.2, 31.2, 121.3, 31.3)]);
    const west = (east = 121.25) => feature('990005001', '西街道', [rect(121.2, 31.2, east, 31.3)]);
    const eastStreet = (west = 121.25) => feature('990005002', '东街道', [rect(west, 31.2, 121.3, 31.3)]);
    const ours = () =>
      database.db
        .selectFrom('regions')
        .select('code')
        .where('code', 'like', `${D}%`)
        .orderBy('code')
        .execute();

    it('refuses siblings that overlap by more than the tolerance, naming both, and writes nothing', async () => {
      // 西街道 reaches 0.0001° (≈ 9.5 m) into 东街道: ≈ 105,000 m²
      const error = (await importRegions(
        database,
        collection(district(), west(121.2501), eastStreet()),
      ).catch((e: unknown) => e)) as AppError;
      expect(error).toBeInstanceOf(AppError);
      expect(error.code).toBe('validation_failed');
      expect(error.details?.problems).toEqual([
        expect.objectContaining({
          index: 2,
          code: '990005002',
          reason: 'overlap',
          message: expect.stringMatching(
            /^990005001 and 990005002 overlap by \d+(\.\d+)? m² around \[121\.25/,
          ),
        }),
      ]);
      expect(await ours()).toEqual([]);
    });

    it('refuses a child reaching outside its parent', async () => {
      const error = (await importRegions(
        database,
        collection(district(), west(), feature('990005002', '东街道', [rect(121.25, 31.2, 121.301, 31.3)])),
      ).catch((e: unknown) => e)) as AppError;
      expect(error.details?.problems).toEqual([
        expect.objectContaining({ code: '990005002', reason: 'outside_parent' }),
      ]);
      expect(await ours()).toEqual([]);
    });

    it('reports a gap above the tolerance but imports; ignores pieces within a configurable tolerance', async () => {
      // a strip 0.00001° wide (≈ 0.95 m × 11 km ≈ 10,500 m²) between the streets
      const result = await importRegions(database, collection(district(), west(), eastStreet(121.25001)), {
        dryRun: true,
      });
      expect(result.gaps).toEqual([
        {
          parent: D,
          areaM2: expect.closeTo(10_500, -3),
          at: [expect.closeTo(121.250005, 6), expect.closeTo(31.25, 6)],
        },
      ]);
      const tolerant = await importRegions(database, collection(district(), west(121.25001), eastStreet()), {
        toleranceM2: 20_000,
      });
      expect(tolerant).toMatchObject({ inserted: 3, gaps: [], toleranceM2: 20_000 });
      expect((await ours()).map((r) => r.code)).toEqual([D, '990005001', '990005002']);
    });

    it('checks a single street imported later against the siblings already stored', async () => {
      const error = (await importRegions(
        database,
        collection(feature('990005003', '新街道', [rect(121.28, 31.2, 121.3, 31.22)])),
      ).catch((e: unknown) => e)) as AppError;
      expect(error.details?.problems).toEqual([
        expect.objectContaining({ index: 0, code: '990005003', reason: 'overlap' }),
      ]);
    });
  });
});
