-- Signed webhooks (issue 15, DESIGN §8): subscriptions, a transactional outbox, deliveries and their attempts.
-- src/app/webhooks/README.md explains the flow: appendCaseEvents writes one outbox row per case event in the
-- same statement as the event; a fan-out pass turns outbox rows into one delivery per matching subscription;
-- delivery passes claim due deliveries with SKIP LOCKED and lease them while they call the endpoint.

create table webhook_subscriptions (
  id                    text primary key,
  name                  text not null,
  url                   text not null,
  event_types           text[] not null default '{}',   -- empty: every event type
  region_codes          text[] not null default '{}',   -- empty: the whole district; else any of the case's codes
  category_codes        text[] not null default '{}',   -- empty: every category; 大类 (2 digits) or 小类 (4)
  include_personal      boolean not null default false, -- reporter name/phone in the payload
  enabled               boolean not null default true,
  secret                text not null,                  -- whsec_<base64>; HMAC needs it in clear
  previous_secret       text,                           -- still signs during a rotation
  previous_secret_until timestamptz,
  created_by            text,
  created_at            timestamptz not null,
  updated_at            timestamptz not null
);

-- one row per case event, written in the event's own statement; removed by the fan-out pass
create table webhook_outbox (
  event_id bigint primary key references case_events (id)
);

create table webhook_deliveries (
  id               bigserial primary key,
  subscription_id  text not null references webhook_subscriptions (id) on delete cascade,
  event_id         bigint not null references case_events (id),
  case_id          text not null references cases (id),
  event_type       text not null,
  message_id       text not null,                  -- webhook-id: stable across retries and replays
  body             text not null,                  -- the exact bytes signed and sent
  status           text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts         integer not null default 0,
  window_start     timestamptz not null,           -- retries stop a day after this (reset by a replay)
  next_attempt_at  timestamptz not null,           -- due time, or the lease of the process calling now
  created_at       timestamptz not null,
  last_attempt_at  timestamptz,
  last_status_code integer,
  last_error       text,
  delivered_at     timestamptz,
  unique (subscription_id, event_id)
);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_list_idx on webhook_deliveries (subscription_id, id desc);
create index webhook_deliveries_case_idx on webhook_deliveries (case_id);

create table webhook_attempts (
  id           bigserial primary key,
  delivery_id  bigint not null references webhook_deliveries (id) on delete cascade,
  attempt      integer not null,
  at           timestamptz not null,
  latency_ms   integer not null,
  status_code  integer,
  outcome      text not null check (outcome in ('success', 'http_error', 'timeout', 'network_error', 'refused')),
  error        text
);
create index webhook_attempts_delivery_idx on webhook_attempts (delivery_id, id);
