import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.ts';
import { rect } from '../../core/geo/test-shapes.ts';
import type { Database } from '../../db/database.ts';
import { createRegionIndexCache } from './region-index-cache.ts';

const region = (code: string, name: string, x0: number) => ({
  code,
  name,
  level: 'district' as const,
  parent_code: null,
  geometry: { type: 'Polygon', coordinates: [rect(x0, 31, x0 + 0.1, 31.1)] },
  centroid_lon: null,
  centroid_lat: null,
  area_m2: null,
});

describe('region index cache', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db
      .insertInto('regions')
      .values(region('970001', '甲区', 121))
      .execute();
  });
  afterAll(async () => {
    await database.close();
  });

  it('builds once and reuses the index until the check interval passes', async () => {
    let now = 0;
    const cache = createRegionIndexCache(database, { checkIntervalMs: 1000, clock: () => now });
    const first = await cache.get();
    expect(first.locate(121.05, 31.05).district?.code).toBe('970001');
    expect(await cache.get()).toBe(first);
    await database.db
      .insertInto('regions')
      .values(region('970002', '乙区', 122))
      .execute();
    now = 500;
    expect(await cache.get()).toBe(first); // not checked yet
    now = 1500;
    const second = await cache.get();
    expect(second).not.toBe(first);
    expect(second.locate(122.05, 31.05).district?.code).toBe('970002');
    now = 3000;
    expect(await cache.get()).toBe(second); // checked, unchanged: same index
  });

  it('notices updates written elsewhere (another handle, the CLI) and rebuilds on invalidate()', async () => {
    let now = 0;
    const cache = createRegionIndexCache(database, { checkIntervalMs: 1000, clock: () => now });
    const first = await cache.get();
    await database.db
      .updateTable('regions')
      .set({ name: '甲区（新）' })
      .where('code', '=', '970001')
      .execute();
    now = 2000;
    expect((await cache.get()).locate(121.05, 31.05).district?.name).toBe('甲区（新）');
    const current = await cache.get();
    cache.invalidate();
    const rebuilt = await cache.get();
    expect(rebuilt).not.toBe(current);
    expect(rebuilt).not.toBe(first);
  });

  it('shares one build between concurrent callers', async () => {
    const cache = createRegionIndexCache(database);
    const [a, b, c] = await Promise.all([cache.get(), cache.get(), cache.get()]);
    expect(a).toBe(b);
    expect(b).toBe(c);
  });
});
