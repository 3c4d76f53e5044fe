-- Request rate limits shared by every server process (issue 10 §4): one counter per (route, client) and
-- fixed window, counted by one upsert (src/app/identity/request-limits.ts), so a client that spreads its
-- requests over several instances behind a load balancer meets the same limit as on one.
create table request_limits (
  key text primary key,
  window_start timestamptz not null,
  hits integer not null
);
-- the housekeeping job removes windows that ended long ago
create index request_limits_window_start on request_limits (window_start);
