import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../src/app/audit/append-audit.ts';
import { checkpointAudit, type CheckpointRun } from '../src/app/audit/checkpoint-audit.ts';
import { verifyAuditChain } from '../src/app/audit/verify-audit-chain.ts';
import { SYSTEM_ACTOR } from '../src/core/actor.ts';
import type { Database } from '../src/db/database.ts';
import { createTestDatabase, onServer, TEST_AUDIT_KEY_TEXT } from './support/database.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const AT = '2026-03-06T10:00:00+08:00';

/** Runs `liandong audit …` in its own process against the test database; the last line of its output as JSON. */
function auditProcess<T>(databaseUrl: string, args: string[]): Promise<{ code: number; report: T }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/cli/main.ts', 'audit', ...args, '--json'], {
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
      try {
        resolve({ code: code ?? -1, report: JSON.parse(out.trim().split('\n').pop() ?? '') as T });
      } catch {
        reject(new Error(`audit ${args.join(' ')} exited ${code}: ${err}`));
      }
    });
  });
}

// Two processes running the checkpoint job over one PostgreSQL (issue 10 item 1): one seals, the other
// skips. PGlite is one process by construction: the single-process job is in test/audit.test.ts.
describe.skipIf(!onServer())('the audit checkpoint job in two processes over one PostgreSQL', () => {
  let database: Database & { url?: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    for (let i = 0; i < 12; i++) {
      await recordAudit(database.db, {
        actor: SYSTEM_ACTOR,
        action: 'test.event',
        target: `case:c${i % 4}`,
        payload: { i },
        at: new Date(AT),
      });
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  it('seals the pending stream heads exactly once, whichever process gets there; and the log verifies', async () => {
    const runs = await Promise.all([
      auditProcess<CheckpointRun>(database.url!, ['checkpoint', '--at', AT]),
      auditProcess<CheckpointRun>(database.url!, ['checkpoint', '--at', AT]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const sealing = runs.filter((r) => r.report.checkpoints.length > 0);
    expect(sealing).toHaveLength(1);
    expect(sealing[0]!.report).toMatchObject({ ran: true, checkpoints: [{ id: 1, heads: 4 }] });
    const other = runs.find((r) => r !== sealing[0])!.report;
    expect(other).toMatchObject({ ran: false, checkpoints: [] });
    expect(['locked', 'not_due']).toContain(other.skipped);

    const rows = await database.db.selectFrom('audit_checkpoints').select(['id', 'kind']).execute();
    expect(rows).toEqual([{ id: 1, kind: 'scheduled' }]);
    // within the interval, a later run does nothing; the log verifies, sealed by that one checkpoint
    expect(await checkpointAudit(database.db, { now: new Date('2026-03-06T10:00:30+08:00') })).toMatchObject({
      ran: false,
      skipped: 'not_due',
    });
    expect(await verifyAuditChain(database.db)).toMatchObject({
      ok: true,
      records: 12,
      streams: 4,
      checkpoints: 1,
      checkpoint: { id: 1 },
    });
  }, 240_000); // two tsx processes starting on a loaded machine (a hang guard, not a time limit)
});
