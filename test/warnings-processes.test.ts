import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase } from '../src/app/cases/create-case.ts';
import { NO_CHANGES } from '../src/app/cases/events.ts';
import type { WarningRunReport } from '../src/app/warnings/evaluate-warnings.ts';
import type { Database } from '../src/db/database.ts';
import { seedCaseFixture, T } from './support/cases.ts';
import { createTestDatabase, onServer, TEST_AUDIT_KEY_TEXT } from './support/database.ts';
import { memoryFileStore } from './support/demo-slice.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const AT = '2026-03-06T10:00:00+08:00';
const CLUSTERS = 6;

/** Runs `liandong warnings evaluate --force` in its own process against the test database. */
function evaluateProcess(databaseUrl: string): Promise<WarningRunReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'npx',
      ['tsx', 'src/cli/main.ts', 'warnings', 'evaluate', '--at', AT, '--force', '--json'],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: databaseUrl, AUDIT_KEY: TEST_AUDIT_KEY_TEXT, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`evaluate exited ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as WarningRunReport);
    });
  });
}

// Two server processes evaluating the warning rules over one PostgreSQL (issue 13 requirement 2). PGlite
// is one process by construction: the single-process behaviour is in test/warnings.test.ts.
describe.skipIf(!onServer())('two warning evaluation processes over one PostgreSQL', () => {
  let database: Database & { url?: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    const users = await seedCaseFixture(database);
    const dispatcher = users.get('dispatcher.a')!.actor;
    const deps = { database, files: memoryFileStore(), changes: NO_CHANGES, now: () => new Date(AT) };
    // CLUSTERS places 300 m apart in 古美, three 暴露垃圾 reports each: one recurrence warning per place
    for (let c = 0; c < CLUSTERS; c++) {
      for (let k = 0; k < 3; k++) {
        await createCase(deps, dispatcher, {
          category: '0501',
          description: `暴露垃圾 ${c}-${k}`,
          location: { lon: T.inGumeiC1.lon, lat: 31.141 + (c * 300 + k * 10) / 111_195 },
        });
      }
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  it('raises each warning once, whichever process runs, and a rerun adds nothing', async () => {
    const reports = await Promise.all([evaluateProcess(database.url!), evaluateProcess(database.url!)]);
    const raised = reports.flatMap((r) => r.raised);
    const rows = await database.db.selectFrom('warnings').select(['id', 'rule', 'dedup_key']).execute();
    // one recurrence per place (and the hot spots 18 cases in a week make of an empty baseline)
    expect(rows.filter((r) => r.rule === 'recurrence')).toHaveLength(CLUSTERS);
    expect(rows.filter((r) => r.rule !== 'recurrence' && r.rule !== 'hotspot')).toEqual([]);
    expect(new Set(rows.map((r) => r.dedup_key)).size).toBe(rows.length);
    expect(raised.map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());
    // a later run (e.g. after one was killed before committing) finds them all open and adds nothing
    const again = await evaluateProcess(database.url!);
    expect(again).toMatchObject({ ran: true, raised: [] });
    const events = await database.db.selectFrom('warning_events').select('warning_id').execute();
    expect(events).toHaveLength(rows.length);
  });
});
