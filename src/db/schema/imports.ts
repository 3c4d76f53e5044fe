import type { Generated } from 'kysely';
import type { ImportKind } from '../../core/imports/fields.ts';

export type ImportStatus = 'uploaded' | 'running' | 'done' | 'failed';

/** One run of a base-information import file (migrations/0015_imports.sql). */
export interface ImportRunsTable {
  id: Generated<string>;
  kind: ImportKind;
  file_name: string;
  file_path: string;
  file_format: 'csv' | 'xlsx';
  file_size: Generated<number>;
  street_code: string | null;
  created_by: string | null;
  dry_run: Generated<boolean>;
  status: Generated<ImportStatus>;
  rows_read: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  refused: Generated<number>;
  bytes_read: Generated<number>;
  error: string | null;
  created_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
  heartbeat_at: Date | null;
}

/** A refused row of a run: which row, which column and value, and the stable reason code. */
export interface ImportRowErrorsTable {
  run_id: string;
  seq: number;
  row_no: number;
  col: string | null;
  value: string | null;
  reason: string;
  message: Generated<string>;
}

export interface ImportTables {
  import_runs: ImportRunsTable;
  import_row_errors: ImportRowErrorsTable;
}
