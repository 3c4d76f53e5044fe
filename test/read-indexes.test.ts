import { sql, type Compilable, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopedCases } from '../src/app/cases/case-filter.ts';
import { listCasesQuery } from '../src/app/cases/list-cases.ts';
import { claimDueQuery } from '../src/app/deadlines/sweep-clock.ts';
import type { Actor } from '../src/core/actor.ts';
import type { Database } from '../src/db/database.ts';
import type { DB } from '../src/db/schema/index.ts';
import { createTestDatabase, onServer } from './support/database.ts';

// Issue 10 item 3: the hot reads and the sweeper's claim can be answered from an index (migration 0012).
// Plans are read on the server (the database that scales), over a synthetic district of 30,000 cases and
// 60,000 stage clocks written in bulk (foreign keys off for the session: the plan depends on the shape of
// the data, not on the rows being valid cases), with `enable_seqscan = off` on top, so a sequential scan
// in a plan means no index can answer the query — which a 1M-case table would pay on every page.

const NOW = new Date('2026-03-04T02:00:00Z');
const actor = (role: Actor['role'], unit: Actor['unit']): Actor => ({
  userId: `u-${role}`,
  username: role,
  displayName: role,
  role,
  unit,
});
const districtLeader = actor('leader', { kind: 'region', level: 'district', code: '310112' });
const streetLeader = actor('leader', { kind: 'region', level: 'street', code: '310112001' });
const patroller = actor('patroller', { kind: 'region', level: 'grid', code: '310112001001001' });
const deptHandler = actor('dept_handler', { kind: 'department', id: 'dept-1' });
const police = actor('police', { kind: 'department', id: 'police-1' });
const citizen = actor('citizen', { kind: 'none' } as Actor['unit']);

/** The plan of `query` (text format), with sequential scans priced out. */
async function planOf(db: Kysely<DB>, query: Compilable & object): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const { rows } = await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(trx);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

const CASES = 30_000;

/** 30 streets × 20 grids, a third of the cases closed, a tenth with an assisting department, two clocks each. */
async function seedBulk(db: Kysely<DB>): Promise<void> {
  await db.connection().execute(async (c) => {
    await sql`set session_replication_role = replica`.execute(c);
    await sql`
      insert into cases (id, case_no, state, source, urgency, description, lon, lat, district_code,
        street_code, committee_code, grid_code, owner_level, owner_code, lead_department_id,
        assisting_department_ids, police_department_id, reporter_user_id, reporter_ids, assignee_user_id,
        deadline_stage, due_at, warn_at, reported_at, updated_at)
      select 'c' || i, '310112-2026-' || lpad(i::text, 6, '0'),
        case when i % 3 = 0 then 'closed' else (array['reported','registered','dispatched','in_progress'])[1 + i % 4] end,
        'patrol', 'normal', 'case ' || i, 121.4, 31.1, '310112',
        '310112' || lpad((1 + i % 30)::text, 3, '0'),
        '310112' || lpad((1 + i % 30)::text, 3, '0') || lpad((1 + i % 7)::text, 3, '0'),
        '310112' || lpad((1 + i % 30)::text, 3, '0') || lpad((1 + i % 7)::text, 3, '0') || lpad((1 + i % 20)::text, 3, '0'),
        'street', '310112' || lpad((1 + i % 30)::text, 3, '0'),
        'dept-' || (i % 40),
        case when i % 10 = 0 then array['dept-' || (i % 37)] else '{}' end,
        case when i % 5 = 0 then 'police-' || (i % 9) end,
        'u-' || (i % 2000), array['u-' || (i % 2000)], case when i % 50 = 0 then 'u-' || (i % 300) end,
        case when i % 3 <> 0 then 'handle' end,
        case when i % 3 <> 0 then ${NOW}::timestamptz + (i % 5000 - 50) * interval '1 minute' end,
        case when i % 3 <> 0 then ${NOW}::timestamptz + (i % 5000 - 80) * interval '1 minute' end,
        ${NOW}::timestamptz - i * interval '1 minute', ${NOW}::timestamptz
      from generate_series(1, ${CASES}) as i`.execute(c);
    await sql`
      insert into case_deadlines (case_id, stage, started_at, limit_amount, limit_unit, due_at, warn_at,
        status, colour, escalation_level, next_escalation_at)
      select 'c' || i, s.stage, ${NOW}::timestamptz - interval '1 day', 5, 'work_day',
        ${NOW}::timestamptz + (i % 5000 - 50) * interval '1 minute',
        ${NOW}::timestamptz + (i % 5000 - 80) * interval '1 minute',
        case when s.stage = 'register' or i % 3 = 0 then 'stopped' else 'running' end,
        case when i % 5000 < 50 then 'red' when i % 5000 < 80 then 'yellow' else 'green' end,
        case when i % 5000 < 50 then 1 else 0 end,
        case when i % 5000 < 50 then ${NOW}::timestamptz + interval '1 day' end
      from generate_series(1, ${CASES}) as i, (values ('register'), ('handle')) as s (stage)`.execute(c);
    await sql`set session_replication_role = origin`.execute(c);
    await sql`analyze cases`.execute(c);
    await sql`analyze case_deadlines`.execute(c);
  });
}

describe.runIf(onServer())('read indexes (PostgreSQL plans)', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    await seedBulk(database.db);
  });
  afterAll(async () => database.close());

  it('pages the deadline-sorted list from the order index, without sorting every case', async () => {
    const first = await planOf(database.db, listCasesQuery(database, districtLeader, {}, NOW, 50));
    expect(first).toContain('cases_deadline_order_idx');
    expect(first).not.toMatch(/Sort|Seq Scan/);
    const cursor = Buffer.from(JSON.stringify({ k: '2026-03-05T01:00:00.000Z', id: 'x' })).toString(
      'base64url',
    );
    const next = await planOf(
      database.db,
      listCasesQuery(database, districtLeader, { cursor, state: ['registered', 'dispatched'] }, NOW, 50),
    );
    expect(next).toContain('cases_deadline_order_idx');
    expect(next).not.toMatch(/Sort|Seq Scan/);
  });

  it.each([
    ['street leader', streetLeader, 'cases_street_idx'],
    ['patroller', patroller, 'cases_grid_idx'],
    ['department handler', deptHandler, 'cases_assisting_departments_idx'],
    ['police', police, 'cases_police_idx'],
    ['citizen', citizen, 'cases_reporter_ids_idx'],
  ])("reads a %s's scope through indexes, not a scan of the district", async (_name, who, index) => {
    const counts = scopedCases(database, who, {})
      .select(['cases.state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('cases.state');
    const plan = await planOf(database.db, counts);
    expect(plan).not.toContain('Seq Scan');
    expect(plan).toContain(index);
    const list = await planOf(database.db, listCasesQuery(database, who, { text: 'x' }, NOW, 50));
    expect(list).not.toContain('Seq Scan on cases');
  });

  it('claims only the due clocks, from the sweep index', async () => {
    const plan = await planOf(database.db, claimDueQuery(database.db, NOW, 100, 0));
    expect(plan).toContain('case_deadlines_sweep_idx');
    expect(plan).not.toContain('Seq Scan on case_deadlines');
    expect(plan).not.toContain('case_deadlines_pkey');
  });
});
