-- Issue 15: anonymous citizen reports and contact data at rest.
--
-- A report sent from the public page without an account (src/app/public/README.md) leaves a phone number
-- or an e-mail address for contact. It is personal data: stored like base-information phones (issue 12 §3,
-- src/app/baseinfo/pii.ts) as AES-256-GCM ciphertext plus a keyed HMAC lookup hash, never in clear.
create table public_reports (
  case_id        text primary key references cases (id),
  contact_kind   text not null check (contact_kind in ('phone', 'email')),
  contact_cipher text not null,
  contact_hash   text not null,             -- HMAC of the normalised contact: "all reports of this phone"
  pii_key_id     text not null,
  -- the proof-of-work challenge the report paid with (src/core/public): unique, so a solved challenge
  -- buys one report only
  challenge      text not null unique,
  created_at     timestamptz not null
);
create index public_reports_contact_hash on public_reports (contact_hash);

-- The contact fields of an Open311 POST (migration 0022) were stored in clear: new rows write only the
-- ciphertext columns below; rows written before are encrypted (and their clear columns emptied) by
-- `liandong pii rotate-key`, which also re-encrypts these after a key rotation.
alter table open311_requests add column email_cipher text;
alter table open311_requests add column email_hash text;
alter table open311_requests add column device_id_cipher text;
alter table open311_requests add column account_id_cipher text;
alter table open311_requests add column account_id_hash text;
alter table open311_requests add column pii_key_id text;
create index open311_requests_email_hash on open311_requests (email_hash) where email_hash is not null;
create index open311_requests_account_hash on open311_requests (account_id_hash) where account_id_hash is not null;
