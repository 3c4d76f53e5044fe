-- Issue 11 §1: the intake desk (受理台).
-- A case taken from a 12345 hotline ticket keeps the ticket's number (工单号), searchable in the case list.
-- One ticket is one case per district: a second case with the same ticket number in the same district is
-- refused (the desk offers the existing case instead). Cases without a ticket (walk-ins, leaders'
-- instructions, reports from other sources) have none.
alter table cases add column ticket_no text;
create unique index cases_district_ticket_no on cases (district_code, ticket_no) where ticket_no is not null;

-- A person who comes to the centre's desk in person (来访) is a source of its own.
alter table cases drop constraint cases_source_check;
alter table cases add constraint cases_source_check check (source in ('patrol', 'screening', 'station', 'citizen',
  'hotline', 'walk_in', 'department', 'leader', 'warning'));
