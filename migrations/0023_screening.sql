-- Rolling screening campaigns (滚动排摸, issue 13): the rules are in src/core/screening/ (themes, visit
-- forms, target rules, assignment, the GPS rule), the use cases and the task-generation job in
-- src/app/screening/.

-- A campaign: its theme, territory (region codes), target rule, rounds and period, the centre that owns it.
create table screening_campaigns (
  id              text primary key,
  name            text not null,
  theme           text not null check (theme in ('group_renting', 'unlicensed_business', 'fire_hazards',
                    'underground_workshops', 'newcomer_registration')),
  territory       text[] not null check (cardinality(territory) between 1 and 200),
  target_rule     jsonb not null,
  assignee_role   text not null default 'coordinator' check (assignee_role in ('coordinator', 'patroller')),
  rounds          integer not null check (rounds between 1 and 24),
  round_work_days integer not null check (round_work_days between 1 and 120),
  starts_on       date not null,
  ends_on         date not null,
  owner_code      text not null references regions (code),
  state           text not null default 'active' check (state in ('active', 'closed')),
  current_round   integer not null default 1,
  created_by      text references users (id),
  created_at      timestamptz not null,
  updated_at      timestamptz not null,
  version         integer not null default 1,
  check (ends_on >= starts_on),
  check (current_round between 1 and rounds)
);
create index screening_campaigns_owner_idx on screening_campaigns (owner_code, state);

-- A round of a campaign. The generation job claims rounds with generated_at null (FOR UPDATE SKIP
-- LOCKED) and writes all of a round's tasks in the claiming transaction: once across processes, redone
-- after a kill.
create table screening_rounds (
  campaign_id   text not null references screening_campaigns (id),
  round_no      integer not null,
  opened_at     timestamptz not null,
  generated_at  timestamptz,
  due_at        timestamptz,
  closed_at     timestamptz,
  -- the comparison with the previous round (core compareRounds), written at generation
  comparison    jsonb,
  primary key (campaign_id, round_no)
);
create index screening_rounds_pending_idx on screening_rounds (opened_at) where generated_at is null;

-- A visit task: one target (a dwelling or a business) of one round, placed and assigned by its grid.
create table screening_tasks (
  id              text primary key,
  campaign_id     text not null references screening_campaigns (id),
  round_no        integer not null,
  target_kind     text not null check (target_kind in ('dwelling', 'unit')),
  target_id       text not null,
  address_id      text not null references base_addresses (id),
  street_code     text not null references regions (code),
  committee_code  text references regions (code),
  grid_code       text references regions (code),
  lon             double precision,
  lat             double precision,
  facts           jsonb not null default '{}',
  standing        text not null default 'new' check (standing in ('new', 'again', 'again_after_problem')),
  assignee_id     text references users (id),
  status          text not null default 'pending' check (status in ('pending', 'revisit', 'normal',
                    'problem_found', 'refused', 'unreachable')),
  due_at          timestamptz not null,
  revisit_at      timestamptz,
  attempts        integer not null default 0,
  last_visit_at   timestamptz,
  version         integer not null default 1,
  foreign key (campaign_id, round_no) references screening_rounds (campaign_id, round_no),
  unique (campaign_id, round_no, target_kind, target_id)
);
create index screening_tasks_assignee_idx on screening_tasks (assignee_id, status);
create index screening_tasks_campaign_idx on screening_tasks (campaign_id, round_no, status);
create index screening_tasks_committee_idx on screening_tasks (committee_code, status);
create index screening_tasks_grid_idx on screening_tasks (grid_code, status);

-- A visit: outcome, the theme's form answers, photos (attachment ids), GPS, and the case a finding became.
create table screening_visits (
  id            text primary key,
  task_id       text not null references screening_tasks (id),
  campaign_id   text not null references screening_campaigns (id),
  round_no      integer not null,
  visitor_id    text not null references users (id),
  at            timestamptz not null,
  outcome       text not null check (outcome in ('normal', 'problem_found', 'nobody_home', 'refused')),
  answers       jsonb not null default '{}',
  photos        text[] not null default '{}',
  lon           double precision,
  lat           double precision,
  accuracy_m    double precision,
  distance_m    integer,
  far_reason    text,
  note          text,
  case_id       text references cases (id),
  check ((lon is null) = (lat is null))
);
create index screening_visits_task_idx on screening_visits (task_id, at);
create index screening_visits_campaign_idx on screening_visits (campaign_id, outcome);
create index screening_visits_case_idx on screening_visits (case_id) where case_id is not null;

-- what the last visit counted in a dwelling (the rules compare it with the registered occupants)
alter table base_dwellings add column occupants_counted integer
  check (occupants_counted is null or (occupants_counted >= 0 and occupants_counted < 1000));
alter table base_dwellings add column occupants_counted_on date;

-- a visit's photos are kept while a visit names them (the orphan-upload sweep looks here)
create index screening_visits_photos_idx on screening_visits using gin (photos);
