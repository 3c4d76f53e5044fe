-- Per-stream audit chains with checkpoints (issue 10 item 1). The single `audit_head` row, locked by every
-- write in the system, is replaced by one chain per audited thing (the record's `target`, e.g.
-- `case:<id>`, `user:<id>`; a record without a target is a stream of its own): two writes to different
-- streams never wait on one row. Periodic checkpoints chain the stream heads together under the audit key
-- (HMAC, the key outside the database), so removing a stream's newest records or a whole stream is
-- detected once a checkpoint has sealed them. See src/app/audit/README.md and docs/scaling.md §1.

-- The global order stays: `seq` now comes from a sequence (no row lock; numbers of rolled-back
-- transactions are skipped, so `seq` is increasing, not gapless). The position in the record's stream
-- (`stream_seq`, 1, 2, 3… gapless) and the stream name are covered by the record's HMAC.
create sequence audit_log_seq owned by audit_log.seq;
select setval('audit_log_seq', coalesce((select max(seq) from audit_log), 0) + 1, false);
alter table audit_log alter column seq set default nextval('audit_log_seq');

-- Records written before this migration keep stream and stream_seq null: together they are the closed
-- global chain of migrations 0002–0036 (ordered by seq 1…n, verified as before), whose head is moved into
-- `audit_streams` as the pseudo-stream 'audit:global' so the first checkpoint seals it.
alter table audit_log add column stream text;
alter table audit_log add column stream_seq bigint;
alter table audit_log add constraint audit_log_stream_check
  check ((stream is null) = (stream_seq is null) and (stream_seq is null or stream_seq > 0));
create unique index audit_log_stream_idx on audit_log (stream, stream_seq);
-- the old chain, walked by seq (new records never enter this index)
create index audit_log_global_idx on audit_log (seq) where stream is null;
-- the unique index on the random 64-hex hash was the largest index of the database at 1 M cases (issue
-- 10) and verifies nothing the chain does not: each stream's order is (stream, stream_seq)
alter table audit_log drop constraint audit_log_hash_key;

-- The head of each stream: locked by an append to that stream only. Not trusted by verification (the
-- owner of the database can change it like any row); the checkpoints are what seal the heads.
create table audit_streams (
  stream           text primary key,
  stream_seq       bigint not null check (stream_seq >= 0),  -- position of the newest record (0: none yet)
  hash             text not null,                            -- its hash
  seq              bigint not null,                          -- its global seq
  checkpointed_seq bigint not null default 0                 -- position sealed by the latest checkpoint
);
-- the checkpoint job reads only the streams written since their last checkpoint
create index audit_streams_pending_idx on audit_streams (stream) where stream_seq > checkpointed_seq;
insert into audit_streams (stream, stream_seq, hash, seq)
  select 'audit:global', seq, hash, seq from audit_head where seq > 0;
drop table audit_head;

-- A checkpoint: the heads of the streams written since the previous one (stream, position, the record's
-- seq and hash), their SHA-256 digest, and an HMAC over it chained to the previous checkpoint.
create table audit_checkpoints (
  id           bigint primary key check (id > 0),     -- 1, 2, 3… gapless
  at           timestamptz not null,
  kind         text not null check (kind in ('scheduled', 'verify', 'seal')),
  heads        integer not null check (heads >= 0),
  heads_digest text not null,
  prev_hash    text not null,
  hash         text not null,
  key_id       text not null
);
create table audit_checkpoint_heads (
  checkpoint_id bigint not null references audit_checkpoints (id),
  stream        text not null,
  stream_seq    bigint not null check (stream_seq > 0),
  seq           bigint not null,
  hash          text not null,
  primary key (checkpoint_id, stream)
);
create index audit_checkpoint_heads_stream_idx on audit_checkpoint_heads (stream, stream_seq);

-- Who checkpoints next: one row, locked by the checkpoint job with SKIP LOCKED (so of several server
-- processes one writes the checkpoint and the others skip) and by `audit verify` (which waits).
create table audit_checkpoint_runs (
  id                boolean primary key default true check (id),
  last_scheduled_at timestamptz
);
insert into audit_checkpoint_runs (id, last_scheduled_at) values (true, null);

-- the append-only refusal names the table it guards
create or replace function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only (% refused)', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_checkpoints_no_update before update or delete on audit_checkpoints
  for each row execute function audit_log_append_only();
create trigger audit_checkpoints_no_truncate before truncate on audit_checkpoints
  for each statement execute function audit_log_append_only();
create trigger audit_checkpoint_heads_no_update before update or delete on audit_checkpoint_heads
  for each row execute function audit_log_append_only();
create trigger audit_checkpoint_heads_no_truncate before truncate on audit_checkpoint_heads
  for each statement execute function audit_log_append_only();
