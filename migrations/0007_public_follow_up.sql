-- Issue 9 §8: the public page must not be walkable by case number.
-- A case carries a random follow-up code (查询码), given to the reporter at intake; the public lookup
-- needs the number and the code. The code is unguessable (8 characters from a 31-letter alphabet without
-- 0/O/1/I/L, from the operating system's CSPRNG) and kept readable, so hotline staff can read it out to
-- the caller. Cases reported before this migration have none and cannot be followed publicly.
alter table cases add column follow_up_code text;

-- Categories whose cases are never shown on the public page, whatever the code: stability and dispute
-- information (不稳定因素, 矛盾纠纷) and whatever an administrator flags.
alter table categories add column sensitive boolean not null default false;
update categories set sensitive = true where stability;
