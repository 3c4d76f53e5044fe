-- Working calendar (DESIGN §5, issue 3): admin overrides of the official holiday schedule (for years the
-- shipped schedule does not know yet, or local decisions), and one settings row with the working segments
-- and the years an admin has entered completely. The official schedule itself comes from the
-- `chinese-days` package, not from the database.

create table calendar_overrides (
  date        date primary key,                    -- Beijing calendar date
  kind        text not null check (kind in ('workday', 'holiday')),
  note        text not null default '',            -- e.g. '春节（国办发明电〔2026〕x号）'
  updated_by  text not null,                       -- users.id, or 'system' (seeds, CLI): no foreign key
  updated_at  timestamptz not null default now()
);

create table calendar_settings (
  id                boolean primary key default true check (id),   -- exactly one row
  working_segments  jsonb not null
                      default '[{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "17:30"}]',
  confirmed_years   integer[] not null default '{}',               -- years fully entered as overrides
  -- bumped by every change to overrides or settings, so each server instance can tell that its cached
  -- calendar is stale with one primary-key read
  version           integer not null default 0,
  updated_by        text,
  updated_at        timestamptz not null default now()
);
insert into calendar_settings (id) values (true);
