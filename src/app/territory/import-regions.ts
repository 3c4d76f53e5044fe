import { AppError } from '../../core/errors.ts';
import type { Crs } from '../../core/geo/crs.ts';
import { areaM2, centroidOf } from '../../core/geo/measure.ts';
import { REGION_LEVELS, type RegionLevel } from '../../core/geo/region-code.ts';
import { parseRegionCollection, type ParsedRegion } from '../../core/geo/region-features.ts';
import type { Database } from '../../db/database.ts';
import { regionIndexCache } from './region-index-cache.ts';

export interface ImportProgress {
  phase: 'validating' | 'writing';
  done: number;
  total: number;
}

export interface ImportRegionsOptions {
  /** Datum of the file's coordinates (default WGS84); they are stored as WGS84. */
  crs?: Crs;
  /** Check the file only; write nothing. */
  dryRun?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  /** Rows per INSERT statement. */
  batchSize?: number;
}

export interface ImportRegionsResult {
  total: number;
  inserted: number;
  updated: number;
  byLevel: Record<RegionLevel, number>;
  dryRun: boolean;
}

/**
 * Imports a deployment's own territory (DESIGN §3, §8): a GeoJSON FeatureCollection of districts,
 * streets, committees and grids. Every feature is checked first; if any is bad, nothing is written and
 * the error lists ALL bad features (index, code, reason). Otherwise the regions are upserted by code in
 * ONE transaction — all or nothing — parents before children, and the in-memory region index is rebuilt.
 */
export async function importRegions(
  database: Database,
  collection: unknown,
  options: ImportRegionsOptions = {},
): Promise<ImportRegionsResult> {
  const existing = new Set(
    (await database.db.selectFrom('regions').select('code').execute()).map((r) => r.code),
  );
  const { regions, problems } = parseRegionCollection(collection, {
    crs: options.crs ?? 'wgs84',
    existingCodes: existing,
    onProgress: (done, total) => options.onProgress?.({ phase: 'validating', done, total }),
  });
  const total = Array.isArray((collection as { features?: unknown } | null)?.features)
    ? (collection as { features: unknown[] }).features.length
    : 0;
  if (problems.length > 0) {
    const bad = new Set(problems.map((p) => p.index)).size;
    throw new AppError('validation_failed', `${bad} of ${total} features are invalid; nothing was imported`, {
      problems,
    });
  }

  const ordered = [...regions].sort(
    (a, b) => REGION_LEVELS.indexOf(a.level) - REGION_LEVELS.indexOf(b.level),
  );
  const byLevel = { district: 0, street: 0, committee: 0, grid: 0 };
  for (const r of ordered) byLevel[r.level]++;
  const inserted = ordered.filter((r) => !existing.has(r.code)).length;
  const result = {
    total: ordered.length,
    inserted,
    updated: ordered.length - inserted,
    byLevel,
    dryRun: options.dryRun ?? false,
  };
  if (options.dryRun) return result;

  const batchSize = options.batchSize ?? 500;
  await database.db.transaction().execute(async (trx) => {
    for (let start = 0; start < ordered.length; start += batchSize) {
      const batch = ordered.slice(start, start + batchSize).map(toRow);
      await trx
        .insertInto('regions')
        .values(batch)
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            level: eb.ref('excluded.level'),
            parent_code: eb.ref('excluded.parent_code'),
            geometry: eb.ref('excluded.geometry'),
            centroid_lon: eb.ref('excluded.centroid_lon'),
            centroid_lat: eb.ref('excluded.centroid_lat'),
            area_m2: eb.ref('excluded.area_m2'),
            synthetic: eb.ref('excluded.synthetic'),
          })),
        )
        .execute();
      options.onProgress?.({
        phase: 'writing',
        done: Math.min(start + batchSize, ordered.length),
        total: ordered.length,
      });
    }
  });
  regionIndexCache(database).invalidate();
  return result;
}

function toRow(region: ParsedRegion) {
  const [lon, lat] = centroidOf(region.geometry);
  return {
    code: region.code,
    name: region.name,
    level: region.level,
    parent_code: region.parentCode,
    geometry: region.geometry,
    centroid_lon: lon,
    centroid_lat: lat,
    area_m2: areaM2(region.geometry),
    // imported boundaries are a deployment's own, not generated
    synthetic: false,
  };
}
