import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertJsonRows } from '../src/app/baseinfo/records.ts';
import type { GenerationReport } from '../src/app/screening/generate-tasks.ts';
import type { Database } from '../src/db/database.ts';
import { seedCaseFixture, T } from './support/cases.ts';
import { createTestDatabase, onServer, TEST_AUDIT_KEY_TEXT } from './support/database.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const AT = '2026-03-02T10:00:00+08:00';
const CAMPAIGNS = 6;
const DWELLINGS = 120;

/** Runs `liandong screening generate` in its own process against the test database. */
function generateProcess(databaseUrl: string): Promise<GenerationReport> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/cli/main.ts', 'screening', 'generate', '--at', AT, '--json'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, AUDIT_KEY: TEST_AUDIT_KEY_TEXT, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`generate exited ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as GenerationReport);
    });
  });
}

// Two server processes generating screening tasks over one PostgreSQL (issue 13 requirement 2). PGlite
// is one process by construction: the single-process behaviour is in test/screening.test.ts.
describe.skipIf(!onServer())('two screening task-generation processes over one PostgreSQL', () => {
  let database: Database & { url?: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedCaseFixture(database);
    await insertJsonRows(
      database.db,
      'base_addresses',
      Array.from({ length: DWELLINGS }, (_, i) => ({
        id: `pa${i}`,
        code: `310112006-proc.N${i}`,
        level: 'number' as const,
        parent_id: null,
        name: `${i}号`,
        full_text: `进程路${i}号`,
        normalized: `进程路${i}号`,
        street_code: T.gumei,
        committee_code: T.gumeiC1,
        grid_code: T.gumeiG1,
        lon: T.inGumeiC1.lon,
        lat: T.inGumeiC1.lat + i / 111_195,
      })),
    );
    await insertJsonRows(
      database.db,
      'base_dwellings',
      Array.from({ length: DWELLINGS }, (_, i) => ({
        id: `pd${i}`,
        address_id: `pa${i}`,
        use: 'residential' as const,
        occupancy: 'rented' as const,
        area_m2: 50,
        rooms: 2,
        note: null,
        occupants_counted: 6,
      })),
    );
    // campaigns waiting for their first round's tasks (as a creation leaves them if its own pass failed)
    const at = new Date(AT);
    for (let c = 0; c < CAMPAIGNS; c++) {
      const id = `00000000-0000-4000-8000-0000000000${String(c).padStart(2, '0')}`;
      await database.db
        .insertInto('screening_campaigns')
        .values({
          id,
          name: `进程排摸${c}`,
          theme: 'group_renting',
          territory: [T.gumei],
          target_rule: JSON.stringify({ rule: 'rented_dwellings', minOccupants: 5 }) as never,
          rounds: 2,
          round_work_days: 5,
          starts_on: '2026-03-02',
          ends_on: '2026-04-30',
          owner_code: T.gumei,
          created_by: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await database.db
        .insertInto('screening_rounds')
        .values({
          campaign_id: id,
          round_no: 1,
          opened_at: new Date(at.getTime() + c),
          generated_at: null,
          due_at: null,
          closed_at: null,
          comparison: null,
        })
        .execute();
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  it('generates each round once, whichever process runs; a round held by a killed run is generated after', async () => {
    const held = '00000000-0000-4000-8000-000000000000';
    // a run that claimed the first round and wrote part of it, then died: its transaction is open…
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    let claimed: () => void = () => undefined;
    const isClaimed = new Promise<void>((r) => (claimed = r));
    const killed = database.db
      .transaction()
      .execute(async (trx) => {
        await sql`select 1 from screening_rounds where campaign_id = ${held} for update`.execute(trx);
        await trx
          .insertInto('screening_tasks')
          .values({
            id: '00000000-0000-4000-8000-00000000dead',
            campaign_id: held,
            round_no: 1,
            target_kind: 'dwelling',
            target_id: 'pd0',
            address_id: 'pa0',
            street_code: T.gumei,
            committee_code: T.gumeiC1,
            grid_code: T.gumeiG1,
            lon: null,
            lat: null,
            assignee_id: null,
            due_at: new Date(AT),
            revisit_at: null,
            last_visit_at: null,
          })
          .execute();
        claimed();
        await released;
        throw new Error('killed');
      })
      .catch(() => 'rolled back');
    await isClaimed;
    const reports = await Promise.all([generateProcess(database.url!), generateProcess(database.url!)]);
    const generated = reports.flatMap((r) => r.generated);
    // …so the two processes generate the five other rounds, each once
    expect(generated.map((g) => g.campaignId).sort()).toEqual(
      Array.from(
        { length: CAMPAIGNS - 1 },
        (_, c) => `00000000-0000-4000-8000-0000000000${String(c + 1).padStart(2, '0')}`,
      ),
    );
    expect(generated.every((g) => g.tasks === DWELLINGS)).toBe(true);
    // the dead run rolls back: nothing of it stays, and the next pass generates its round in full
    release();
    expect(await killed).toBe('rolled back');
    const again = await generateProcess(database.url!);
    expect(again.generated).toEqual([{ campaignId: held, roundNo: 1, tasks: DWELLINGS }]);
    const counts = await database.db
      .selectFrom('screening_tasks')
      .select([
        'campaign_id',
        sql<number>`count(*)::int`.as('n'),
        sql<number>`count(distinct target_id)::int`.as('targets'),
      ])
      .groupBy('campaign_id')
      .execute();
    expect(counts).toHaveLength(CAMPAIGNS);
    expect(counts.every((c) => c.n === DWELLINGS && c.targets === DWELLINGS)).toBe(true);
    expect(await generateProcess(database.url!)).toMatchObject({ generated: [] });
  });
});
