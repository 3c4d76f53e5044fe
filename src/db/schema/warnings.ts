import type { Generated } from 'kysely';
import type { WarningRule } from '../../core/warnings/rules.ts';
import type { WarningState } from '../../core/warnings/lifecycle.ts';

export interface WarningsTable {
  id: string;
  rule: WarningRule;
  dedup_key: string;
  state: Generated<WarningState>;
  category_code: string | null;
  case_ids: Generated<string[]>;
  record_ids: Generated<string[]>;
  facts: Generated<Record<string, number | string>>;
  lat: number;
  lon: number;
  address_id: string | null;
  district_code: string | null;
  street_code: string | null;
  committee_code: string | null;
  grid_code: string | null;
  owner_code: string;
  raised_at: Date;
  updated_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  closed_at: Date | null;
  closed_by: string | null;
  dismiss_reason: string | null;
  case_id: string | null;
  version: Generated<number>;
}

export interface WarningEventsTable {
  id: Generated<number>;
  warning_id: string;
  action: 'raise' | 'acknowledge' | 'convert' | 'dismiss';
  actor_id: string | null;
  at: Date;
  note: string | null;
}

export interface WarningRunsTable {
  id: Generated<boolean>;
  last_run_at: Date | null;
  due: Generated<boolean>;
  runs: Generated<number>;
}

export interface WarningTables {
  warnings: WarningsTable;
  warning_events: WarningEventsTable;
  warning_runs: WarningRunsTable;
}
