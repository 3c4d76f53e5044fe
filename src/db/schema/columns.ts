import type { InsertType, SelectType } from 'kysely';
import type { DB } from './index.ts';

/**
 * Every table's columns as the migrations create them: `type[ null][ default]`, in PostgreSQL's own
 * spelling (`format_type`). The type of each entry is derived from the table's TypeScript type, so this
 * list cannot disagree with `DB`; `test/db-columns.test.ts` migrates a fresh database and compares it
 * with the catalogue, so a migration without a matching change here (and so in the table type) fails CI.
 */
export const COLUMNS = {
  app_settings: {
    key: 'text',
    value: 'jsonb',
    updated_at: 'timestamp with time zone default',
  },
  attachments: {
    id: 'text',
    sha256: 'text',
    mime: 'text',
    size: 'integer',
    original_name: 'text null',
    uploaded_by: 'text',
    uploaded_at: 'timestamp with time zone',
    case_id: 'text null',
    event_id: 'bigint null',
    purpose: 'text null',
  },
  audit_head: {
    id: 'boolean default',
    seq: 'bigint',
    hash: 'text',
  },
  audit_log: {
    seq: 'bigint',
    at: 'timestamp with time zone',
    actor_id: 'text null',
    actor_name: 'text null',
    actor_role: 'text null',
    action: 'text',
    target: 'text null',
    address: 'text null',
    payload: 'jsonb default',
    prev_hash: 'text',
    hash: 'text',
    key_id: 'text null',
  },
  calendar_overrides: {
    date: 'date',
    kind: 'text',
    note: 'text default',
    updated_by: 'text',
    updated_at: 'timestamp with time zone default',
  },
  calendar_settings: {
    id: 'boolean default',
    working_segments: 'jsonb default',
    confirmed_years: 'integer[] default',
    version: 'integer default',
    updated_by: 'text null',
    updated_at: 'timestamp with time zone default',
  },
  case_counters: {
    prefix: 'text',
    year: 'integer',
    value: 'integer',
  },
  case_deadlines: {
    id: 'bigint default',
    case_id: 'text',
    stage: 'text',
    started_at: 'timestamp with time zone',
    limit_amount: 'double precision',
    limit_unit: 'text',
    extension_amount: 'double precision default',
    pauses: 'jsonb default',
    paused_since: 'timestamp with time zone null',
    paused_total_ms: 'bigint default',
    due_at: 'timestamp with time zone null',
    warn_at: 'timestamp with time zone null',
    status: 'text default',
    stopped_at: 'timestamp with time zone null',
    time_used: 'double precision null',
    on_time: 'boolean null',
    escalation_level: 'integer default',
    escalated_at: 'timestamp with time zone null',
    colour: 'text default',
    warned_at: 'timestamp with time zone null',
    overdue_at: 'timestamp with time zone null',
    next_escalation_at: 'timestamp with time zone null',
  },
  case_events: {
    id: 'bigint default',
    case_id: 'text',
    seq: 'integer',
    at: 'timestamp with time zone',
    action: 'text',
    from_state: 'text null',
    to_state: 'text',
    actor_user_id: 'text null',
    actor_name: 'text null',
    actor_role: 'text',
    actor_unit: 'text',
    payload: 'jsonb default',
    stage: 'text null',
    time_used: 'double precision null',
    time_limit: 'double precision null',
    time_unit: 'text null',
    on_time: 'boolean null',
  },
  cases: {
    id: 'text',
    case_no: 'text',
    state: 'text',
    version: 'integer default',
    source: 'text',
    category_code: 'text null',
    urgency: 'text',
    priority: 'text default',
    description: 'text',
    address: 'text null',
    lon: 'double precision',
    lat: 'double precision',
    district_code: 'text',
    street_code: 'text null',
    committee_code: 'text null',
    grid_code: 'text null',
    owner_level: 'text',
    owner_code: 'text',
    lead_department_id: 'text null',
    assisting_department_ids: 'text[] default',
    police_department_id: 'text null',
    police_mode: 'text default',
    stability: 'boolean default',
    reporter_user_id: 'text null',
    reporter_ids: 'text[] default',
    reporter_name: 'text null',
    reporter_phone: 'text null',
    assignee_user_id: 'text null',
    verification: 'text default',
    pending_requests: 'jsonb default',
    supervised: 'boolean default',
    escalated: 'boolean default',
    awaiting_arbitration: 'boolean default',
    arbitrated: 'boolean default',
    self_handled: 'boolean default',
    overdue: 'boolean default',
    return_count: 'integer default',
    rework_count: 'integer default',
    reopen_count: 'integer default',
    escalation_count: 'integer default',
    supervision_count: 'integer default',
    closure_type: 'text null',
    merged_into: 'text null',
    satisfaction: 'text null',
    deadline_stage: 'text null',
    due_at: 'timestamp with time zone null',
    warn_at: 'timestamp with time zone null',
    reported_at: 'timestamp with time zone',
    registered_at: 'timestamp with time zone null',
    dispatched_at: 'timestamp with time zone null',
    handled_at: 'timestamp with time zone null',
    closed_at: 'timestamp with time zone null',
    updated_at: 'timestamp with time zone',
    follow_up_code: 'text null',
  },
  categories: {
    code: 'text',
    parent_code: 'text null',
    name_zh: 'text',
    name_en: 'text',
    urgency: 'text default',
    handle_amount: 'integer null',
    handle_unit: 'text null',
    police_mode: 'text default',
    stability: 'boolean default',
    sort: 'integer default',
    active: 'boolean default',
    sensitive: 'boolean default',
  },
  department_coverage: {
    department_id: 'text',
    region_code: 'text',
  },
  departments: {
    id: 'text',
    name: 'text',
    type: 'text',
    level: 'text',
    region_code: 'text',
    phone: 'text null',
    active: 'boolean default',
  },
  idempotency_keys: {
    actor_id: 'text',
    key: 'text',
    body_hash: 'text',
    case_id: 'text',
    created_at: 'timestamp with time zone',
  },
  import_row_errors: {
    run_id: 'text',
    seq: 'integer',
    row_no: 'integer',
    col: 'text null',
    value: 'text null',
    reason: 'text',
    message: 'text default',
  },
  import_runs: {
    id: 'text default',
    kind: 'text',
    file_name: 'text',
    file_path: 'text',
    file_format: 'text',
    file_size: 'integer default',
    street_code: 'text null',
    created_by: 'text null',
    dry_run: 'boolean default',
    status: 'text default',
    rows_read: 'integer default',
    inserted: 'integer default',
    updated: 'integer default',
    unchanged: 'integer default',
    refused: 'integer default',
    bytes_read: 'integer default',
    error: 'text null',
    created_at: 'timestamp with time zone default',
    started_at: 'timestamp with time zone null',
    finished_at: 'timestamp with time zone null',
    heartbeat_at: 'timestamp with time zone null',
  },
  login_throttle: {
    key: 'text',
    failures: 'integer default',
    last_failure_at: 'timestamp with time zone',
    locked_until: 'timestamp with time zone null',
  },
  notifications: {
    id: 'bigint default',
    recipient_user_id: 'text null',
    recipient_department_id: 'text null',
    recipient_region_code: 'text null',
    recipient_role: 'text null',
    kind: 'text',
    case_id: 'text null',
    payload: 'jsonb default',
    created_at: 'timestamp with time zone',
    read_at: 'timestamp with time zone null',
    read_by: 'text null',
  },
  regions: {
    code: 'text',
    name: 'text',
    level: 'text',
    parent_code: 'text null',
    geometry: 'jsonb null',
    centroid_lon: 'double precision null',
    centroid_lat: 'double precision null',
    area_m2: 'double precision null',
    synthetic: 'boolean default',
    created_at: 'timestamp with time zone default',
  },
  responsibility_matrix: {
    id: 'integer default',
    category_code: 'text',
    region_code: 'text',
    lead_department_id: 'text',
    assisting_department_ids: 'text[] default',
    police_mode: 'text null',
  },
  schema_migrations: {
    name: 'text',
    applied_at: 'timestamp with time zone default',
  },
  sessions: {
    token_hash: 'text',
    user_id: 'text',
    created_at: 'timestamp with time zone',
    expires_at: 'timestamp with time zone',
    address: 'text null',
    user_agent: 'text null',
    id: 'text default',
    last_seen_at: 'timestamp with time zone default',
  },
  sla_policy: {
    id: 'integer default',
    category_code: 'text null',
    urgency: 'text null',
    stage: 'text',
    amount: 'double precision',
    unit: 'text',
  },
  users: {
    id: 'text default',
    username: 'text',
    display_name: 'text',
    password_hash: 'text',
    role: 'text',
    unit_kind: 'text',
    unit_code: 'text null',
    department_id: 'text null',
    phone: 'text null',
    disabled: 'boolean default',
    must_change_password: 'boolean default',
    created_at: 'timestamp with time zone default',
    updated_at: 'timestamp with time zone default',
  },
} as const satisfies { [T in keyof DB]: TableColumns<DB[T]> };

/** The database types a TypeScript column type may be stored as. */
type PgTypeOf<S> = [S] extends [Date]
  ? 'timestamp with time zone'
  : [S] extends [boolean]
    ? 'boolean'
    : [S] extends [number]
      ? 'integer' | 'bigint' | 'double precision'
      : [S] extends [string]
        ? 'text'
        : [S] extends [readonly string[]]
          ? 'text[]'
          : [S] extends [readonly number[]]
            ? 'integer[]'
            : [S] extends [Date | string]
              ? 'date'
              : 'jsonb';

/** `unknown` says nothing about null; anything else is nullable exactly when its select type admits null. */
type NullPart<S> = unknown extends S ? '' | ' null' : null extends S ? ' null' : '';
/**
 * A column the insert may leave out (`Generated`) must have a default in the database; a column with a
 * default may still be required by the type (stricter, harmless). `unknown` (JSON) says nothing either way.
 */
type DefaultPart<C> =
  unknown extends InsertType<C>
    ? '' | ' default'
    : undefined extends InsertType<C>
      ? ' default'
      : '' | ' default';

type ColumnSpec<C> = `${PgTypeOf<NonNullable<SelectType<C>>>}${NullPart<SelectType<C>>}${DefaultPart<C>}`;
export type TableColumns<T> = { readonly [K in keyof T]-?: ColumnSpec<T[K]> };
