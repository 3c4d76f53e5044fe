import { describe, expect, it } from 'vitest';
import { regionIndexCache } from '../src/app/territory/region-index-cache.ts';
import { ok } from './support/api.ts';
import { T } from './support/cases.ts';
import { useCaseApi } from './support/harness.ts';

/**
 * Intake in a sliver between streets (issue 9, finding 9): 新虹 is moved 0.00002° (≈ 1.9 m) east, so a
 * strip inside the district lies in no street. A report there used to be refused as "outside the
 * territory" (or, between committees, created without committee and grid); now it goes to the nearest
 * street, committee and grid within 5 m, and locate says it snapped.
 */
describe('a point in a sliver between streets', () => {
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

  const t = useCaseApi({
    prepare: async (database) => {
      await database.db
        .updateTable('regions')
        .set({ geometry: box(121.40002, 31.14, 121.42, 31.16) })
        .where('code', 'in', [T.xinhong, T.xinhongC1, T.xinhongG1])
        .execute();
      regionIndexCache(database).invalidate();
    },
  });
  const locate = async (query: { lon: number; lat: number }) =>
    ok(await t.api(null).GET('/api/v1/locate', { params: { query } }));

  it('locate gives it to the nearest street, committee and grid and says it snapped, how far', async () => {
    const body = await locate(nearXinhong);
    expect(body).toMatchObject({
      inside: true,
      street: { code: T.xinhong },
      committee: { code: T.xinhongC1 },
      grid: { code: T.xinhongG1 },
      snapped: true,
    });
    expect(body.distanceMetres).toBeGreaterThan(0.3);
    expect(body.distanceMetres).toBeLessThan(0.7);
    expect(await locate({ lon: 121.41, lat: 31.15 })).toMatchObject({
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
      const created = await t.report('dist.dispatcher', {
        category: '0101',
        description: '缝隙里的群租',
        location,
      });
      const row = await t.database.db
        .selectFrom('cases')
        .select(['street_code', 'grid_code'])
        .where('id', '=', created.case.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ street_code: street, grid_code: grid });
    }
  });
});
