import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRequest, pruneRequestLimits, readRequestCount } from '../src/app/identity/request-limits.ts';
import type { Database } from '../src/db/database.ts';
import { createTestDatabase } from './support/database.ts';

// The shared HTTP rate-limit counters (issue 10 §4), on both databases: the two-process test is
// test/instances.test.ts.
describe('request rate-limit counters', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('counts per key in a fixed window, concurrent requests included, and restarts after it', async () => {
    const counts = await Promise.all(
      Array.from({ length: 10 }, () => countRequest(database.db, 'POST /x|203.0.113.1', 60_000)),
    );
    expect(counts.map((c) => c.current).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const c of counts) expect(c.ttl).toBeGreaterThan(0);
    for (const c of counts) expect(c.ttl).toBeLessThanOrEqual(60_000);
    expect((await countRequest(database.db, 'POST /x|203.0.113.2', 60_000)).current).toBe(1);
    expect((await readRequestCount(database.db, 'POST /x|203.0.113.1', 60_000)).current).toBe(10);
    expect((await readRequestCount(database.db, 'POST /x|203.0.113.9', 60_000)).current).toBe(0);

    // the window ended: the next request starts a new one
    await sql`update request_limits set window_start = window_start - interval '2 minutes'
      where key = 'POST /x|203.0.113.1'`.execute(database.db);
    expect((await readRequestCount(database.db, 'POST /x|203.0.113.1', 60_000)).current).toBe(0);
    expect((await countRequest(database.db, 'POST /x|203.0.113.1', 60_000)).current).toBe(1);

    // housekeeping removes windows older than an hour only
    await sql`update request_limits set window_start = window_start - interval '2 hours'
      where key = 'POST /x|203.0.113.2'`.execute(database.db);
    expect(await pruneRequestLimits(database.db)).toBe(1);
    const keys = await database.db.selectFrom('request_limits').select('key').execute();
    expect(keys.map((k) => k.key)).toEqual(['POST /x|203.0.113.1']);
  });
});
