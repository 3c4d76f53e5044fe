-- Patrols and grid coverage (issue 13, DESIGN §6): a patroller's patrol with its GPS track points and
-- check-ins, the expected patrol frequency of each grid, and the daily coverage roll-up. The rules that
-- judge points and coverage live in src/core/patrol/ (README there); these tables only hold their results.

-- 巡查: one patrol of one patroller, from start to end (by the patroller, or by the idle job)
create table patrols (
  id               text primary key,
  user_id          text not null references users (id),
  -- the patroller's unit when the patrol started, and its street: whose centre sees the track
  unit_code        text not null references regions (code),
  street_code      text not null references regions (code),
  started_at       timestamptz not null,
  ended_at         timestamptz,
  end_reason       text check (end_reason in ('manual', 'idle')),
  -- running summary, kept when the track points are deleted after the retention period
  distance_m       double precision not null default 0,
  points_total     integer not null default 0,
  points_valid     integer not null default 0,
  checkins         integer not null default 0,
  -- the last point received (any validity): the live map's position and its age
  last_seq         integer,
  last_at          timestamptz,
  last_lon         double precision,
  last_lat         double precision,
  -- the last valid point: distance and speed are measured from it
  valid_seq        integer,
  valid_at         timestamptz,
  valid_lon        double precision,
  valid_lat        double precision,
  track_purged_at  timestamptz,
  check (ended_at is null or ended_at >= started_at),
  check ((ended_at is null) = (end_reason is null))
);
-- at most one open patrol per patroller
create unique index patrols_open_idx on patrols (user_id) where ended_at is null;
create index patrols_user_started_idx on patrols (user_id, started_at);
create index patrols_street_started_idx on patrols (street_code, started_at);

-- GPS track points: (patrol, seq) is the client's own numbering, so a batch re-sent after being offline
-- is not stored twice. Points judged invalid (accuracy, speed, time) are kept with their reason.
create table patrol_points (
  patrol_id   text not null references patrols (id) on delete cascade,
  seq         integer not null check (seq >= 0),
  recorded_at timestamptz not null,
  lon         double precision not null,
  lat         double precision not null,
  accuracy_m  double precision,
  valid       boolean not null,
  invalid_reason text check (invalid_reason in ('accuracy', 'speed', 'time', 'order')),
  grid_code   text,
  -- the Asia/Shanghai day of recorded_at: what the daily roll-up reads
  day         date not null,
  primary key (patrol_id, seq)
);
create index patrol_points_day_idx on patrol_points (day, patrol_id, seq) where valid;
create index patrol_points_recorded_idx on patrol_points (recorded_at);

-- 打卡: a check-in at a place during a patrol (a free point with a note; key sites come later)
create table patrol_checkins (
  id          text primary key,
  patrol_id   text not null references patrols (id) on delete cascade,
  -- the client's id for the check-in, so a re-sent one is not stored twice
  client_id   text not null,
  at          timestamptz not null,
  lon         double precision not null,
  lat         double precision not null,
  accuracy_m  double precision,
  note        text not null default '',
  grid_code   text,
  day         date not null,
  unique (patrol_id, client_id)
);
create index patrol_checkins_day_idx on patrol_checkins (day);

-- reports made during a patrol link to it (set by create-case when the reporter has an open patrol)
alter table cases add column patrol_id text references patrols (id);
create index cases_patrol_idx on cases (patrol_id) where patrol_id is not null;

-- expected patrol frequency of a grid, in patrolled days per week (7 = daily, 2 = twice a week); null:
-- the default in app_settings 'patrol_policy'
alter table regions add column patrol_days_per_week integer
  check (patrol_days_per_week between 1 and 7);

-- the daily coverage roll-up: one row per day, claimed with FOR UPDATE SKIP LOCKED by one process at a
-- time; `dirty` is set again when late points of a closed day arrive (an offline phone)
create table coverage_rollups (
  day         date primary key,
  dirty       boolean not null default true,
  rolled_at   timestamptz,
  runs        integer not null default 0
);
create index coverage_rollups_dirty_idx on coverage_rollups (day) where dirty;

-- the roll-up's result: a grid's patrolled time and check-ins on a day (grids without any are absent)
create table coverage_days (
  day         date not null,
  grid_code   text not null references regions (code),
  seconds     integer not null,
  checkins    integer not null,
  patrollers  text[] not null default '{}',
  covered     boolean not null,
  primary key (day, grid_code)
);
create index coverage_days_grid_idx on coverage_days (grid_code, day);

-- the rules' parameters (data, an admin may change them): see src/core/patrol/README.md
insert into app_settings (key, value) values ('patrol_policy',
  '{"maxAccuracyM": 50, "maxSpeedMps": 7, "maxGapSeconds": 300, "minCoveredMinutes": 15, "idleMinutes": 30, "retentionDays": 90, "defaultDaysPerWeek": 2}')
  on conflict (key) do nothing;
