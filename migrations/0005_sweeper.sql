-- The deadline sweeper (issue 3 §5, src/app/deadlines/sweep-deadlines.ts): what it has recorded about
-- each stage clock, so every colour change and every escalation level happens exactly once, and the
-- escalation policy it follows.

alter table case_deadlines
  -- the colour the sweeper last recorded: green → yellow at 80 % of the limit → red once overdue
  add column colour             text not null default 'green' check (colour in ('green', 'yellow', 'red')),
  add column warned_at          timestamptz,                -- when the sweeper saw it turn yellow
  add column overdue_at         timestamptz,                -- when the sweeper saw it turn red
  -- when the next escalation level falls due (null: none left, or not red yet)
  add column next_escalation_at timestamptz;

-- what one sweep pass looks for (see claimDue): green clocks past their warning instant, not-yet-red
-- clocks past their due date (case_deadlines_due_idx), red clocks whose next escalation level is due
create index case_deadlines_warn_sweep_idx on case_deadlines (warn_at) where status = 'running' and colour = 'green';
create index case_deadlines_escalation_sweep_idx on case_deadlines (next_escalation_at)
  where status = 'running' and colour = 'red';

-- DESIGN §5: overdue cases are escalated per policy. Level n is reached once the overrun multiple
-- (超时倍数 = (used − limit) / limit) reaches thresholds[n − 1]: 1 = as soon as overdue, the responsible
-- unit's lead (the department lead, or the centre running the stage); 2 = the street sub-centre;
-- 3 = the district centre. Data, not code: an admin may change the thresholds.
insert into app_settings (key, value) values ('escalation_policy', '{"thresholds": [0, 0.5, 1]}')
  on conflict (key) do nothing;
