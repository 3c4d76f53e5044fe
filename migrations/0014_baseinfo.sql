-- Base information (issue 12, DESIGN §6): 一标三实 — the standard address list (标准地址) and the three
-- "actuals": dwellings and buildings (实有房屋), people (实有人口), businesses and organisations (实有单位);
-- and the change history of all four. The rules (codes, normalisation, validation) live in
-- src/core/baseinfo/; personal data (ID and phone numbers) is stored encrypted with a key outside the
-- database (src/app/baseinfo/pii.ts) next to a keyed hash (HMAC) for exact lookup.

-- address search is trigram-based (pg_trgm ships with PostgreSQL 15 and as a PGlite contrib module)
create extension if not exists pg_trgm;

-- The standard address hierarchy: road/lane (路/弄) → number (号) → building (幢) → unit (单元) → room (室),
-- each level a row with a stable code (the natural key of imports), a point and its normalised text.
create table base_addresses (
  id             text primary key,
  code           text not null unique check (code ~ '^[0-9A-Za-z._-]{1,64}$'),
  level          text not null check (level in ('road', 'number', 'building', 'unit', 'room')),
  parent_id      text references base_addresses (id),
  name           text not null,                    -- this level's segment as written: 古美路1弄 / 3号 / 5幢 / 2单元 / 502室
  full_text      text not null,                    -- the whole address for display
  normalized     text not null,                    -- normalizeAddress(full_text): what search matches
  street_code    text not null references regions (code),
  committee_code text references regions (code),
  grid_code      text references regions (code),
  lon            double precision,                 -- WGS84
  lat            double precision,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  check ((lon is null) = (lat is null))
);
create index base_addresses_parent_idx on base_addresses (parent_id);
create index base_addresses_street_idx on base_addresses (street_code);
create index base_addresses_committee_idx on base_addresses (committee_code);
create index base_addresses_grid_idx on base_addresses (grid_code);
create index base_addresses_lat_lon_idx on base_addresses (lat, lon);
create index base_addresses_normalized_trgm on base_addresses using gin (normalized gin_trgm_ops);

-- 实有房屋: what a (building-, unit- or room-level) address is used for. One dwelling per address.
create table base_dwellings (
  id          text primary key,
  address_id  text not null unique references base_addresses (id),
  use         text not null check (use in ('residential', 'shop', 'office', 'workshop', 'warehouse',
                'mixed', 'other')),
  occupancy   text not null check (occupancy in ('owner_occupied', 'rented', 'vacant')),
  area_m2     double precision check (area_m2 is null or (area_m2 > 0 and area_m2 < 1000000)),
  rooms       integer check (rooms is null or (rooms >= 0 and rooms < 1000)),
  note        text,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

-- 实有人口. ID and phone numbers only as ciphertext (`<keyId>:<iv>:<ciphertext+tag>`, AES-256-GCM) plus
-- an HMAC of the normalised value; `pii_key_id` names the key of every ciphertext of the row, so a key
-- rotation re-encrypts in batches (`where pii_key_id <> current`).
create table base_people (
  id               text primary key,
  name             text not null,
  id_type          text not null check (id_type in ('resident_id', 'passport', 'hk_macao_permit',
                     'taiwan_permit', 'foreign_permanent', 'other')),
  id_number_cipher text not null,
  id_number_hash   text not null unique,           -- hmac(id_type || ':' || normalised number): the natural key
  sex              text check (sex in ('male', 'female')),
  birth_date       date,
  phone_cipher     text,
  phone_hash       text,
  pii_key_id       text not null,
  -- 户籍 category: 本市户籍 / 来沪人员 / 境外人员
  hukou            text not null check (hukou in ('local', 'migrant', 'overseas')),
  dwelling_id      text references base_dwellings (id),
  moved_in_on      date,
  left_on          date,
  status           text not null default 'present' check (status in ('present', 'left', 'deceased')),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  check ((phone_cipher is null) = (phone_hash is null)),
  check (left_on is null or moved_in_on is null or left_on >= moved_in_on)
);
create index base_people_dwelling_idx on base_people (dwelling_id);
create index base_people_phone_hash_idx on base_people (phone_hash);
create index base_people_key_idx on base_people (pii_key_id);
create index base_people_name_trgm on base_people using gin (name gin_trgm_ops);

-- 实有单位: companies, individual businesses (个体工商户) and organisations at an address.
create table base_units (
  id                   text primary key,
  name                 text not null,
  credit_code          text unique check (credit_code is null or credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
  kind                 text not null check (kind in ('company', 'individual', 'organisation')),
  industry             text not null check (industry in ('catering', 'food_workshop', 'clinic', 'pharmacy',
                         'retail', 'hotel', 'entertainment', 'beauty', 'education', 'manufacturing',
                         'logistics', 'repair', 'office', 'other')),
  licence_status       text not null check (licence_status in ('valid', 'expired', 'none', 'revoked')),
  licence_no           text,
  licence_expires_on   date,
  address_id           text references base_addresses (id),
  responsible_person   text,
  phone_cipher         text,
  phone_hash           text,
  pii_key_id           text,
  employees            integer check (employees is null or (employees >= 0 and employees < 1000000)),
  status               text not null default 'active' check (status in ('active', 'closed')),
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  check ((phone_cipher is null) = (phone_hash is null)),
  check (phone_cipher is null or pii_key_id is not null)
);
create index base_units_address_idx on base_units (address_id);
create index base_units_phone_hash_idx on base_units (phone_hash);
create index base_units_key_idx on base_units (pii_key_id);
create index base_units_name_trgm on base_units using gin (name gin_trgm_ops);

-- Who changed what, when, from where (an import batch, a screening visit, a hand edit, the demo).
-- `changes` maps field → {from, to}; encrypted fields appear as {changed: true}, never their values.
create table base_history (
  id          bigserial primary key,
  entity      text not null check (entity in ('address', 'dwelling', 'person', 'unit')),
  entity_id   text not null,
  action      text not null check (action in ('create', 'update', 'delete')),
  changes     jsonb not null default '{}',
  actor_id    text references users (id),
  source      text not null check (source in ('manual', 'import', 'visit', 'demo', 'system')),
  source_ref  text,                                -- import batch id, visit id…
  at          timestamptz not null default now()
);
create index base_history_entity_idx on base_history (entity, entity_id, at);

-- a case may name the standard address it was reported at (一址一档)
alter table cases add column address_id text references base_addresses (id);
create index cases_address_idx on cases (address_id) where address_id is not null;
-- cases within a few metres of an address (the one-address file), any category
create index cases_lat_lon_idx on cases (lat, lon);
