import type { Actor } from '../../core/actor.ts';
import { distanceMetres } from '../../core/geo/crs.ts';
import type { AddressLevel } from '../../core/baseinfo/types.ts';
import type { Database } from '../../db/database.ts';
import { addressScopeSql, loadBaseInfoAccess } from './access.ts';
import { ADDRESS_COLUMNS, presentAddress, type AddressView } from './present.ts';

export interface NearestInput {
  lon: number;
  lat: number;
  /** Search radius in metres (default 150, at most 1000). */
  radiusM?: number | undefined;
  limit?: number | undefined;
  /** Levels to offer (default: number, building — what a patroller stands in front of). */
  levels?: readonly AddressLevel[] | undefined;
}

const M_PER_DEG_LAT = 111_320;

/**
 * The standard addresses nearest a point (WGS84), for the patroller's phone (issue 12: "picks the
 * address from the nearest ones"): a bounding box on the (lat, lon) index, then exact distances.
 */
export async function nearestAddresses(
  deps: { database: Database },
  actor: Actor,
  input: NearestInput,
): Promise<(AddressView & { distanceM: number })[]> {
  const { db } = deps.database;
  const access = await loadBaseInfoAccess(db, actor);
  if (!access.slice.addresses) return [];
  const radius = Math.min(Math.max(input.radiusM ?? 150, 1), 1000);
  const limit = Math.min(Math.max(input.limit ?? 10, 1), 50);
  const dLat = radius / M_PER_DEG_LAT;
  const dLon = radius / (M_PER_DEG_LAT * Math.max(Math.cos((input.lat * Math.PI) / 180), 0.01));
  const levels = input.levels && input.levels.length > 0 ? input.levels : (['number', 'building'] as const);
  const rows = await db
    .selectFrom('base_addresses as a')
    .select(ADDRESS_COLUMNS)
    .where(addressScopeSql(access.regions, 'a'))
    .where('a.level', 'in', [...levels])
    .where('a.lat', '>=', input.lat - dLat)
    .where('a.lat', '<=', input.lat + dLat)
    .where('a.lon', '>=', input.lon - dLon)
    .where('a.lon', '<=', input.lon + dLon)
    .limit(2000)
    .execute();
  return rows
    .map((r) => ({
      ...presentAddress(r),
      distanceM: Math.round(distanceMetres([input.lon, input.lat], [r.lon ?? 0, r.lat ?? 0])),
    }))
    .filter((r) => r.distanceM <= radius)
    .sort((a, b) => a.distanceM - b.distanceM || a.code.localeCompare(b.code))
    .slice(0, limit);
}
