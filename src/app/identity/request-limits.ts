import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema/index.ts';

/** One counted request: how many the key made in its window, and how long the window still runs. */
export interface RequestCount {
  current: number;
  /** Milliseconds until the window ends (at least 1). */
  ttl: number;
}

/**
 * Counts one request of `key` in a fixed window of `windowMs` (the HTTP rate limits, src/server/security.ts).
 * One upsert, atomic on the row, against the database clock: every server process on one database shares
 * the counter, so a client that spreads its requests over several instances behind a load balancer meets
 * the same limit as on one (issue 10 §4). The window starts at the key's first request and restarts at
 * the first request after it ended.
 */
export async function countRequest(db: Kysely<DB>, key: string, windowMs: number): Promise<RequestCount> {
  const window = sql`make_interval(secs => ${windowMs / 1000}::float8)`;
  const row = await sql<{ hits: number; ttl_ms: number }>`
    insert into request_limits as r (key, window_start, hits)
    values (${key}, statement_timestamp(), 1)
    on conflict (key) do update set
      hits = case when r.window_start + ${window} <= statement_timestamp() then 1 else r.hits + 1 end,
      window_start = case when r.window_start + ${window} <= statement_timestamp()
        then statement_timestamp() else r.window_start end
    returning hits,
      (extract(epoch from (r.window_start + ${window} - statement_timestamp())) * 1000)::float8 as ttl_ms`.execute(
    db,
  );
  const r = row.rows[0]!;
  return { current: r.hits, ttl: Math.max(1, Math.ceil(r.ttl_ms)) };
}

/** Reads a key's count without counting (the rate limiter's `read`); a finished window reads as empty. */
export async function readRequestCount(db: Kysely<DB>, key: string, windowMs: number): Promise<RequestCount> {
  const window = sql`make_interval(secs => ${windowMs / 1000}::float8)`;
  const row = await sql<{ hits: number; ttl_ms: number }>`
    select hits, (extract(epoch from (window_start + ${window} - statement_timestamp())) * 1000)::float8 as ttl_ms
    from request_limits where key = ${key}`.execute(db);
  const r = row.rows[0];
  if (!r || r.ttl_ms <= 0) return { current: 0, ttl: 0 };
  return { current: r.hits, ttl: Math.ceil(r.ttl_ms) };
}

/**
 * Removes counters whose window started more than `olderThanMs` ago (longer than any limit's window): one
 * statement, safe on several processes at once (sweeper housekeeping).
 */
export async function pruneRequestLimits(db: Kysely<DB>, olderThanMs = 60 * 60_000): Promise<number> {
  const result = await sql`delete from request_limits
    where window_start < statement_timestamp() - make_interval(secs => ${olderThanMs / 1000}::float8)`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0);
}
