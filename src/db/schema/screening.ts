import type { ColumnType, Generated } from 'kysely';
import type { RoundComparison } from '../../core/screening/targets.ts';
import type { AssigneeRole, TaskStatus } from '../../core/screening/tasks.ts';
import type {
  ScreeningTheme,
  TargetKind,
  TargetRuleSpec,
  VisitOutcome,
} from '../../core/screening/themes.ts';

/** a `date` column: read with to_char(…, 'YYYY-MM-DD') (PGlite and pg parse it differently) */
type DateColumn = ColumnType<Date | string, string, string>;

export type StoredComparison = Omit<RoundComparison, 'standing'>;

export interface ScreeningCampaignsTable {
  id: string;
  name: string;
  theme: ScreeningTheme;
  territory: string[];
  target_rule: TargetRuleSpec;
  assignee_role: Generated<AssigneeRole>;
  rounds: number;
  round_work_days: number;
  starts_on: DateColumn;
  ends_on: DateColumn;
  owner_code: string;
  state: Generated<'active' | 'closed'>;
  current_round: Generated<number>;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  version: Generated<number>;
}

export interface ScreeningRoundsTable {
  campaign_id: string;
  round_no: number;
  opened_at: Date;
  generated_at: Date | null;
  due_at: Date | null;
  closed_at: Date | null;
  comparison: StoredComparison | null;
}

export interface ScreeningTasksTable {
  id: string;
  campaign_id: string;
  round_no: number;
  target_kind: TargetKind;
  target_id: string;
  address_id: string;
  street_code: string;
  committee_code: string | null;
  grid_code: string | null;
  lon: number | null;
  lat: number | null;
  facts: Generated<Record<string, number | string>>;
  standing: Generated<'new' | 'again' | 'again_after_problem'>;
  assignee_id: string | null;
  status: Generated<TaskStatus>;
  due_at: Date;
  revisit_at: Date | null;
  attempts: Generated<number>;
  last_visit_at: Date | null;
  version: Generated<number>;
}

export interface ScreeningVisitsTable {
  id: string;
  task_id: string;
  campaign_id: string;
  round_no: number;
  visitor_id: string;
  at: Date;
  outcome: VisitOutcome;
  answers: Generated<Record<string, string | number | boolean>>;
  photos: Generated<string[]>;
  lon: number | null;
  lat: number | null;
  accuracy_m: number | null;
  distance_m: number | null;
  far_reason: string | null;
  note: string | null;
  case_id: string | null;
}

export interface ScreeningTables {
  screening_campaigns: ScreeningCampaignsTable;
  screening_rounds: ScreeningRoundsTable;
  screening_tasks: ScreeningTasksTable;
  screening_visits: ScreeningVisitsTable;
}
