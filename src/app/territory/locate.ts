import { AppError } from '../../core/errors.ts';
import { toWgs84, type Crs } from '../../core/geo/crs.ts';
import type { Placement } from '../../core/geo/region-index.ts';
import type { Database } from '../../db/database.ts';
import { regionIndexCache } from './region-index-cache.ts';

/**
 * How far a point in a sliver between imported boundaries (inside a street, in none of its committees;
 * inside the district, in no street…) may lie from a region and still be given to it. A few metres: GPS
 * noise, not a real gap in the territory.
 */
export const SNAP_METRES = 5;

export interface LocateInput {
  lon: number;
  lat: number;
  /** Datum of lon/lat; default WGS84 (phones). Web maps in China give GCJ-02, Baidu BD-09. */
  crs?: Crs | undefined;
}

export interface LocateResult extends Placement {
  /** The WGS84 point actually looked up. */
  position: { lon: number; lat: number; crs: 'wgs84' };
  input: { lon: number; lat: number; crs: Crs };
}

/**
 * Finds the district, street, committee and grid containing a point (DESIGN §3). A point outside the
 * territory is an answer (`inside: false`), not an error; only malformed coordinates are rejected. A point
 * in a sliver between regions goes to the nearest one within SNAP_METRES (`snapped`, `distanceMetres`).
 */
export async function locatePoint(database: Database, input: LocateInput): Promise<LocateResult> {
  const crs = input.crs ?? 'wgs84';
  const { lon, lat } = input;
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) {
    throw new AppError('validation_failed', `lon must be a number in [-180, 180], got ${lon}`, {
      field: 'lon',
    });
  }
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw new AppError('validation_failed', `lat must be a number in [-90, 90], got ${lat}`, {
      field: 'lat',
    });
  }
  const [wLon, wLat] = toWgs84(lon, lat, crs);
  const index = await regionIndexCache(database).get();
  return {
    ...index.locate(wLon, wLat, { snapMetres: SNAP_METRES }),
    position: { lon: wLon, lat: wLat, crs: 'wgs84' },
    input: { lon, lat, crs },
  };
}
