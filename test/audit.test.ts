import { Command } from 'commander';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appendAudit, recordAudit } from '../src/app/audit/append-audit.ts';
import { verifyAuditChain } from '../src/app/audit/verify-audit-chain.ts';
import { registerAuditCommands } from '../src/cli/commands/audit.ts';
import { SYSTEM_ACTOR } from '../src/core/actor.ts';
import type { Database } from '../src/db/database.ts';
import { createTestDatabase } from './support/database.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 2, minute, 0, 123));

/** Edits a stored audit record behind the append-only trigger, as someone with database access could. */
async function tamper(database: Database, statement: string): Promise<void> {
  await database.exec(
    `alter table audit_log disable trigger audit_log_no_update; ${statement}; alter table audit_log enable trigger audit_log_no_update;`,
  );
}

/** Runs `liandong audit verify` against the test database; returns the exit code and what it printed. */
async function runVerifyCommand(database: Database): Promise<{ exitCode: number; output: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    const program = new Command().exitOverride();
    registerAuditCommands(program, async () => ({ ...database, close: async () => {} }));
    await program.parseAsync(['node', 'liandong', 'audit', 'verify']);
    return { exitCode: Number(process.exitCode ?? 0), output: lines.join('\n') };
  } finally {
    process.exitCode = before;
    log.mockRestore();
    error.mockRestore();
  }
}

describe('audit log: append-only, hash-chained', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    for (let i = 1; i <= 30; i++) {
      await recordAudit(database.db, {
        actor: i % 3 === 0 ? null : SYSTEM_ACTOR,
        action: 'test.event',
        target: `case:c${i}`,
        address: '127.0.0.1',
        payload: { i, nested: { b: 'é中文', a: [1, 2.5, null, true] }, at: at(i) },
        at: at(i),
      });
    }
  });
  afterAll(async () => {
    await database.close();
  });

  it('verifies an intact chain', async () => {
    const report = await verifyAuditChain(database.db, { batchSize: 7 });
    expect(report).toMatchObject({ ok: true, records: 30, broken: null });
    expect(await runVerifyCommand(database)).toMatchObject({
      exitCode: 0,
      output: expect.stringContaining('audit log OK: 30 records'),
    });
  });

  it('appends concurrently in one unbroken order', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        database.db.transaction().execute(async (trx) => {
          await appendAudit(trx, {
            actor: SYSTEM_ACTOR,
            action: 'test.concurrent',
            payload: { i },
            at: at(40),
          });
        }),
      ),
    );
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, records: 50 });
  });

  it('writes nothing when the recorded change rolls back, and refuses a write outside a transaction', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await appendAudit(trx, { actor: SYSTEM_ACTOR, action: 'test.rolled_back', at: at(41) });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await expect(
      appendAudit(database.db, { actor: SYSTEM_ACTOR, action: 'x', at: at(41) }),
    ).rejects.toMatchObject({ code: 'internal' });
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, records: 50 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database', async () => {
    await expect(sql`update audit_log set action = 'x' where seq = 1`.execute(database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log where seq = 1`.execute(database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`truncate audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
  });

  it('names the record in which one byte was changed, even with the trigger bypassed', async () => {
    // 'test.event' → 'test.evenT' in record #12 (the trigger is disabled only for this statement)
    await tamper(database, `update audit_log set action = 'test.evenT' where seq = 12`);
    const report = await verifyAuditChain(database.db);
    expect(report).toMatchObject({ ok: false, records: 11, broken: { seq: 12, reason: 'hash_mismatch' } });
    const cli = await runVerifyCommand(database);
    expect(cli.exitCode).toBe(1);
    expect(cli.output).toContain('record #12');
    await tamper(database, `update audit_log set action = 'test.event' where seq = 12`);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('detects a changed payload value, a rewritten hash, and a removed record', async () => {
    await tamper(database, `update audit_log set payload = jsonb_set(payload, '{i}', '4') where seq = 3`);
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({ seq: 3, reason: 'hash_mismatch' });
    await tamper(database, `update audit_log set payload = jsonb_set(payload, '{i}', '3') where seq = 3`);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);

    // the same value written differently, and a time moved by one microsecond, are changes too
    await tamper(
      database,
      `update audit_log set payload = jsonb_set(payload, '{nested,a,1}', '2.50') where seq = 8`,
    );
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({ seq: 8, reason: 'hash_mismatch' });
    await tamper(
      database,
      `update audit_log set payload = jsonb_set(payload, '{nested,a,1}', '2.5') where seq = 8`,
    );
    await tamper(database, `update audit_log set at = at + interval '1 microsecond' where seq = 9`);
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({ seq: 9, reason: 'hash_mismatch' });
    await tamper(database, `update audit_log set at = at - interval '1 microsecond' where seq = 9`);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);

    const original = await database.db
      .selectFrom('audit_log')
      .select('hash')
      .where('seq', '=', 5)
      .executeTakeFirstOrThrow();
    await tamper(database, `update audit_log set hash = repeat('a', 64) where seq = 5`);
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({ seq: 5, reason: 'hash_mismatch' });
    await tamper(database, `update audit_log set hash = '${original.hash}' where seq = 5`);

    await tamper(database, `delete from audit_log where seq = 50`);
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({ seq: 50, reason: 'head_mismatch' });
    await tamper(database, `delete from audit_log where seq = 20`);
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({ seq: 20, reason: 'missing_record' });
  });
});
