-- Native PostgreSQL partitioning of the two tables that grow with a city's history (docs/scaling.md §3).
--
-- Not a migration: a conversion a city deployment would run once, in a maintenance window, on a database
-- migrated to the latest schema. `test/partitioning.test.ts` applies it to a test database (PGlite and
-- PostgreSQL) and walks a case through the product's own use cases on the converted tables, so the
-- schema's and the code's assumptions that partitioning breaks show up as failures there.
--
--   cases        list (district_code), and each district by range (reported_at) per month
--   case_events  range (at) per month
--
-- What partitioning costs, and how this script pays it:
-- - Every primary key and unique index of a partitioned table must contain the partition key. `cases`
--   becomes unique on (id, district_code, reported_at) and `case_events` on (id, at); `unique (case_id,
--   seq)` becomes (case_id, seq, at). The per-case order of events stays guaranteed by the one writer
--   (the case row's `version` is bumped under the row lock in the same transaction), not by the index.
-- - No foreign key can reference `cases (id)` or `case_events (id)` any more (they are no longer unique
--   on their own). The script drops those references (from case_events, case_deadlines, notifications,
--   attachments, idempotency keys, webhooks, warnings, screening, Open311 …): the one writer creates the
--   referencing rows in the same transaction as the case, which is what keeps them valid.
-- - Foreign keys *from* the partitioned tables (to regions, categories, users …), check constraints,
--   the other indexes and the append-only triggers are recreated on the partitioned tables.

create function liandong_partition(tbl text, how text, keys text[]) returns void language plpgsql as $$
declare
  old text := tbl || '_unpartitioned';
  r record;
  def text;
  k text;
  deferred_sql text[] := '{}';
  s text;
begin
  execute format('alter table %I rename to %I', tbl, old);

  -- remember what must be recreated, then free the names (index names are per schema)
  for r in
    select c.conname, c.contype, pg_get_constraintdef(c.oid) as def
    from pg_constraint c where c.conrelid = old::regclass and c.contype in ('p', 'u', 'f')
  loop
    if r.contype = 'u' then
      def := r.def;
      foreach k in array keys loop
        if position(k in def) = 0 then def := regexp_replace(def, '\)\s*$', ', ' || k || ')'); end if;
      end loop;
      deferred_sql := deferred_sql || format('alter table %I add constraint %I %s', tbl, r.conname, def);
    elsif r.contype = 'f' then
      deferred_sql := deferred_sql || format('alter table %I add constraint %I %s', tbl, r.conname, r.def);
    end if;
    execute format('alter table %I drop constraint %I', old, r.conname);
  end loop;

  for r in
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def, i.indisunique
    from pg_index i where i.indrelid = old::regclass
  loop
    def := replace(r.def, ' ON public.' || old || ' ', ' ON ' || tbl || ' ');
    def := replace(def, ' ON ' || old || ' ', ' ON ' || tbl || ' ');
    if r.indisunique then
      foreach k in array keys loop
        if position(k in def) = 0 then
          def := regexp_replace(def, 'USING (\w+) \(([^)]*)\)', 'USING \1 (\2, ' || k || ')');
        end if;
      end loop;
    end if;
    deferred_sql := deferred_sql || def;
    execute format('drop index %s', r.name);
  end loop;

  for r in
    select t.tgname, pg_get_triggerdef(t.oid) as def
    from pg_trigger t where t.tgrelid = old::regclass and not t.tgisinternal
  loop
    def := replace(r.def, ' ON public.' || old || ' ', ' ON ' || tbl || ' ');
    def := replace(def, ' ON ' || old || ' ', ' ON ' || tbl || ' ');
    deferred_sql := deferred_sql || def;
    execute format('drop trigger %I on %I', r.tgname, old);
  end loop;

  execute format(
    'create table %I (like %I including defaults including constraints including generated including comments) partition by %s',
    tbl, old, how);
  execute format('alter table %I add primary key (id, %s)', tbl, array_to_string(keys, ', '));
  foreach s in array deferred_sql loop execute s; end loop;

  -- a serial column's sequence moves to the new table (dropping the old one would drop it)
  for r in
    select a.attname, pg_get_serial_sequence(old, a.attname) as seq
    from pg_attribute a where a.attrelid = old::regclass and a.attnum > 0 and not a.attisdropped
  loop
    if r.seq is not null then execute format('alter sequence %s owned by %I.%I', r.seq, tbl, r.attname); end if;
  end loop;
end
$$;

-- Foreign keys that reference the two tables: dropped (see the header).
do $$
declare r record;
begin
  for r in
    select c.conrelid::regclass::text as tbl, c.conname
    from pg_constraint c
    where c.contype = 'f' and c.confrelid in ('cases'::regclass, 'case_events'::regclass)
  loop
    execute format('alter table %s drop constraint %I', r.tbl, r.conname);
  end loop;
end
$$;

select liandong_partition('cases', 'list (district_code)', array['district_code', 'reported_at']);
select liandong_partition('case_events', 'range (at)', array['at']);
drop function liandong_partition(text, text, text[]);

-- Partitions: one per district (each by month of report), a default for districts added later; events
-- by month. A deployment creates next month's partitions ahead of time (a monthly job, or pg_partman).
do $$
declare
  d record;
  m date;
  part text;
begin
  for d in select code from regions where level = 'district' loop
    part := 'cases_' || d.code;
    execute format('create table %I partition of cases for values in (%L) partition by range (reported_at)',
      part, d.code);
    for m in select generate_series(date '2025-01-01', date '2027-12-01', interval '1 month')::date loop
      execute format('create table %I partition of %I for values from (%L) to (%L)',
        part || '_' || to_char(m, 'YYYYMM'), part, m::timestamptz, (m + interval '1 month')::timestamptz);
    end loop;
    execute format('create table %I partition of %I default', part || '_other', part);
  end loop;
  create table cases_other_districts partition of cases default;

  for m in select generate_series(date '2025-01-01', date '2027-12-01', interval '1 month')::date loop
    execute format('create table %I partition of case_events for values from (%L) to (%L)',
      'case_events_' || to_char(m, 'YYYYMM'), m::timestamptz, (m + interval '1 month')::timestamptz);
  end loop;
  create table case_events_other partition of case_events default;
end
$$;

insert into cases select * from cases_unpartitioned;
insert into case_events select * from case_events_unpartitioned;
drop table case_events_unpartitioned;
drop table cases_unpartitioned;
