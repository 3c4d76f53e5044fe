import { distanceMetres } from '../../core/geo/crs.ts';
import { isPublicCategory } from '../../core/policy/public-follow-up.ts';
import { NEARBY_MAX, NEARBY_RADIUS_M, roundDistance } from '../../core/public/index.ts';
import { OPEN_STATES } from '../../core/workflow/index.ts';
import type { Database } from '../../db/database.ts';
import { publicStatusOf, type PublicStatus } from './lookup-public-case.ts';

export interface NearbyPublicCase {
  categoryCode: string;
  status: PublicStatus;
  /** The day it was reported (Asia/Shanghai). */
  reportedOn: string;
  /** Rounded to 10 m. */
  distanceM: number;
}

const rad = (deg: number) => (deg * Math.PI) / 180;
const shanghaiDay = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * "Already reported nearby" before an anonymous report is sent (issue 15 §1): open cases of the same
 * public category within 150 m, at most five, nearest first — with only their public status, the day and
 * a rounded distance. No number, no description, no place, no people: it helps a citizen recognise their
 * problem and is useless for mapping cases (and the route is rate-limited). Sensitive or stability
 * categories answer an empty list.
 */
export async function nearbyPublicCases(
  database: Database,
  query: { categoryCode: string; lon: number; lat: number },
): Promise<NearbyPublicCase[]> {
  const { db } = database;
  const category = await db
    .selectFrom('categories')
    .select(['code', 'sensitive', 'stability'])
    .where('code', '=', query.categoryCode)
    .executeTakeFirst();
  if (!category || !isPublicCategory(category)) return [];
  const dLat = NEARBY_RADIUS_M / 111_320;
  const dLon = NEARBY_RADIUS_M / (111_320 * Math.max(0.01, Math.cos(rad(query.lat))));
  const rows = await db
    .selectFrom('cases')
    .select(['state', 'lon', 'lat', 'reported_at'])
    .where('category_code', '=', category.code)
    .where('state', 'in', OPEN_STATES)
    .where('stability', '=', false)
    .where('lat', '>=', query.lat - dLat)
    .where('lat', '<=', query.lat + dLat)
    .where('lon', '>=', query.lon - dLon)
    .where('lon', '<=', query.lon + dLon)
    .limit(200)
    .execute();
  return rows
    .map((r) => ({ r, d: distanceMetres([query.lon, query.lat], [r.lon, r.lat]) }))
    .filter(({ d }) => d <= NEARBY_RADIUS_M)
    .sort((a, b) => a.d - b.d)
    .slice(0, NEARBY_MAX)
    .map(({ r, d }) => ({
      categoryCode: category.code,
      status: publicStatusOf(r.state),
      reportedOn: shanghaiDay(r.reported_at),
      distanceM: roundDistance(d),
    }));
}
