-- Evaluation roll-ups (issue 14 requirement 2). The event log stays the single source: these tables are
-- derived from case_events by src/app/evaluation/rollups.ts — per case in the same transaction as its
-- events (appendCaseEvents / createCase), or all at once by the rebuild — and a rebuild gives the same rows.

-- One row per period-free item segment of a case (src/core/evaluation/segments.ts): the anchor event `at`,
-- the window [valid_from, valid_to) of period ends for which it has this status, `prev_at` for the
-- first-of-its-run rule. Drill-down lists read these by (kind, unit, indicator, at, event_id): keyset order.
create table evaluation_items (
  id           bigserial primary key,
  case_id      text not null,
  kind         text not null,               -- unit kind, or 'presence' / 'area' (漏报率)
  unit         text not null,
  indicator    text not null,
  street       text,                        -- the case's street (a street leader's scope)
  case_no      text not null,
  event_id     bigint not null,
  at           timestamptz not null,
  prev_at      timestamptz,
  valid_from   timestamptz not null,
  valid_to     timestamptz,
  numerator    boolean not null,
  denominator  boolean not null,
  reason       text not null
);
create index evaluation_items_case_idx on evaluation_items (case_id);
create index evaluation_items_drill_idx on evaluation_items (kind, unit, indicator, at, event_id);

-- Per unit per Beijing day: signed spans of the segments (a_day = the anchor's or prev_at's day, b_day = the
-- day the status starts or ends); a day-aligned period [from, last] sums the rows with
-- from <= a_day and b_day <= last. Keyed by street too, so a street leader sums the street's cases only.
create table evaluation_rollups (
  kind         text not null,
  a_day        date not null,
  unit         text not null,
  indicator    text not null,
  street       text not null,               -- '' when the case has no street
  b_day        date not null,
  numerator    bigint not null,
  denominator  bigint not null
);
-- Append-only deltas, not one row per key: a case's writer inserts its signed spans and never updates a
-- row another case's writer could hold, so writers of different cases never wait on one another (a
-- street's "today" row would otherwise serialise every write in the street, and two writers touching
-- two such rows in opposite orders deadlock). Reads sum per key; a housekeeping pass folds each key's
-- rows into one (src/app/evaluation/rollups.ts, compactEvaluationRollups).
create index evaluation_rollups_key on evaluation_rollups (kind, a_day, unit, indicator, street, b_day);

-- Whether the roll-ups hold the whole log: false on a database that had events before this migration,
-- until `liandong evaluation rebuild` (or the rebuild use case) ran; readers fall back to the event log.
create table evaluation_rollup_state (
  id           boolean primary key default true check (id),
  built        boolean not null,
  rebuilt_at   timestamptz
);
insert into evaluation_rollup_state (id, built) select true, not exists (select 1 from case_events);
