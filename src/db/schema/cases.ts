import type { Generated } from 'kysely';
import type { TimeUnit } from '../../core/calendar/deadline.ts';
import type { CaseState, ClockStage } from '../../core/workflow/states.ts';
import type {
  CaseSource,
  ClosureType,
  OwnerLevel,
  PoliceLinkage,
  Priority,
  Satisfaction,
  Urgency,
  Verification,
} from '../../core/workflow/snapshot.ts';

/**
 * The enums are declared once, in the core (src/core/workflow, src/core/calendar), and reused here: a new
 * state or source is a change to the core only. `db-columns.test.ts` checks every table against the
 * migrated database.
 */
export type { CaseSource, ClosureType, OwnerLevel, Urgency } from '../../core/workflow/snapshot.ts';
/** A case state as stored (the core's `CaseState`). */
export type CaseStateName = CaseState;
/** A clock stage as stored (the core's `ClockStage`). */
export type Stage = ClockStage;
export type ClockStatus = 'running' | 'paused' | 'stopped';

export interface CaseCountersTable {
  prefix: string;
  year: number;
  value: number;
}

export interface CasesTable {
  id: string;
  case_no: string;
  /** 查询码: with the case number, lets the reporter follow the case on the public page (issue 9 §8). */
  follow_up_code: string | null;
  /** The 12345 hotline ticket (工单号) the case was taken from, unique per district (migration 0027). */
  ticket_no: string | null;
  /** The standard address (一址一档) the case was reported at, migration 0014. */
  address_id: string | null;
  state: CaseStateName;
  version: Generated<number>;
  source: CaseSource;
  category_code: string | null;
  urgency: Urgency;
  priority: Generated<Priority>;
  description: string;
  address: string | null;
  lon: number;
  lat: number;
  district_code: string;
  street_code: string | null;
  committee_code: string | null;
  grid_code: string | null;
  owner_level: OwnerLevel;
  owner_code: string;
  lead_department_id: string | null;
  assisting_department_ids: Generated<string[]>;
  police_department_id: string | null;
  police_mode: Generated<PoliceLinkage>;
  stability: Generated<boolean>;
  reporter_user_id: string | null;
  reporter_ids: Generated<string[]>;
  reporter_name: string | null;
  reporter_phone: string | null;
  assignee_user_id: string | null;
  /** The reporter's open patrol when the report was made (issue 13). */
  patrol_id: string | null;
  verification: Generated<Verification>;
  pending_requests: Generated<unknown>;
  supervised: Generated<boolean>;
  escalated: Generated<boolean>;
  awaiting_arbitration: Generated<boolean>;
  arbitrated: Generated<boolean>;
  self_handled: Generated<boolean>;
  overdue: Generated<boolean>;
  return_count: Generated<number>;
  rework_count: Generated<number>;
  reopen_count: Generated<number>;
  escalation_count: Generated<number>;
  supervision_count: Generated<number>;
  closure_type: ClosureType | null;
  merged_into: string | null;
  satisfaction: Satisfaction | null;
  deadline_stage: Stage | null;
  due_at: Date | null;
  warn_at: Date | null;
  reported_at: Date;
  registered_at: Date | null;
  dispatched_at: Date | null;
  handled_at: Date | null;
  closed_at: Date | null;
  updated_at: Date;
}

export interface CaseEventsTable {
  id: Generated<number>;
  case_id: string;
  seq: number;
  at: Date;
  action: string;
  from_state: CaseStateName | null;
  to_state: CaseStateName;
  actor_user_id: string | null;
  actor_name: string | null;
  actor_role: string;
  actor_unit: string;
  payload: unknown;
  stage: Stage | null;
  time_used: number | null;
  time_limit: number | null;
  time_unit: TimeUnit | null;
  on_time: boolean | null;
}

export interface CaseDeadlinesTable {
  id: Generated<number>;
  case_id: string;
  stage: Stage;
  started_at: Date;
  limit_amount: number;
  limit_unit: TimeUnit;
  extension_amount: Generated<number>;
  /** Closed suspensions as `[{ start, end }]` ISO strings. */
  pauses: Generated<unknown>;
  paused_since: Date | null;
  paused_total_ms: Generated<number>;
  due_at: Date | null;
  warn_at: Date | null;
  status: Generated<ClockStatus>;
  stopped_at: Date | null;
  time_used: number | null;
  on_time: boolean | null;
  escalation_level: Generated<number>;
  escalated_at: Date | null;
  /** Recorded by the deadline sweeper (migrations/0005_sweeper.sql). */
  colour: Generated<'green' | 'yellow' | 'red'>;
  warned_at: Date | null;
  overdue_at: Date | null;
  next_escalation_at: Date | null;
}

export interface NotificationsTable {
  id: Generated<number>;
  recipient_user_id: string | null;
  recipient_department_id: string | null;
  recipient_region_code: string | null;
  recipient_role: string | null;
  kind: string;
  case_id: string | null;
  payload: unknown;
  created_at: Date;
  read_at: Date | null;
  read_by: string | null;
}

export interface AttachmentsTable {
  id: string;
  sha256: string;
  mime: string;
  size: number;
  original_name: string | null;
  uploaded_by: string;
  uploaded_at: Date;
  case_id: string | null;
  event_id: number | null;
  purpose: string | null;
}

export interface IdempotencyKeysTable {
  actor_id: string;
  key: string;
  body_hash: string;
  case_id: string;
  created_at: Date;
}

export interface SlaPolicyTable {
  id: Generated<number>;
  category_code: string | null;
  urgency: Urgency | null;
  stage: Stage;
  amount: number;
  unit: TimeUnit;
}

export interface CaseTables {
  case_counters: CaseCountersTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  case_deadlines: CaseDeadlinesTable;
  notifications: NotificationsTable;
  attachments: AttachmentsTable;
  idempotency_keys: IdempotencyKeysTable;
  sla_policy: SlaPolicyTable;
}
