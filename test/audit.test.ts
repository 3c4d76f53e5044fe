import { Command } from 'commander';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { appendAudit, recordAudit } from '../src/app/audit/append-audit.ts';
import { checkpointAudit } from '../src/app/audit/checkpoint-audit.ts';
import { verifyAuditChain } from '../src/app/audit/verify-audit-chain.ts';
import { registerAuditCommands } from '../src/cli/commands/audit.ts';
import { SYSTEM_ACTOR } from '../src/core/actor.ts';
import type { Database } from '../src/db/database.ts';
import { createTestDatabase, onServer } from './support/database.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 2, minute, 0, 123));

/** Runs statements with the append-only triggers of the log and the checkpoints off, as the owner of the
 * database can. */
async function asOwner(database: Database, statements: string): Promise<void> {
  const tables = ['audit_log', 'audit_checkpoints', 'audit_checkpoint_heads'];
  await database.exec(
    [
      ...tables.map((t) => `alter table ${t} disable trigger user`),
      statements,
      ...tables.map((t) => `alter table ${t} enable trigger user`),
    ].join(';\n'),
  );
}

/** Runs `liandong audit verify` against the test database; returns the exit code and what it printed. */
export async function runVerifyCommand(
  database: Database,
  args: string[] = [],
): Promise<{ exitCode: number; output: string }> {
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
    await program.parseAsync(['node', 'liandong', 'audit', 'verify', ...args]);
    return { exitCode: Number(process.exitCode ?? 0), output: lines.join('\n') };
  } finally {
    process.exitCode = before;
    log.mockRestore();
    error.mockRestore();
  }
}

/**
 * Three audited things written in turn — `case:a` (5 records), `case:b` (4), `user:u` (3) — and two
 * records without a target (each a stream of its own): 14 records, 5 streams, global numbers interleaved.
 * Returns the global numbers of each stream's records in stream order.
 */
async function writeFixture(database: Database): Promise<Record<string, number[]>> {
  const seqs: Record<string, number[]> = { 'case:a': [], 'case:b': [], 'user:u': [], none: [] };
  let minute = 0;
  const write = async (target: string | null, i: number) => {
    minute += 1;
    const r = await recordAudit(database.db, {
      actor: i % 3 === 0 ? null : SYSTEM_ACTOR,
      action: 'test.event',
      target,
      address: '127.0.0.1',
      payload: { i, nested: { b: 'é中文', a: [1, 2.5, null, true] }, at: at(minute) },
      at: at(minute),
    });
    seqs[target ?? 'none']!.push(r.seq);
  };
  for (let i = 1; i <= 5; i++) {
    await write('case:a', i);
    if (i <= 4) await write('case:b', i);
    if (i <= 3) await write('user:u', i);
    if (i === 2 || i === 4) await write(null, i);
  }
  return seqs;
}

const AUDIT_TABLES = [
  'audit_log',
  'audit_streams',
  'audit_checkpoint_heads',
  'audit_checkpoints',
  'audit_checkpoint_runs',
];

describe('per-stream audit chains: tamper evidence', () => {
  let database: Database;
  let seqs: Record<string, number[]>;
  const a = (position: number) => seqs['case:a']![position - 1]!;
  const b = (position: number) => seqs['case:b']![position - 1]!;
  // one database; every test starts from the same fixture (the audit tables are copied aside and put back)
  beforeAll(async () => {
    database = await createTestDatabase();
    seqs = await writeFixture(database);
    await database.exec(AUDIT_TABLES.map((t) => `create table snap_${t} as select * from ${t}`).join(';'));
  });
  afterEach(async () => {
    await asOwner(
      database,
      [
        ...AUDIT_TABLES.map((t) => `delete from ${t}`),
        ...[...AUDIT_TABLES].reverse().map((t) => `insert into ${t} select * from snap_${t}`),
      ].join(';\n'),
    );
  });
  afterAll(async () => {
    await database.close();
  });

  it('chains each target in a stream of its own, verifies, and seals the heads with a checkpoint', async () => {
    const rows = await database.db
      .selectFrom('audit_log')
      .select(['seq', 'stream', 'stream_seq', 'target'])
      .orderBy('seq')
      .execute();
    expect(rows).toHaveLength(14);
    expect(rows.filter((r) => r.stream === 'case:a').map((r) => Number(r.stream_seq))).toEqual([
      1, 2, 3, 4, 5,
    ]);
    // a record without a target is a stream of its own, named by its number
    for (const seq of seqs['none']!) {
      expect(rows.find((r) => Number(r.seq) === seq)).toMatchObject({
        stream: `audit:${seq}`,
        stream_seq: 1,
      });
    }
    expect(rows.every((r) => r.target === null || r.stream === r.target)).toBe(true);

    const cli = await runVerifyCommand(database);
    expect(cli).toMatchObject({
      exitCode: 0,
      output: expect.stringContaining('audit log OK: 14 records in 5 streams'),
    });
    const report = await verifyAuditChain(database.db, { batchSize: 3 });
    expect(report).toMatchObject({
      ok: true,
      records: 14,
      streams: 5,
      checkpoints: 1,
      broken: null,
      breaks: 0,
    });
    expect(report.checkpoint?.id).toBe(1);
    expect(report.headHash).toBe(report.checkpoint?.hash);
    const heads = await database.db.selectFrom('audit_checkpoint_heads').selectAll().execute();
    expect(heads.map((h) => [h.stream, Number(h.stream_seq), Number(h.seq)]).sort()).toEqual(
      [
        ['case:a', 5, a(5)],
        ['case:b', 4, b(4)],
        ['user:u', 3, seqs['user:u']![2]!],
        ...seqs['none']!.map((s) => [`audit:${s}`, 1, s]),
      ].sort(),
    );
    // read only on request
    await recordAudit(database.db, {
      actor: SYSTEM_ACTOR,
      action: 'test.more',
      target: 'case:a',
      at: at(30),
    });
    expect(await verifyAuditChain(database.db, { checkpoint: false })).toMatchObject({
      ok: true,
      checkpoints: 1,
    });
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, records: 15, checkpoints: 2 });
  });

  it('names the record in which one byte was changed, in the CLI too (exit code 1)', async () => {
    await asOwner(database, `update audit_log set action = 'test.evenT' where seq = ${a(3)}`);
    const report = await verifyAuditChain(database.db);
    expect(report).toMatchObject({
      ok: false,
      breaks: 1,
      broken: { seq: a(3), reason: 'hash_mismatch', stream: 'case:a' },
    });
    expect(report.checkpoints).toBe(0); // a broken log is not sealed
    const cli = await runVerifyCommand(database);
    expect(cli.exitCode).toBe(1);
    expect(cli.output).toContain(`BROKEN at record #${a(3)} (hash_mismatch)`);
    await asOwner(database, `update audit_log set action = 'test.event' where seq = ${a(3)}`);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('detects a changed payload value, a time moved by a microsecond, and a rewritten hash', async () => {
    await verifyAuditChain(database.db); // sealed: the rewritten hash also no longer matches its seal
    const broken = async () => (await verifyAuditChain(database.db)).broken;
    await asOwner(
      database,
      `update audit_log set payload = jsonb_set(payload, '{i}', '4') where seq = ${b(3)}`,
    );
    expect(await broken()).toMatchObject({ seq: b(3), reason: 'hash_mismatch' });
    await asOwner(
      database,
      `update audit_log set payload = jsonb_set(payload, '{i}', '3') where seq = ${b(3)}`,
    );
    // the same value written differently is a change too
    await asOwner(
      database,
      `update audit_log set payload = jsonb_set(payload, '{nested,a,1}', '2.50') where seq = ${a(2)}`,
    );
    expect(await broken()).toMatchObject({ seq: a(2), reason: 'hash_mismatch' });
    await asOwner(
      database,
      `update audit_log set payload = jsonb_set(payload, '{nested,a,1}', '2.5') where seq = ${a(2)}`,
    );
    await asOwner(database, `update audit_log set at = at + interval '1 microsecond' where seq = ${a(4)}`);
    expect(await broken()).toMatchObject({ seq: a(4), reason: 'hash_mismatch' });
    await asOwner(database, `update audit_log set at = at - interval '1 microsecond' where seq = ${a(4)}`);
    expect(await broken()).toBeNull();

    const { hash } = await database.db
      .selectFrom('audit_log')
      .select('hash')
      .where('seq', '=', b(4))
      .executeTakeFirstOrThrow();
    await asOwner(database, `update audit_log set hash = repeat('a', 64) where seq = ${b(4)}`);
    expect(await broken()).toMatchObject({ seq: b(4), reason: 'hash_mismatch' });
    await asOwner(database, `update audit_log set hash = '${hash}' where seq = ${b(4)}`);
    expect(await broken()).toBeNull();
  });

  it('detects a record removed from the middle of a stream, naming the record after the gap', async () => {
    await asOwner(database, `delete from audit_log where seq = ${a(2)}`);
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({
      seq: a(3),
      reason: 'missing_record',
      stream: 'case:a',
    });
  });

  it('detects reordering: positions swapped in a stream, global numbers swapped, a record moved to another stream', async () => {
    const swapPositions = `update audit_log set stream_seq = 1000 where stream = 'case:a' and stream_seq = 2;
      update audit_log set stream_seq = 2 where stream = 'case:a' and stream_seq = 3;
      update audit_log set stream_seq = 3 where stream = 'case:a' and stream_seq = 1000`;
    await asOwner(database, swapPositions);
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({ seq: a(3), stream: 'case:a' });
    await asOwner(database, swapPositions);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);

    const [first, second] = [a(1), b(1)].sort((x, y) => x - y);
    const swapNumbers = `update audit_log set seq = 1000000 where seq = ${first};
      update audit_log set seq = ${first} where seq = ${second};
      update audit_log set seq = ${second} where seq = 1000000`;
    await asOwner(database, swapNumbers);
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({
      seq: first,
      reason: 'hash_mismatch',
    });
    await asOwner(database, swapNumbers);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);

    // case:b's newest record passed off as case:a's sixth
    await asOwner(
      database,
      `update audit_log set stream = 'case:a', stream_seq = 6, target = 'case:a' where seq = ${b(4)}`,
    );
    const report = await verifyAuditChain(database.db);
    expect(report.broken).toMatchObject({ seq: b(4), stream: 'case:a' });
    expect(report.breaks).toBe(3); // and case:b ends before its head row, and before its seal
  });

  it("detects a stream's newest records removed after a checkpoint, even with its head moved back", async () => {
    await verifyAuditChain(database.db);
    const head3 = await database.db
      .selectFrom('audit_log')
      .select('hash')
      .where('seq', '=', a(3))
      .executeTakeFirstOrThrow();
    await asOwner(
      database,
      `delete from audit_log where stream = 'case:a' and stream_seq > 3;
       update audit_streams set stream_seq = 3, seq = ${a(3)}, hash = '${head3.hash}' where stream = 'case:a'`,
    );
    const report = await verifyAuditChain(database.db);
    expect(report).toMatchObject({
      ok: false,
      broken: { seq: a(5), reason: 'truncated_stream', stream: 'case:a', checkpoint: 1 },
    });
    const cli = await runVerifyCommand(database);
    expect(cli.exitCode).toBe(1);
    expect(cli.output).toContain(`record #${a(5)} (truncated_stream)`);
  });

  it('detects a whole stream removed after a checkpoint, its head row too', async () => {
    await verifyAuditChain(database.db);
    await asOwner(
      database,
      `delete from audit_log where stream = 'case:b'; delete from audit_streams where stream = 'case:b'`,
    );
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({
      seq: b(4),
      reason: 'truncated_stream',
      stream: 'case:b',
    });
  });

  it("detects a stream's newest records removed when the head row was left (the weak check)", async () => {
    await asOwner(database, `delete from audit_log where stream = 'case:b' and stream_seq = 4`);
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({
      seq: b(4),
      reason: 'head_mismatch',
      stream: 'case:b',
    });
  });

  it('between checkpoints, an owner who also moves the head back can remove the newest records unseen: the window', async () => {
    await verifyAuditChain(database.db); // checkpoint 1 seals case:a at position 5
    const sixth = await recordAudit(database.db, {
      actor: SYSTEM_ACTOR,
      action: 'test.late',
      target: 'case:a',
      at: at(40),
    });
    const fifth = await database.db
      .selectFrom('audit_log')
      .select('hash')
      .where('seq', '=', a(5))
      .executeTakeFirstOrThrow();
    await asOwner(
      database,
      `delete from audit_log where seq = ${sixth.seq};
       update audit_streams set stream_seq = 5, seq = ${a(5)}, hash = '${fifth.hash}' where stream = 'case:a'`,
    );
    // not sealed yet: nothing in the database says position 6 ever existed
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, records: 14 });

    // once a checkpoint has sealed it, the same removal is found
    const seventh = await recordAudit(database.db, {
      actor: SYSTEM_ACTOR,
      action: 'test.late',
      target: 'case:a',
      at: at(41),
    });
    expect(await checkpointAudit(database.db, { now: at(42) })).toMatchObject({
      ran: true,
      checkpoints: [{ heads: 1 }],
    });
    await asOwner(
      database,
      `delete from audit_log where seq = ${seventh.seq};
       update audit_streams set stream_seq = 5, seq = ${a(5)}, hash = '${fifth.hash}' where stream = 'case:a'`,
    );
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({
      seq: seventh.seq,
      reason: 'truncated_stream',
    });
  });

  it('detects a checkpoint changed, removed or a head taken out of it', async () => {
    await verifyAuditChain(database.db);
    await recordAudit(database.db, {
      actor: SYSTEM_ACTOR,
      action: 'test.more',
      target: 'case:b',
      at: at(50),
    });
    await verifyAuditChain(database.db); // checkpoint 2 seals case:b at 5
    const broken = async () => (await verifyAuditChain(database.db)).broken;

    await asOwner(database, `update audit_checkpoint_heads set stream_seq = 4 where checkpoint_id = 2`);
    expect(await broken()).toMatchObject({ seq: 0, reason: 'checkpoint_broken', checkpoint: 2 });
    await asOwner(database, `update audit_checkpoint_heads set stream_seq = 5 where checkpoint_id = 2`);
    expect(await broken()).toBeNull();

    await asOwner(database, `update audit_checkpoints set at = at + interval '1 second' where id = 1`);
    expect(await broken()).toMatchObject({ reason: 'checkpoint_broken', checkpoint: 1 });
    await asOwner(database, `update audit_checkpoints set at = at - interval '1 second' where id = 1`);

    await asOwner(
      database,
      `delete from audit_checkpoint_heads where checkpoint_id = 1 and stream = 'case:a'`,
    );
    expect(await broken()).toMatchObject({ reason: 'checkpoint_broken', checkpoint: 1 });

    await asOwner(
      database,
      `delete from audit_checkpoint_heads where checkpoint_id = 1; delete from audit_checkpoints where id = 1`,
    );
    expect(await broken()).toMatchObject({ reason: 'checkpoint_broken', checkpoint: 1 });
  });

  it('detects a record added by someone without the key', async () => {
    const fifth = await database.db
      .selectFrom('audit_log')
      .select('hash')
      .where('seq', '=', a(5))
      .executeTakeFirstOrThrow();
    await asOwner(
      database,
      `insert into audit_log (stream, stream_seq, at, action, target, payload, prev_hash, hash, key_id)
       select 'case:a', 6, now(), 'test.forged', 'case:a', '{}', '${fifth.hash}', repeat('b', 64), key_id
       from audit_log where seq = ${a(5)}`,
    );
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({
      reason: 'hash_mismatch',
      stream: 'case:a',
    });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of records and checkpoints in the database', async () => {
    await verifyAuditChain(database.db);
    for (const statement of [
      sql`update audit_log set action = 'x' where seq = ${a(1)}`,
      sql`delete from audit_log where seq = ${a(1)}`,
      sql`truncate audit_log`,
      sql`update audit_checkpoints set kind = 'seal'`,
      sql`delete from audit_checkpoints`,
      sql`truncate audit_checkpoints cascade`,
      sql`update audit_checkpoint_heads set stream_seq = 1`,
      sql`delete from audit_checkpoint_heads`,
      sql`truncate audit_checkpoint_heads`,
    ]) {
      await expect(statement.execute(database.db)).rejects.toThrow(/append-only/);
    }
  });
});

describe('per-stream audit chains: writers and the checkpoint job', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('lands every one of many parallel writes to different streams (and to one stream, in order)', async () => {
    const before = (await verifyAuditChain(database.db)).records;
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) =>
        database.db.transaction().execute((trx) =>
          appendAudit(trx, {
            actor: SYSTEM_ACTOR,
            action: 'test.parallel',
            target: `case:p${i}`,
            payload: { i },
            at: at(10),
          }),
        ),
      ),
      ...Array.from({ length: 10 }, (_, i) =>
        recordAudit(database.db, {
          actor: SYSTEM_ACTOR,
          action: 'test.shared',
          target: 'case:shared',
          payload: { i },
          at: at(11),
        }),
      ),
      ...Array.from({ length: 5 }, (_, i) =>
        recordAudit(database.db, { actor: null, action: 'test.anonymous', payload: { i }, at: at(12) }),
      ),
    ]);
    const shared = await database.db
      .selectFrom('audit_log')
      .select('stream_seq')
      .where('stream', '=', 'case:shared')
      .orderBy('stream_seq')
      .execute();
    expect(shared.map((r) => Number(r.stream_seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, records: before + 55 });
  });

  it('writes nothing when the recorded change rolls back, and refuses a write outside a transaction', async () => {
    const before = await verifyAuditChain(database.db);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await appendAudit(trx, {
          actor: SYSTEM_ACTOR,
          action: 'test.rolled_back',
          target: 'case:r',
          at: at(41),
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await expect(
      appendAudit(database.db, { actor: SYSTEM_ACTOR, action: 'x', at: at(41) }),
    ).rejects.toMatchObject({
      code: 'internal',
    });
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, records: before.records });
    // the stream of the rolled-back record starts at 1 when written again
    const again = await recordAudit(database.db, {
      actor: SYSTEM_ACTOR,
      action: 'test.again',
      target: 'case:r',
      at: at(42),
    });
    expect(again).toMatchObject({ stream: 'case:r', streamSeq: 1 });
  });

  it.skipIf(!onServer())(
    'lets a write to one stream pass while another stream is held, and queues writers of the same stream',
    async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = database.db.transaction().execute(async (trx) => {
        await appendAudit(trx, { actor: SYSTEM_ACTOR, action: 'test.hold', target: 'case:held', at: at(20) });
        locked();
        await held;
      });
      await isLocked;
      // another stream: lands while case:held is locked (were the head global, this would wait for ever)
      const other = await recordAudit(database.db, {
        actor: SYSTEM_ACTOR,
        action: 'test.other',
        target: 'case:other',
        at: at(21),
      });
      expect(other.streamSeq).toBe(1);
      // the same stream: waits on the head row's lock until the holder commits
      const same = recordAudit(database.db, {
        actor: SYSTEM_ACTOR,
        action: 'test.same',
        target: 'case:held',
        at: at(22),
      });
      await expect
        .poll(async () => {
          const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`.execute(database.db);
          return rows[0]!.n;
        })
        .toBe(1);
      release();
      await holder;
      expect(await same).toMatchObject({ stream: 'case:held', streamSeq: 2 });
      expect((await verifyAuditChain(database.db)).ok).toBe(true);
    },
  );

  it('seals the streams written since the last checkpoint, at most once per interval', async () => {
    expect((await verifyAuditChain(database.db)).ok).toBe(true); // seals everything so far
    await recordAudit(database.db, {
      actor: SYSTEM_ACTOR,
      action: 'test.job',
      target: 'case:job',
      at: at(30),
    });
    const t0 = new Date(Date.UTC(2026, 2, 2, 3, 0));
    const first = await checkpointAudit(database.db, { now: t0 });
    expect(first).toMatchObject({ ran: true, checkpoints: [{ heads: 1 }], more: false });
    const later = (s: number) => new Date(t0.getTime() + s * 1000);
    await recordAudit(database.db, {
      actor: SYSTEM_ACTOR,
      action: 'test.job',
      target: 'case:job',
      at: at(31),
    });
    expect(await checkpointAudit(database.db, { now: later(30) })).toMatchObject({
      ran: false,
      skipped: 'not_due',
    });
    const due = await checkpointAudit(database.db, { now: later(61) });
    expect(due).toMatchObject({ ran: true, checkpoints: [{ heads: 1, id: first.checkpoints[0]!.id + 1 }] });
    expect(await checkpointAudit(database.db, { now: later(130) })).toMatchObject({
      ran: true,
      checkpoints: [],
    });
    const sealed = await database.db
      .selectFrom('audit_checkpoint_heads')
      .select(['stream_seq'])
      .where('stream', '=', 'case:job')
      .orderBy('stream_seq')
      .execute();
    expect(sealed.map((r) => Number(r.stream_seq))).toEqual([1, 2]);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('splits a large backlog of heads over several runs', async () => {
    for (let i = 0; i < 7; i++) {
      await recordAudit(database.db, {
        actor: SYSTEM_ACTOR,
        action: 'test.backlog',
        target: `case:q${i}`,
        at: at(33),
      });
    }
    const now = new Date(Date.UTC(2026, 2, 2, 4, 0));
    const one = await checkpointAudit(database.db, { now, maxHeads: 5, force: true });
    expect(one).toMatchObject({ ran: true, checkpoints: [{ heads: 5 }], more: true });
    const two = await checkpointAudit(database.db, { now, maxHeads: 5, force: true });
    expect(two).toMatchObject({ ran: true, checkpoints: [{ heads: 2 }], more: false });
  });
});
