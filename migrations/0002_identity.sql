-- Identity and access (issue 4, DESIGN §2): accounts bound to a role × unit, sessions, login throttling,
-- and the append-only, hash-chained audit log.

create table users (
  id                   text primary key default gen_random_uuid()::text,
  username             text not null,
  display_name         text not null,
  password_hash        text not null,                -- argon2id PHC string, never the password
  role                 text not null check (role in ('patroller', 'coordinator', 'station_operator', 'police',
                         'dispatcher', 'shift_lead', 'dept_handler', 'dept_lead', 'leader', 'admin', 'citizen')),
  unit_kind            text not null check (unit_kind in ('region', 'department', 'none')),
  unit_code            text references regions (code),        -- region units (district/street/committee/grid)
  department_id        text references departments (id),      -- department units (incl. police stations)
  phone                text,
  disabled             boolean not null default false,
  must_change_password boolean not null default false,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  check (
    (unit_kind = 'region' and unit_code is not null and department_id is null) or
    (unit_kind = 'department' and department_id is not null and unit_code is null) or
    (unit_kind = 'none' and unit_code is null and department_id is null)
  )
);
-- usernames are compared case-insensitively (login normalises to lower case)
create unique index users_username_idx on users (lower(username));
create index users_unit_code_idx on users (unit_code);
create index users_department_idx on users (department_id);

-- A session is found by the SHA-256 of its bearer token; the token itself is never stored, so a leaked
-- copy of this table cannot be replayed.
create table sessions (
  token_hash   text primary key,
  user_id      text not null references users (id) on delete cascade,
  created_at   timestamptz not null,
  expires_at   timestamptz not null,
  address      text,
  user_agent   text
);
create index sessions_user_idx on sessions (user_id);
create index sessions_expires_idx on sessions (expires_at);

-- Consecutive login failures per key ('account:<username>' and 'address:<ip>'); a success clears the
-- account key. `locked_until` is the end of the current cool-down.
create table login_throttle (
  key             text primary key,
  failures        integer not null default 0,
  last_failure_at timestamptz not null,
  locked_until    timestamptz
);

-- Append-only audit log. Each record carries the hash of the previous one (hash chain), so a changed,
-- removed or inserted record breaks the chain at that point even when the trigger below was bypassed.
create table audit_log (
  seq          bigint primary key check (seq > 0),
  at           timestamptz not null,
  actor_id     text,                                 -- users.id, 'system', or null (anonymous)
  actor_name   text,                                 -- username at the time (users may be renamed)
  actor_role   text,
  action       text not null,                        -- e.g. 'auth.login', 'user.create', 'case.dispatch'
  target       text,                                 -- e.g. 'user:<id>', 'case:<id>'
  address      text,                                 -- client address, when the action came over HTTP
  payload      jsonb not null default '{}',
  prev_hash    text not null,
  hash         text not null unique
);
create index audit_log_target_idx on audit_log (target);
create index audit_log_actor_idx on audit_log (actor_id);
create index audit_log_at_idx on audit_log (at);

-- The head of the chain: one row, locked by every append, so concurrent transactions append in order.
create table audit_head (
  id   boolean primary key default true check (id),
  seq  bigint not null,
  hash text not null
);
insert into audit_head (id, seq, hash) values (true, 0, repeat('0', 64));

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();
