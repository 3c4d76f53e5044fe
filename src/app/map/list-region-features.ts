import { geometryForZoom } from '../../core/geo/simplify.ts';
import type { AreaGeometry } from '../../core/geo/types.ts';
import type { Database } from '../../db/database.ts';
import { fingerprint } from '../territory/region-index-cache.ts';
import type { RegionLevel } from '../../db/schema/territory.ts';

export interface RegionFeature {
  type: 'Feature';
  id: string;
  geometry: unknown;
  properties: {
    code: string;
    name: string;
    level: RegionLevel;
    parentCode: string | null;
    synthetic: boolean;
    /** Label point (the region's centroid), so a multi-part region gets one label. */
    labelLon: number | null;
    labelLat: number | null;
  };
}

export interface RegionFeatureCollection {
  type: 'FeatureCollection';
  features: RegionFeature[];
}

/**
 * The polygons of one territory level as a GeoJSON FeatureCollection (WGS84): the base layer of the web
 * map, which uses no online tiles. `within` narrows to the regions under a code (codes are prefixes of
 * their descendants' codes), so the map loads the grids of one street at a time.
 */
export async function listRegionFeatures(
  database: Database,
  filter: { level: RegionLevel; within?: string | undefined; zoom?: number | undefined },
): Promise<RegionFeatureCollection> {
  if (filter.zoom !== undefined) return simplifiedRegionFeatures(database, { ...filter, zoom: filter.zoom });
  let q = database.db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'parent_code', 'geometry', 'synthetic', 'centroid_lon', 'centroid_lat'])
    .where('level', '=', filter.level)
    .where('geometry', 'is not', null)
    .orderBy('code');
  if (filter.within) q = q.where('code', 'like', `${filter.within}%`);
  const rows = await q.execute();
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({
      type: 'Feature',
      id: r.code,
      geometry: r.geometry,
      properties: {
        code: r.code,
        name: r.name,
        level: r.level,
        parentCode: r.parent_code,
        synthetic: r.synthetic,
        labelLon: r.centroid_lon,
        labelLat: r.centroid_lat,
      },
    })),
  };
}

/** Simplified collections by level, prefix, zoom and territory version (a few dozen at most). */
const simplifiedCache = new Map<string, Promise<RegionFeatureCollection>>();
const CACHE_SIZE = 64;

/**
 * The same collection with each polygon simplified for a map at `zoom` (issue 11 §7: the district's
 * street and committee polygons are hundreds of KB at full detail; a map shows half a pixel's worth).
 * Cached per process, keyed by the territory's version (the regions' count and transaction ids), so an
 * import is seen at the next request.
 */
async function simplifiedRegionFeatures(
  database: Database,
  filter: { level: RegionLevel; within?: string | undefined; zoom: number },
): Promise<RegionFeatureCollection> {
  const key = `${filter.level}:${filter.within ?? ''}:${filter.zoom}:${await fingerprint(database)}`;
  let hit = simplifiedCache.get(key);
  if (!hit) {
    hit = listRegionFeatures(database, { level: filter.level, within: filter.within }).then((fc) => ({
      type: 'FeatureCollection' as const,
      features: fc.features.map((f) => ({
        ...f,
        geometry: geometryForZoom(f.geometry as AreaGeometry, filter.zoom),
      })),
    }));
    hit.catch(() => simplifiedCache.delete(key));
    if (simplifiedCache.size >= CACHE_SIZE) simplifiedCache.delete(simplifiedCache.keys().next().value!);
    simplifiedCache.set(key, hit);
  }
  return hit;
}
