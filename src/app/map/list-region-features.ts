import type { Database } from '../../db/database.ts';
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
  filter: { level: RegionLevel; within?: string | undefined },
): Promise<RegionFeatureCollection> {
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
