import type { Selectable } from 'kysely';
import type { PatrolsTable } from '../../db/schema/patrols.ts';

export interface PatrolSummary {
  id: string;
  userId: string;
  patrollerName: string | null;
  unitCode: string;
  streetCode: string;
  startedAt: string;
  endedAt: string | null;
  endReason: 'manual' | 'idle' | null;
  /** Seconds from start to end (or to `now` while open). */
  durationS: number;
  distanceM: number;
  pointsTotal: number;
  pointsValid: number;
  checkins: number;
  lastSeq: number | null;
  lastPosition: { lon: number; lat: number; at: string } | null;
  trackPurged: boolean;
}

export type PatrolRow = Selectable<PatrolsTable>;

export function presentPatrol(row: PatrolRow, now: Date, patrollerName: string | null = null): PatrolSummary {
  const end = row.ended_at ?? now;
  return {
    id: row.id,
    userId: row.user_id,
    patrollerName,
    unitCode: row.unit_code,
    streetCode: row.street_code,
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    endReason: row.end_reason,
    durationS: Math.max(0, Math.round((end.getTime() - row.started_at.getTime()) / 1000)),
    distanceM: Math.round(row.distance_m),
    pointsTotal: row.points_total,
    pointsValid: row.points_valid,
    checkins: row.checkins,
    lastSeq: row.last_seq,
    lastPosition:
      row.last_at && row.last_lon !== null && row.last_lat !== null
        ? { lon: row.last_lon, lat: row.last_lat, at: row.last_at.toISOString() }
        : null,
    trackPurged: row.track_purged_at !== null,
  };
}
