-- Cases and the linkage loop (issue 3, DESIGN §4–§5): the case row, its append-only event log, one
-- deadline clock per stage, notifications with read receipts, content-addressed attachments,
-- idempotent creation and the SLA policy.

-- Case numbers are human-readable and unique per year (310112-2026-000123): one counter row per
-- district and year, incremented inside the creating transaction (the row lock orders concurrent
-- creations, a rolled-back creation gives its number back).
create table case_counters (
  prefix text not null,
  year   integer not null,
  value  integer not null,
  primary key (prefix, year)
);

create table cases (
  id                       text primary key,
  case_no                  text not null unique,
  state                    text not null check (state in ('reported', 'verifying', 'registered', 'dispatched',
                             'in_progress', 'suspended', 'handled', 'checking', 'resolved', 'closed', 'rejected',
                             'cancelled')),
  version                  integer not null default 1 check (version > 0),
  -- patrol 网格巡查 · screening 排摸 (coordinator) · station 工作站 · citizen · hotline 12345 · department
  -- 部门移送 · leader 领导交办 · warning 预警 (the platform)
  source                   text not null check (source in ('patrol', 'screening', 'station', 'citizen', 'hotline',
                             'department', 'leader', 'warning')),
  category_code            text references categories (code),  -- a citizen may not know it; set at 立案
  urgency                  text not null check (urgency in ('normal', 'urgent')),
  priority                 text not null default 'normal' check (priority in ('normal', 'high', 'critical')),
  description              text not null,
  address                  text,
  lon                      double precision not null,           -- WGS84
  lat                      double precision not null,
  district_code            text not null references regions (code),
  street_code              text references regions (code),
  committee_code           text references regions (code),
  grid_code                text references regions (code),
  -- the centre that owns the case (工作站 / 分中心 / 中心); ownership moves on escalation
  owner_level              text not null check (owner_level in ('committee', 'street', 'district')),
  owner_code               text not null references regions (code),
  lead_department_id       text references departments (id),
  assisting_department_ids text[] not null default '{}',
  police_department_id     text references departments (id),   -- the linked police station
  police_mode              text not null default 'none' check (police_mode in ('none', 'notify', 'assist', 'lead')),
  stability                boolean not null default false,      -- stability/dispute information
  reporter_user_id         text references users (id),          -- the first reporter (scope, contact)
  reporter_ids             text[] not null default '{}',        -- every reporter, merges included
  reporter_name            text,                                -- masked on read by policy
  reporter_phone           text,
  assignee_user_id         text references users (id),          -- patroller verifying/checking now
  verification             text not null default 'not_required' check (verification in ('not_required',
                             'required', 'confirmed', 'not_confirmed')),
  pending_requests         jsonb not null default '[]',         -- extension/suspension requests awaiting approval
  supervised               boolean not null default false,      -- 督办
  escalated                boolean not null default false,      -- has been escalated street → district
  awaiting_arbitration     boolean not null default false,
  arbitrated               boolean not null default false,
  self_handled             boolean not null default false,
  overdue                  boolean not null default false,      -- sticky: some stage deadline was missed
  return_count             integer not null default 0,
  rework_count             integer not null default 0,
  reopen_count             integer not null default 0,
  escalation_count         integer not null default 0,
  supervision_count        integer not null default 0,
  closure_type             text check (closure_type in ('normal', 'overdue', 'special', 'self_handled')),
  merged_into              text references cases (id),
  satisfaction             text check (satisfaction in ('satisfied', 'basically_satisfied', 'unsatisfied')),
  -- the running stage clock, copied from case_deadlines so lists filter and sort without a join
  deadline_stage           text,
  due_at                   timestamptz,
  warn_at                  timestamptz,                         -- 80 % of the limit used (yellow)
  reported_at              timestamptz not null,
  registered_at            timestamptz,
  dispatched_at            timestamptz,
  handled_at               timestamptz,
  closed_at                timestamptz,
  updated_at               timestamptz not null
);
create index cases_state_idx on cases (state);
create index cases_street_idx on cases (street_code, state);
create index cases_committee_idx on cases (committee_code);
create index cases_grid_idx on cases (grid_code);
create index cases_lead_idx on cases (lead_department_id);
create index cases_police_idx on cases (police_department_id);
create index cases_reporter_idx on cases (reporter_user_id);
create index cases_category_loc_idx on cases (category_code, lat, lon);
create index cases_due_idx on cases (due_at, id);
create index cases_reported_idx on cases (reported_at, id);

-- One row per action, written in the same transaction as the state change. Append-only.
create table case_events (
  id             bigserial primary key,
  case_id        text not null references cases (id),
  seq            integer not null,                 -- the case version this action produced
  at             timestamptz not null,
  action         text not null,
  from_state     text,                             -- null for the report that created the case
  to_state       text not null,
  actor_user_id  text,                             -- users.id, 'system'
  actor_name     text,
  actor_role     text not null,
  actor_unit     text not null,                    -- region code, 'dept:<id>' or 'none'
  payload        jsonb not null default '{}',
  -- the stage clock this action stopped, if any: time used against the limit, and whether on time
  stage          text,
  time_used      double precision,
  time_limit     double precision,
  time_unit      text,
  on_time        boolean,
  unique (case_id, seq)
);
create index case_events_at_idx on case_events (at);
create index case_events_actor_idx on case_events (actor_user_id);

create function case_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'case_events is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger case_events_no_update before update or delete on case_events
  for each row execute function case_events_append_only();

-- One clock per stage of a case (DESIGN §5). `due_at` is null while suspended. The deadline sweeper
-- picks `status = 'running' and due_at <= now` rows with FOR UPDATE SKIP LOCKED and raises
-- `escalation_level` one step at a time, so each level is reached exactly once.
create table case_deadlines (
  id                bigserial primary key,
  case_id           text not null references cases (id),
  stage             text not null check (stage in ('register', 'verify', 'dispatch', 'sign', 'handle', 'check',
                      'close')),
  started_at        timestamptz not null,
  limit_amount      double precision not null check (limit_amount >= 0),
  limit_unit        text not null check (limit_unit in ('urgent_hour', 'work_hour', 'work_day', 'natural_day')),
  extension_amount  double precision not null default 0,   -- approved extensions (延期), same unit
  pauses            jsonb not null default '[]',           -- closed suspensions [{start, end}] (ISO)
  paused_since      timestamptz,                           -- open suspension (挂账)
  paused_total_ms   bigint not null default 0,             -- wall time spent suspended
  due_at            timestamptz,
  warn_at           timestamptz,
  status            text not null default 'running' check (status in ('running', 'paused', 'stopped')),
  stopped_at        timestamptz,
  time_used         double precision,                      -- in limit_unit, at stop
  on_time           boolean,
  escalation_level  integer not null default 0,
  escalated_at      timestamptz
);
create unique index case_deadlines_open_idx on case_deadlines (case_id, stage) where status <> 'stopped';
create index case_deadlines_due_idx on case_deadlines (due_at) where status = 'running';
create index case_deadlines_case_idx on case_deadlines (case_id);

-- Notifications are records; delivery channels come later. A recipient is a user, a department or a
-- territorial centre (region), optionally narrowed to one role of that unit. The first reader leaves
-- the read receipt.
create table notifications (
  id                      bigserial primary key,
  recipient_user_id       text references users (id),
  recipient_department_id text references departments (id),
  recipient_region_code   text references regions (code),
  recipient_role          text,
  kind                    text not null,
  case_id                 text references cases (id),
  payload                 jsonb not null default '{}',
  created_at              timestamptz not null,
  read_at                 timestamptz,
  read_by                 text,
  check (num_nonnulls(recipient_user_id, recipient_department_id, recipient_region_code) = 1)
);
create index notifications_user_idx on notifications (recipient_user_id, id);
create index notifications_department_idx on notifications (recipient_department_id, id);
create index notifications_region_idx on notifications (recipient_region_code, id);
create index notifications_case_idx on notifications (case_id);

-- Files are stored once per content (DATA_DIR/files/ab/cd/<sha256>); a row per upload links it to the
-- uploader, and later to a case and the event that used it.
create table attachments (
  id            text primary key,
  sha256        text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  mime          text not null,
  size          integer not null check (size > 0),
  original_name text,
  uploaded_by   text not null,
  uploaded_at   timestamptz not null,
  case_id       text references cases (id),
  event_id      bigint references case_events (id),
  purpose       text                                   -- 'before', 'after', 'evidence', …
);
create index attachments_case_idx on attachments (case_id);
create index attachments_sha_idx on attachments (sha256);

-- Idempotent case creation: the first request with a key claims it (the primary key makes a
-- concurrent retry wait for the first transaction, then find its case).
create table idempotency_keys (
  actor_id   text not null,
  key        text not null,
  body_hash  text not null,
  case_id    text not null references cases (id) deferrable initially deferred,
  created_at timestamptz not null,
  primary key (actor_id, key)
);

-- Stage time limits per category (or default) × urgency (or any). The most specific row wins; for the
-- handle stage a category's own handle_amount/handle_unit beats the defaults.
create table sla_policy (
  id            serial primary key,
  category_code text references categories (code),
  urgency       text check (urgency in ('normal', 'urgent')),
  stage         text not null check (stage in ('register', 'verify', 'dispatch', 'sign', 'handle', 'check', 'close')),
  amount        double precision not null check (amount > 0),
  unit          text not null check (unit in ('urgent_hour', 'work_hour', 'work_day', 'natural_day'))
);
create unique index sla_policy_key_idx on sla_policy (coalesce(category_code, ''), coalesce(urgency, ''), stage);

-- DESIGN §5 defaults: verification 30 min, check 120 min; urgent cases run on clock hours.
insert into sla_policy (category_code, urgency, stage, amount, unit) values
  (null, 'normal', 'register', 1, 'work_hour'),
  (null, 'normal', 'verify', 0.5, 'work_hour'),
  (null, 'normal', 'dispatch', 1, 'work_hour'),
  (null, 'normal', 'sign', 2, 'work_hour'),
  (null, 'normal', 'handle', 5, 'work_day'),
  (null, 'normal', 'check', 2, 'work_hour'),
  (null, 'normal', 'close', 2, 'work_hour'),
  (null, 'urgent', 'register', 0.25, 'urgent_hour'),
  (null, 'urgent', 'verify', 0.5, 'urgent_hour'),
  (null, 'urgent', 'dispatch', 0.25, 'urgent_hour'),
  (null, 'urgent', 'sign', 0.5, 'urgent_hour'),
  (null, 'urgent', 'handle', 4, 'urgent_hour'),
  (null, 'urgent', 'check', 1, 'urgent_hour'),
  (null, 'urgent', 'close', 1, 'urgent_hour');
