import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { OPEN_STATES, type CaseState } from '../../core/workflow/index.ts';
import { applyCaseScope } from '../../db/case-scope.ts';
import type { DB } from '../../db/schema/index.ts';
import { distanceMetres } from '../../core/geo/crs.ts';

/** DESIGN §4: a new report within N metres of an open case of the same category is offered as a duplicate. */
export const DEFAULT_DUPLICATE_RADIUS_M = 100;

/** The radius in force: `app_settings` key `duplicate_radius_m` (an admin may change it), else 100 m. */
export async function duplicateRadius(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('app_settings')
    .select('value')
    .where('key', '=', 'duplicate_radius_m')
    .executeTakeFirst();
  const value = Number(row?.value);
  return Number.isFinite(value) && value > 0 && value <= 10_000 ? value : DEFAULT_DUPLICATE_RADIUS_M;
}

export interface DuplicateSuggestion {
  id: string;
  caseNo: string;
  state: CaseState;
  distanceM: number;
  reportedAt: string;
  description: string;
}

const rad = (deg: number) => (deg * Math.PI) / 180;

/**
 * Open cases of the same category within `radiusM` of a point that the actor may see, nearest first.
 * A bounding box on (category, lat, lon) narrows the search in SQL; the exact distance decides.
 */
export async function findDuplicates(
  db: Kysely<DB>,
  actor: Actor,
  query: {
    categoryCode: string;
    lon: number;
    lat: number;
    radiusM?: number;
    excludeId?: string;
    limit?: number;
  },
): Promise<DuplicateSuggestion[]> {
  const radius = query.radiusM ?? DEFAULT_DUPLICATE_RADIUS_M;
  const dLat = radius / 111_320;
  const dLon = radius / (111_320 * Math.max(0.01, Math.cos(rad(query.lat))));
  let q = db
    .selectFrom('cases')
    .select(['id', 'case_no', 'state', 'lon', 'lat', 'reported_at', 'description'])
    .where('category_code', '=', query.categoryCode)
    .where('state', 'in', OPEN_STATES)
    .where('lat', '>=', query.lat - dLat)
    .where('lat', '<=', query.lat + dLat)
    .where('lon', '>=', query.lon - dLon)
    .where('lon', '<=', query.lon + dLon)
    .limit(200);
  if (query.excludeId) q = q.where('id', '<>', query.excludeId);
  const rows = await applyCaseScope(q, actor).execute();
  return rows
    .map((r) => ({ r, d: distanceMetres([query.lon, query.lat], [r.lon, r.lat]) }))
    .filter(({ d }) => d <= radius)
    .sort((a, b) => a.d - b.d || a.r.reported_at.getTime() - b.r.reported_at.getTime())
    .slice(0, query.limit ?? 5)
    .map(({ r, d }) => ({
      id: r.id,
      caseNo: r.case_no,
      state: r.state,
      distanceM: Math.round(d),
      reportedAt: r.reported_at.toISOString(),
      description: r.description.slice(0, 120),
    }));
}
