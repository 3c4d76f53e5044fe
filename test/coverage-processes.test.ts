import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPatrolPolicy } from '../src/app/patrols/patrol-policy.ts';
import { readDay, type RollupReport } from '../src/app/patrols/roll-up-coverage.ts';
import { addDays } from '../src/core/calendar/time.ts';
import { decideCoverage } from '../src/core/patrol/coverage.ts';
import type { Database } from '../src/db/database.ts';
import { seedCaseFixture, T } from './support/cases.ts';
import { createTestDatabase, onServer, TEST_AUDIT_KEY_TEXT } from './support/database.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIRST = '2026-03-01';
const DAYS = 12;
const AT = '2026-03-14T08:00:00+08:00'; // days up to 03-13 are closed

/** Runs `liandong patrols upkeep` in its own process against the test database. */
function upkeepProcess(databaseUrl: string): Promise<{ coverage: RollupReport }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/cli/main.ts', 'patrols', 'upkeep', '--at', AT, '--json'], {
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
      if (code !== 0) return reject(new Error(`upkeep exited ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as { coverage: RollupReport });
    });
  });
}

// Two server processes rolling up coverage over one PostgreSQL (issue 13 requirement 2). PGlite is one
// process by construction: the roll-up's single-process behaviour is in test/patrols.test.ts.
describe.skipIf(!onServer())('two coverage roll-up processes over one PostgreSQL', () => {
  let database: Database & { url?: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    const users = await seedCaseFixture(database);
    const patrollers = [users.get('patroller.a')!, users.get('patroller.a2')!];
    // 12 days × 2 patrollers × 3 patrols of 40 points (a point every 30 s), grids alternating by day
    for (let d = 0; d < DAYS; d++) {
      const day = addDays(FIRST, d);
      for (const [i, p] of patrollers.entries()) {
        for (let k = 0; k < 3; k++) {
          const id = `00000000-0000-4000-8000-${String(d * 100 + i * 10 + k).padStart(12, '0')}`;
          const start = new Date(`${day}T${String(9 + k * 2).padStart(2, '0')}:00:00+08:00`);
          const grid = (d + i + k) % 3 === 0 ? T.xinhongG1 : i === 0 ? T.gumeiG1 : T.gumeiG2;
          await database.db
            .insertInto('patrols')
            .values({
              id,
              user_id: p.id,
              unit_code: p.actor.unit.kind === 'region' ? p.actor.unit.code : T.gumeiG1,
              street_code: T.gumei,
              started_at: start,
              ended_at: new Date(start.getTime() + 40 * 30_000),
              end_reason: 'manual',
            })
            .execute();
          await sql`insert into patrol_points (patrol_id, seq, recorded_at, lon, lat, accuracy_m, valid, grid_code, day)
            select ${id}, s, ${start}::timestamptz + s * interval '30 seconds', 121.385, 31.15, 5, true,
              ${grid}, ${day}::date
            from generate_series(0, ${(d + k) % 4 === 0 ? 20 : 39}) s`.execute(database.db);
        }
      }
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  it('rolls up each closed day exactly once, and a day a killed process held is done after', async () => {
    // a process "killed" mid-roll-up: it claimed 03-05 and never committed
    const held = addDays(FIRST, 4);
    await sql`insert into coverage_rollups (day) values (${held}::date)`.execute(database.db);
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    let claimed: () => void = () => undefined;
    const isClaimed = new Promise<void>((r) => (claimed = r));
    const killed = database.db
      .transaction()
      .execute(async (trx) => {
        await sql`select day from coverage_rollups where day = ${held}::date for update`.execute(trx);
        await sql`delete from coverage_days where day = ${held}::date`.execute(trx);
        claimed();
        await released;
        throw new Error('killed');
      })
      .catch(() => 'rolled back');

    await isClaimed;
    const reports = await Promise.all([upkeepProcess(database.url!), upkeepProcess(database.url!)]);
    const done = reports.flatMap((r) => r.coverage.days);
    expect(done).not.toContain(held);
    expect(new Set(done).size).toBe(done.length); // no day by both
    release();
    expect(await killed).toBe('rolled back');
    const after = await upkeepProcess(database.url!);
    expect(after.coverage.days).toEqual([held]);

    const runs = await sql<{ day: string; runs: number }>`select to_char(day, 'YYYY-MM-DD') as day, runs
      from coverage_rollups where day >= ${FIRST}::date order by day`.execute(database.db);
    expect(runs.rows).toHaveLength(DAYS + 1); // 03-01 … 03-13
    expect(runs.rows.every((r) => r.runs === 1)).toBe(true);

    // what the processes wrote is what the core computes from the points
    const policy = await loadPatrolPolicy(database.db);
    for (let d = 0; d < DAYS; d++) {
      const day = addDays(FIRST, d);
      const { time, checkins } = await readDay(database.db, day, policy);
      const expected = decideCoverage(day, time, checkins, policy).map((g) => [
        g.gridCode,
        g.seconds,
        g.covered,
      ]);
      const rows = await sql<{
        grid_code: string;
        seconds: number;
        covered: boolean;
      }>`select grid_code, seconds, covered
        from coverage_days where day = ${day}::date order by grid_code`.execute(database.db);
      expect(
        rows.rows.map((r) => [r.grid_code, r.seconds, r.covered]),
        day,
      ).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
    }
    console.info(
      'roll-up processes did',
      reports.map((r) => r.coverage.days.length),
      'days',
    );
  }, 120_000);
});
