import type { ColumnType, Generated } from 'kysely';

/** A PostgreSQL `date`: drivers return a Date or a string, so reads cast it with to_char. */
type DateColumn = ColumnType<Date | string, string, string>;

/** Period-free item segments of each case (migration 0035, src/core/evaluation/segments.ts). */
export interface EvaluationItemsTable {
  id: Generated<number>;
  case_id: string;
  kind: string;
  unit: string;
  indicator: string;
  street: string | null;
  case_no: string;
  event_id: number;
  at: Date;
  prev_at: Date | null;
  valid_from: Date;
  valid_to: Date | null;
  numerator: boolean;
  denominator: boolean;
  reason: string;
}

/** Per unit per Beijing day roll-ups of the segments' spans (migration 0035). */
export interface EvaluationRollupsTable {
  kind: string;
  a_day: DateColumn;
  unit: string;
  indicator: string;
  street: string;
  b_day: DateColumn;
  numerator: number;
  denominator: number;
}

export interface EvaluationRollupStateTable {
  id: Generated<boolean>;
  built: boolean;
  rebuilt_at: Date | null;
}

export interface EvaluationTables {
  evaluation_items: EvaluationItemsTable;
  evaluation_rollups: EvaluationRollupsTable;
  evaluation_rollup_state: EvaluationRollupStateTable;
}
