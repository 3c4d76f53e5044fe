import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { caseApp, caseClock, seedCaseFixture } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';

interface Collection {
  features: { id: string; geometry: { coordinates: number[][][] } }[];
}

// issue 11 §7: region geometry served at the size a zoom needs
describe('GET /api/v1/map/regions?zoom=', () => {
  let database: Database;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedCaseFixture(database);
    // one committee gets a dense boundary (a square with 400 extra positions along its south edge)
    const south = Array.from({ length: 400 }, (_, i) => [
      121.38 + (0.01 * (i + 1)) / 401,
      31.14 + (i % 2) * 1e-7,
    ]);
    const ring = [
      [121.38, 31.14],
      ...south,
      [121.39, 31.14],
      [121.39, 31.16],
      [121.38, 31.16],
      [121.38, 31.14],
    ];
    await database.db
      .updateTable('regions')
      .set({ geometry: JSON.stringify({ type: 'Polygon', coordinates: [ring] }) as never })
      .where('code', '=', '310112006001')
      .execute();
    app = await caseApp(database, caseClock().now);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const get = async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/map/regions?${query}` });
    return { status: res.statusCode, body: res.statusCode === 200 ? res.json<Collection>() : null };
  };

  it('simplifies each polygon for the zoom, same regions, fewer positions', async () => {
    const full = await get('level=committee');
    const z12 = await get('level=committee&zoom=12');
    expect(z12.status).toBe(200);
    expect(z12.body!.features.map((f) => f.id)).toEqual(full.body!.features.map((f) => f.id));
    const dense = (c: Collection) =>
      c.features.find((f) => f.id === '310112006001')!.geometry.coordinates[0]!;
    expect(dense(full.body!).length).toBe(405);
    expect(dense(z12.body!).length).toBeLessThan(10);
    expect(dense(z12.body!).length).toBeGreaterThanOrEqual(4);
    // cached: the same answer again
    expect((await get('level=committee&zoom=12')).body).toEqual(z12.body);
  });

  it('refuses a zoom out of range as a 400', async () => {
    expect((await get('level=street&zoom=30')).status).toBe(400);
    expect((await get('level=street&zoom=abc')).status).toBe(400);
  });
});
