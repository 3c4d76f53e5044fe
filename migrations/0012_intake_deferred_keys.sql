-- Intake writes the case row last (issue 10 item 1: src/app/cases/create-case.ts allocates the case number
-- in the statement that inserts the row, after the clocks, events and attachment links), so the keys from
-- those rows to the case are checked at commit instead of at each statement. Same rows, same checks; the
-- district's case-number counter row is no longer locked while they are written.
alter table case_events alter constraint case_events_case_id_fkey deferrable initially deferred;
alter table case_deadlines alter constraint case_deadlines_case_id_fkey deferrable initially deferred;
alter table attachments alter constraint attachments_case_id_fkey deferrable initially deferred;
