-- Base-information imports (issue 12 §4): one row per run of a file (uploaded, dry run or real), with
-- its progress and counts, and one row per refused cell or row (row, column, value, reason code).
-- The file itself stays in DATA_DIR/imports (or wherever the CLI was pointed); `file_path` names it.
create table import_runs (
  id            text primary key default gen_random_uuid()::text,
  kind          text not null check (kind in ('addresses', 'dwellings', 'people', 'units')),
  file_name     text not null,
  file_path     text not null,
  file_format   text not null check (file_format in ('csv', 'xlsx')),
  file_size     integer not null default 0,
  street_code   text references regions (code),
  created_by    text references users (id),
  dry_run       boolean not null default false,
  status        text not null default 'uploaded'
                  check (status in ('uploaded', 'running', 'done', 'failed')),
  -- rows read so far (the header excluded), and what became of them
  rows_read     integer not null default 0,
  inserted      integer not null default 0,
  updated       integer not null default 0,
  unchanged     integer not null default 0,
  refused       integer not null default 0,
  -- a rough total for the progress bar: the file's size and the bytes read so far
  bytes_read    integer not null default 0,
  error         text,
  created_at    timestamptz not null default now(),
  started_at    timestamptz,
  finished_at   timestamptz,
  heartbeat_at  timestamptz
);
create index import_runs_created_idx on import_runs (created_at desc);
create index import_runs_street_idx on import_runs (street_code, created_at desc);

create table import_row_errors (
  run_id   text not null references import_runs (id) on delete cascade,
  seq      integer not null,
  row_no   integer not null,
  col      text,
  value    text,
  reason   text not null,
  message  text not null default '',
  primary key (run_id, seq)
);
