import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUMEI, memoryFileStore, seedDemoSlice } from '../../test/support/demo-slice.ts';
import { createTestDatabase } from '../../test/support/database.ts';
import type { Database } from '../db/database.ts';
import { seedDemoBaseInfo } from './base-info.ts';
import { seedDemoScreening } from './screening.ts';

describe('the demo screening campaign', () => {
  let database: Database;
  const now = new Date('2026-03-20T06:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoSlice(database);
    await seedDemoBaseInfo(database);
  }, 600_000); // a hang guard: the base information takes minutes on a loaded machine
  afterAll(async () => {
    await database?.close();
  });

  it('is in 古美, in round 2, round 1 complete, with findings turned into cases', async () => {
    const report = await seedDemoScreening(database, { now, files: memoryFileStore() });
    expect(report.skipped).toBe(false);
    const campaign = await database.db
      .selectFrom('screening_campaigns')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(campaign).toMatchObject({ theme: 'group_renting', current_round: 2, owner_code: GUMEI });
    const open1 = await database.db
      .selectFrom('screening_tasks')
      .select('id')
      .where('round_no', '=', 1)
      .where('status', 'in', ['pending', 'revisit'])
      .execute();
    expect(open1).toEqual([]);
    const round1 = await database.db
      .selectFrom('screening_tasks')
      .select('status')
      .where('round_no', '=', 1)
      .execute();
    expect(round1.length).toBeGreaterThan(10);
    const cases = await database.db
      .selectFrom('screening_visits as v')
      .innerJoin('cases as c', 'c.id', 'v.case_id')
      .select(['c.source', 'v.round_no'])
      .execute();
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.every((c) => c.source === 'screening')).toBe(true);
    const round2 = await database.db
      .selectFrom('screening_visits')
      .select('id')
      .where('round_no', '=', 2)
      .execute();
    expect(round2.length).toBeGreaterThan(0);
    expect(round2.length).toBeLessThan(round1.length);
    // the findings go through the loop like the district's other reports: none waits untouched (but one of
    // the last half hour), those of more than a day ago are handled, checked and closed
    expect(report.failures).toEqual([]);
    const findings = await database.db
      .selectFrom('cases')
      .select(['case_no', 'state', 'reported_at'])
      .where('source', '=', 'screening')
      .execute();
    expect(findings.length).toBe(report.cases);
    for (const f of findings) {
      const age = now.getTime() - f.reported_at.getTime();
      if (age > 30 * 60_000) expect(f.state, f.case_no).not.toBe('reported');
      if (age > 28 * 3_600_000) expect(f.state, f.case_no).toBe('closed');
    }
    const open = findings.filter((f) => f.state !== 'closed');
    expect(open.length).toBeLessThan(findings.length / 2);

    // a second seeding leaves it alone
    expect((await seedDemoScreening(database, { now, files: memoryFileStore() })).skipped).toBe(true);
  }, 600_000);
});
