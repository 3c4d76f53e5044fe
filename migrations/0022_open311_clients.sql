-- Open311 write side (issue 15, DESIGN §8): the client systems allowed to POST service requests, and what a
-- POSTed request carried beyond a case (its client, media_url, attribute answers, the contact fields that
-- have no column on cases). src/app/open311/README.md explains the flow.

create table open311_clients (
  id         text primary key,
  name       text not null,
  source     text not null check (source in ('citizen', 'hotline')), -- the cases' source
  -- HMAC-SHA256 of the key (hex): the key is 32 random bytes, so no slow hash is needed (see README)
  key_hash   text not null unique,
  key_hint   text not null,                 -- the key's first characters, to tell keys apart in lists
  enabled    boolean not null default true,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

create table open311_requests (
  case_id     text primary key references cases (id),
  client_id   text not null references open311_clients (id),
  media_url   text,
  attributes  jsonb not null default '{}',
  email       text,                          -- contact fields without a column on cases; never shown
  device_id   text,
  account_id  text,
  created_at  timestamptz not null
);
create index open311_requests_client on open311_requests (client_id);
