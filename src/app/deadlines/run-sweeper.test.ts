import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.ts';
import { createTestDatabase } from '../../../test/support/database.ts';
import { startSweeper } from './run-sweeper.ts';

describe('background sweeper loop', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('runs passes one after another until stopped, and survives a failing pass', async () => {
    let passes = 0;
    const errors: unknown[] = [];
    const sweeper = startSweeper(
      {
        database,
        now: () => {
          passes++;
          if (passes === 2) throw new Error('clock broke');
          return new Date('2026-03-02T02:00:00Z');
        },
      },
      {
        intervalMs: 10,
        jitter: 0.5,
        log: { info: () => undefined, warn: () => undefined, error: (obj) => errors.push(obj) },
      },
    );
    while (passes < 4) await new Promise((r) => setTimeout(r, 5));
    await sweeper.stop();
    const after = passes;
    await new Promise((r) => setTimeout(r, 50));
    expect(passes).toBe(after); // nothing runs after stop
    expect(errors).toHaveLength(1);
  });
});
