-- Early warnings (预警, issue 13): rules in src/core/warnings/, the job in src/app/warnings/.

-- A warning: its rule, its evidence (case ids, base-information record ids 'dwelling:<id>'/'unit:<id>'),
-- its place (point, address, region codes), its owning centre (the street; the district when the place
-- lies in no street) and its life: new → acknowledged → converted (case_id) | dismissed (reason).
create table warnings (
  id              text primary key,
  rule            text not null check (rule in ('recurrence', 'hotspot', 'group_renting',
                    'unlicensed_business', 'illegal_medical', 'repeated_disputes', 'stability_signal')),
  dedup_key       text not null,
  state           text not null default 'new'
                    check (state in ('new', 'acknowledged', 'converted', 'dismissed')),
  category_code   text references categories (code),
  case_ids        text[] not null default '{}',
  record_ids      text[] not null default '{}',
  facts           jsonb not null default '{}',
  lat             double precision not null,
  lon             double precision not null,
  address_id      text references base_addresses (id),
  district_code   text references regions (code),
  street_code     text references regions (code),
  committee_code  text references regions (code),
  grid_code       text references regions (code),
  owner_code      text not null references regions (code),
  raised_at       timestamptz not null,
  updated_at      timestamptz not null,
  acknowledged_at timestamptz,
  acknowledged_by text references users (id),
  closed_at       timestamptz,
  closed_by       text references users (id),
  dismiss_reason  text,
  case_id         text references cases (id),
  version         integer not null default 1,
  check ((state = 'converted') = (case_id is not null)),
  check ((state = 'dismissed') = (dismiss_reason is not null))
);
-- the same situation is not warned twice while a warning is open (the job checks first; this is the net)
create unique index warnings_open_key_idx on warnings (dedup_key) where state in ('new', 'acknowledged');
create index warnings_owner_idx on warnings (owner_code, state, raised_at);
create index warnings_street_idx on warnings (street_code, raised_at);
create index warnings_address_idx on warnings (address_id) where address_id is not null;
create index warnings_raised_idx on warnings (raised_at, id);

-- Each step of a warning's life (raised by the job, acknowledged/converted/dismissed by a person).
create table warning_events (
  id          bigserial primary key,
  warning_id  text not null references warnings (id),
  action      text not null check (action in ('raise', 'acknowledge', 'convert', 'dismiss')),
  actor_id    text references users (id),
  at          timestamptz not null,
  note        text
);
create index warning_events_warning_idx on warning_events (warning_id, id);

-- The evaluation job's one row: a run locks it (FOR UPDATE SKIP LOCKED), so one process evaluates at
-- a time; `due` is set after case intake so the next pass runs early.
create table warning_runs (
  id          boolean primary key default true check (id),
  last_run_at timestamptz,
  due         boolean not null default true,
  runs        integer not null default 0
);
insert into warning_runs (id) values (true);

-- the rules' parameters (data, an admin may change them): see src/core/warnings/README.md
insert into app_settings (key, value) values ('warning_policy',
  '{"recurrenceRadiusM": 100, "recurrenceMinCases": 3, "recurrenceDays": 14, "hotspotResolution": 8, "hotspotBaselineWeeks": 8, "hotspotMinCount": 5, "hotspotAlpha": 0.01, "hotspotMinBaseline": 0.5, "groupRentingOccupants": 6, "groupRentingMinAreaPerPersonM2": 5, "disputeMinCases": 3, "disputeDays": 90, "stabilityMinCases": 3, "stabilityRadiusM": 200, "stabilityDays": 3, "intervalMinutes": 15}')
  on conflict (key) do nothing;
