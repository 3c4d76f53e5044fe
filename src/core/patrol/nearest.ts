import { distanceMetres } from '../geo/crs.ts';

export interface OnDutyPatroller {
  userId: string;
  patrolId: string;
  lon: number;
  lat: number;
  /** When the position was taken. */
  at: Date;
}

/**
 * The on-duty patrollers nearest a place, closest first (DESIGN §6: send the nearest to verify a case).
 * A position older than `maxAgeMs` at `now` says nothing about where the patroller is: left out. Ties
 * go to the fresher position, then the user id, so the choice is deterministic.
 */
export function nearestPatrollers(
  place: { lon: number; lat: number },
  patrollers: readonly OnDutyPatroller[],
  now: Date,
  maxAgeMs: number,
): (OnDutyPatroller & { distanceM: number; ageS: number })[] {
  return patrollers
    .filter((p) => now.getTime() - p.at.getTime() <= maxAgeMs)
    .map((p) => ({
      ...p,
      distanceM: Math.round(distanceMetres([place.lon, place.lat], [p.lon, p.lat])),
      ageS: Math.max(0, Math.round((now.getTime() - p.at.getTime()) / 1000)),
    }))
    .sort((a, b) => a.distanceM - b.distanceM || a.ageS - b.ageS || a.userId.localeCompare(b.userId));
}
