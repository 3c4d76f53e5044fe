-- One's own active sessions (issue 11, accounts): a public id to name a session without its token hash,
-- and when it was last used (refreshed at most every few minutes, so reading is not a write per request).
alter table sessions add column id text not null default gen_random_uuid()::text;
alter table sessions add column last_seen_at timestamptz not null default now();
update sessions set last_seen_at = created_at;
create unique index sessions_id_idx on sessions (id);
