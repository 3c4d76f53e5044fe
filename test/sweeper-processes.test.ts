import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/app/audit/verify-audit-chain.ts';
import { createCase } from '../src/app/cases/create-case.ts';
import { NO_CHANGES } from '../src/app/cases/events.ts';
import { ESCALATION_ACTION, type SweepReport } from '../src/app/deadlines/sweep-deadlines.ts';
import { locatePoint } from '../src/app/territory/locate.ts';
import type { Database } from '../src/db/database.ts';
import { createTestDatabase, onServer, TEST_AUDIT_KEY_TEXT } from './support/database.ts';
import { GUMEI, memoryFileStore, seedDemoSlice } from './support/demo-slice.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CASES = 80;

/** Runs `liandong sweep` in its own process against the test database; resolves with its JSON report. */
function sweepProcess(databaseUrl: string, at: string): Promise<SweepReport> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/cli/main.ts', 'sweep', '--at', at, '--batch', '2', '--json'], {
      cwd: ROOT,
      // the test's audit key, so the child's audit records continue the same keyed chain
      env: { ...process.env, DATABASE_URL: databaseUrl, AUDIT_KEY: TEST_AUDIT_KEY_TEXT, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`sweep exited ${code}: ${err}`));
      const line = out.trim().split('\n').pop() ?? '';
      resolve(JSON.parse(line) as SweepReport);
    });
  });
}

// Two server processes sweeping one PostgreSQL at the same time (issue 3 acceptance). PGlite is a single
// process by construction, so this runs only against a server (TEST_DATABASE_URL).
describe.skipIf(!onServer())('two sweeper processes over one PostgreSQL', () => {
  let database: Database & { url?: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    const { actors, grids } = await seedDemoSlice(database);
    const patroller = actors.get('gumei.patroller')!;
    const points = [];
    for (const g of grids.filter((g) => g.code.startsWith(GUMEI))) {
      const p = { lon: g.centroid_lon!, lat: g.centroid_lat! };
      if ((await locatePoint(database, p)).grid?.code === g.code) points.push(p);
    }
    const now = () => new Date('2026-03-02T10:00:00+08:00');
    const deps = { database, files: memoryFileStore(), changes: NO_CHANGES, now };
    for (let i = 0; i < CASES; i++) {
      await createCase(deps, patroller, {
        category: '0501',
        description: `暴露垃圾 #${i}`,
        location: points[i % points.length]!,
      });
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  it('escalates each overdue case exactly once per level', async () => {
    const at = '2026-03-10T10:00:00+08:00';
    const reports = await Promise.all([sweepProcess(database.url!, at), sweepProcess(database.url!, at)]);

    const rows = await database.db
      .selectFrom('case_events')
      .select(['case_id', 'payload'])
      .where('action', '=', ESCALATION_ACTION)
      .execute();
    const perCase = new Map<string, number[]>();
    for (const r of rows)
      perCase.set(r.case_id, [...(perCase.get(r.case_id) ?? []), (r.payload as { level: number }).level]);
    expect(perCase.size).toBe(CASES);
    for (const levels of perCase.values()) expect(levels.sort()).toEqual([1, 2, 3]);

    const written = reports.reduce((n, r) => n + r.escalations[1] + r.escalations[2] + r.escalations[3], 0);
    expect(written).toBe(CASES * 3);
    const notified = await database.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', ESCALATION_ACTION)
      .executeTakeFirstOrThrow();
    expect(Number(notified.n)).toBe(CASES * 3);
    // whatever the processes wrote to the audit log continues one keyed chain
    expect((await verifyAuditChain(database.db)).broken).toBeNull();
    // not asserted (timing): how the work was shared between the two processes
    console.info(
      'sweep processes examined',
      reports.map((r) => r.examined),
    );
  }, 120_000);
});
