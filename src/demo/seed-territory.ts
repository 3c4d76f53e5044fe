import type { Database } from '../db/database.ts';
import { regionIndexCache } from '../app/territory/region-index-cache.ts';
import { DEFAULT_DEMO_SEED, generateDemoTerritory, loadMinhangSource, type RegionRow } from './territory.ts';

export interface SeedTerritoryReport {
  district: number;
  street: number;
  committee: number;
  grid: number;
}

/**
 * Writes the Minhang demo territory (real names and codes, synthetic geometry) in one transaction, in
 * batches of 500 rows, parents first. Rows are upserted by code, so seeding twice changes nothing.
 */
export async function seedDemoTerritory(
  database: Database,
  options: { seed?: number; rows?: RegionRow[] } = {},
): Promise<SeedTerritoryReport> {
  const rows = options.rows ?? generateDemoTerritory(loadMinhangSource(), options.seed ?? DEFAULT_DEMO_SEED);
  await database.db.transaction().execute(async (trx) => {
    for (let start = 0; start < rows.length; start += 500) {
      await trx
        .insertInto('regions')
        .values(rows.slice(start, start + 500))
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            parent_code: eb.ref('excluded.parent_code'),
            geometry: eb.ref('excluded.geometry'),
            centroid_lon: eb.ref('excluded.centroid_lon'),
            centroid_lat: eb.ref('excluded.centroid_lat'),
            area_m2: eb.ref('excluded.area_m2'),
            synthetic: eb.ref('excluded.synthetic'),
          })),
        )
        .execute();
    }
  });
  regionIndexCache(database).invalidate();
  const report: SeedTerritoryReport = { district: 0, street: 0, committee: 0, grid: 0 };
  for (const r of rows) report[r.level]++;
  return report;
}
