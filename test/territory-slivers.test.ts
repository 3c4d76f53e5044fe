import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionIndexCache } from '../src/app/territory/region-index-cache.ts';
import type { Database } from '../src/db/database.ts';
import { caseApp, caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Intake in a sliver between streets (issue 9, finding 9): 新虹 is moved 0.00002° (≈ 1.9 m) east, so a
 * strip inside the district lies in no street. A report there used to be refused as "outside the
 * territory" (or, between committees, created without committee and grid); now it goes to the nearest
 * street, committee and grid within 5 m, and locate says it snapped.
 */
describe('a point in a sliver between streets', () => {
  let database: Database;
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock();
  const box = (w: number, s: number, e: number, n: number) =>
    JSON.stringify({
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
  const nearXinhong = { lon: 121.400015, lat: 31.15 }; // ≈ 0.5 m west of 新虹, ≈ 1.4 m east of 古美
  const nearGumei = { lon: 121.400003, lat: 31.15 }; // ≈ 0.3 m east of 古美

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    await database.db
      .updateTable('regions')
      .set({ geometry: box(121.40002, 31.14, 121.42, 31.16) })
      .where('code', 'in', [T.xinhong, T.xinhongC1, T.xinhongG1])
      .execute();
    regionIndexCache(database).invalidate();
    app = await caseApp(database, clock.now);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('locate gives it to the nearest street, committee and grid and says it snapped, how far', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/locate?lon=${nearXinhong.lon}&lat=${nearXinhong.lat}`,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<Json>();
    expect(body).toMatchObject({
      inside: true,
      street: { code: T.xinhong },
      committee: { code: T.xinhongC1 },
      grid: { code: T.xinhongG1 },
      snapped: true,
    });
    expect(body.distanceMetres).toBeGreaterThan(0.3);
    expect(body.distanceMetres).toBeLessThan(0.7);
    const inside = await app.inject({ method: 'GET', url: '/api/v1/locate?lon=121.41&lat=31.15' });
    expect(inside.json<Json>()).toMatchObject({
      grid: { code: T.xinhongG1 },
      snapped: false,
      distanceMetres: null,
    });
  });

  it('intake files a report there in that street, committee and grid', async () => {
    for (const [location, street, grid] of [
      [nearXinhong, T.xinhong, T.xinhongG1],
      [nearGumei, T.gumei, T.gumeiG2],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: users.get('dist.dispatcher')!.auth,
        payload: { category: '0101', description: '缝隙里的群租', location },
      });
      expect(res.statusCode).toBe(201);
      const row = await database.db
        .selectFrom('cases')
        .select(['street_code', 'grid_code'])
        .where('id', '=', res.json<Json>().case.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ street_code: street, grid_code: grid });
    }
  });
});
