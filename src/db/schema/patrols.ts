import type { ColumnType, Generated } from 'kysely';
import type { InvalidReason } from '../../core/patrol/track.ts';

/** A PostgreSQL `date`: drivers return a Date or a string, so reads cast it with to_char (see calendar.ts). */
type DateColumn = ColumnType<Date | string, string, string>;

export interface PatrolsTable {
  id: string;
  user_id: string;
  unit_code: string;
  street_code: string;
  started_at: Date;
  ended_at: Date | null;
  end_reason: 'manual' | 'idle' | null;
  distance_m: Generated<number>;
  points_total: Generated<number>;
  points_valid: Generated<number>;
  checkins: Generated<number>;
  last_seq: number | null;
  last_at: Date | null;
  last_lon: number | null;
  last_lat: number | null;
  valid_seq: number | null;
  valid_at: Date | null;
  valid_lon: number | null;
  valid_lat: number | null;
  track_purged_at: Date | null;
}

export interface PatrolPointsTable {
  patrol_id: string;
  seq: number;
  recorded_at: Date;
  lon: number;
  lat: number;
  accuracy_m: number | null;
  valid: boolean;
  invalid_reason: InvalidReason | null;
  grid_code: string | null;
  day: DateColumn;
}

export interface PatrolCheckinsTable {
  id: string;
  patrol_id: string;
  client_id: string;
  at: Date;
  lon: number;
  lat: number;
  accuracy_m: number | null;
  note: Generated<string>;
  grid_code: string | null;
  day: DateColumn;
}

export interface CoverageRollupsTable {
  day: DateColumn;
  dirty: Generated<boolean>;
  rolled_at: Date | null;
  runs: Generated<number>;
}

export interface CoverageDaysTable {
  day: DateColumn;
  grid_code: string;
  seconds: number;
  checkins: number;
  patrollers: Generated<string[]>;
  covered: boolean;
}

export interface PatrolTables {
  patrols: PatrolsTable;
  patrol_points: PatrolPointsTable;
  patrol_checkins: PatrolCheckinsTable;
  coverage_rollups: CoverageRollupsTable;
  coverage_days: CoverageDaysTable;
}
