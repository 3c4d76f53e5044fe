import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.ts';
import { demoTerritoryRows } from '../../../test/support/demo-territory.ts';
import { loadConfig } from '../../config.ts';
import { distanceMetres, fromWgs84 } from '../../core/geo/crs.ts';
import type { Database } from '../../db/database.ts';
import { seedDemoTerritory } from '../../demo/seed-territory.ts';
import { loadMinhangSource } from '../../demo/territory.ts';
import { buildTestApp } from '../../../test/support/compilers.ts';

const GUMEI = '310112006';

describe('GET /api/v1/locate on the demo territory', () => {
  let database: Database;
  let app: FastifyInstance;
  // 古美's hand-placed centre, converted to WGS84 (the generator keeps it inside 古美)
  const gumei = loadMinhangSource().streetSeeds.get(GUMEI)!;
  const locate = async (query: string) => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/locate?${query}` });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const seeded = await seedDemoTerritory(database, { rows: demoTerritoryRows() });
    expect(seeded).toMatchObject({ district: 1, street: 14, committee: 596 });
    app = await buildTestApp({ database, config: loadConfig({}), demo: true });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('places a point in 古美街道 in a grid of one of its committees', async () => {
    const { status, body } = await locate(`lon=${gumei[0]}&lat=${gumei[1]}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      inside: true,
      input: { lon: gumei[0], lat: gumei[1], crs: 'wgs84' },
      position: { lon: gumei[0], lat: gumei[1], crs: 'wgs84' },
      district: { code: '310112', name: '闵行区' },
      street: { code: GUMEI, name: '古美街道' },
    });
    expect(body.grid.code).toMatch(/^310112006\d{5}$/);
    expect(body.grid.code.slice(0, 12)).toBe(body.committee.code);
    const committee = await database.db
      .selectFrom('regions')
      .select('parent_code')
      .where('code', '=', body.committee.code)
      .executeTakeFirst();
    expect(committee?.parent_code).toBe(GUMEI);
  });

  it('answers inside:false (200) for central Xuhui and for the sea', async () => {
    for (const [lon, lat] of [
      [121.437, 31.188],
      [122.2, 30.9],
    ]) {
      const { status, body } = await locate(`lon=${lon}&lat=${lat}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        inside: false,
        district: null,
        street: null,
        committee: null,
        grid: null,
      });
    }
  });

  it('converts GCJ-02 and BD-09 input: the same numbers land a few hundred metres apart', async () => {
    const [lon, lat] = gumei;
    const wgs = (await locate(`lon=${lon}&lat=${lat}&crs=wgs84`)).body;
    const gcj = (await locate(`lon=${lon}&lat=${lat}&crs=gcj02`)).body;
    expect(gcj.input).toEqual({ lon, lat, crs: 'gcj02' });
    expect(gcj.position.crs).toBe('wgs84');
    const apart = distanceMetres([wgs.position.lon, wgs.position.lat], [gcj.position.lon, gcj.position.lat]);
    expect(apart).toBeGreaterThan(200);
    expect(apart).toBeLessThan(1000);
    // a map click on a GCJ-02 base map at 古美's centre finds the same grid as the GPS fix there
    const [gLon, gLat] = fromWgs84(lon, lat, 'gcj02');
    const fromMap = (await locate(`lon=${gLon}&lat=${gLat}&crs=gcj02`)).body;
    expect(fromMap.grid).toEqual(wgs.grid);
    const [bLon, bLat] = fromWgs84(lon, lat, 'bd09');
    expect((await locate(`lon=${bLon}&lat=${bLat}&crs=bd09`)).body.grid).toEqual(wgs.grid);
  });

  it('rejects malformed or out-of-range coordinates with validation_failed (400)', async () => {
    for (const query of [
      'lon=abc&lat=31.1',
      'lon=121.4',
      'lon=181&lat=31',
      'lon=121.4&lat=-91',
      'lon=121.4&lat=31.1&crs=utm',
    ]) {
      const response = await app.inject({ method: 'GET', url: `/api/v1/locate?${query}` });
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().code).toBe('validation_failed');
    }
  });

  it('is described in the OpenAPI document', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.paths['/api/v1/locate'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'crs',
      'lat',
      'lon',
    ]);
  });

  it('seeding again changes nothing', async () => {
    const count = async () =>
      Number(
        (
          await database.db
            .selectFrom('regions')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    await seedDemoTerritory(database, { rows: demoTerritoryRows() });
    expect(await count()).toBe(before);
  });
});
