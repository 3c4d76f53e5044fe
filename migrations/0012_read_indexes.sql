-- Reads and jobs that stay fast as the case table grows (issue 10 item 3).

-- The case list's default order (src/app/cases/list-cases.ts): the earliest due first, cases without a
-- running clock last, then id — the exact ORDER BY expression and keyset cursor of the query, so a page
-- is an index range scan instead of a sort of every case in scope.
create index cases_deadline_order_idx on cases ((coalesce(due_at, 'infinity'::timestamptz)), id);

-- The case scope (src/db/case-scope.ts) is an OR of plain column comparisons; every arm needs an index
-- for the planner to combine them (BitmapOr) instead of scanning the district: array containment
-- (reporter_ids @> …, assisting_department_ids @> …) through GIN, the patroller's assigned cases.
create index cases_reporter_ids_idx on cases using gin (reporter_ids);
create index cases_assisting_departments_idx on cases using gin (assisting_department_ids);
create index cases_assignee_idx on cases (assignee_user_id);

-- The deadline sweeper's wake-up instant of a running clock (src/app/deadlines/sweep-clock.ts,
-- SWEEP_WAKE): green → its warning instant (or due date, whichever comes first), yellow → its due date,
-- red → its next escalation level (at once for a red clock at level 0, which an extension reset). A
-- pass claims `wake <= now` from this index: the clocks that are due, not every deadline row.
create index case_deadlines_sweep_idx on case_deadlines ((
  case when status = 'running' then
    case colour
      when 'green' then least(warn_at, due_at)
      when 'yellow' then due_at
      else case when escalation_level = 0 then '-infinity'::timestamptz else next_escalation_at end
    end
  end
), id) where status = 'running';
-- statistics on the same expression (null for every clock not running), so the planner knows how few
-- clocks are due and reads them from the index instead of walking every clock in id order
create statistics case_deadlines_sweep_stats on ((
  case when status = 'running' then
    case colour
      when 'green' then least(warn_at, due_at)
      when 'yellow' then due_at
      else case when escalation_level = 0 then '-infinity'::timestamptz else next_escalation_at end
    end
  end
)) from case_deadlines;

-- the claim no longer uses the per-colour indexes of 0005; each cost a write on every clock change
drop index case_deadlines_warn_sweep_idx;
drop index case_deadlines_escalation_sweep_idx;
