import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordAudit } from '../src/app/audit/append-audit.ts';
import { auditKeyOf, GENESIS_HASH, hashAuditRecord } from '../src/app/audit/hash.ts';
import { verifyAuditChain } from '../src/app/audit/verify-audit-chain.ts';
import { loadAuditKey } from '../src/cli/audit-key.ts';
import { loadConfig } from '../src/config.ts';
import { SYSTEM_ACTOR } from '../src/core/actor.ts';
import type { Database } from '../src/db/database.ts';
import { createTestDatabase } from './support/database.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 2, minute, 0, 123));

/** Edits the log behind its append-only trigger, as the owner of the database can. */
async function asOwner(database: Database, statements: string): Promise<void> {
  await database.exec(
    `alter table audit_log disable trigger audit_log_no_update; ${statements}; alter table audit_log enable trigger audit_log_no_update;`,
  );
}

/**
 * What a database owner does to hide a change: rewrite one record of a stream, then re-hash it and every
 * later one of its stream with plain SHA-256 (the algorithm is public; the key is not), and move the
 * stream's head along.
 */
async function rewriteAndRehash(
  database: Database,
  stream: string,
  position: number,
  change: string,
  keyId: 'keep' | 'drop',
) {
  await asOwner(
    database,
    `update audit_log set ${change} where stream = '${stream}' and stream_seq = ${position}`,
  );
  const rows = await database.db
    .selectFrom('audit_log')
    .select(['seq', 'actor_id', 'actor_name', 'actor_role', 'action', 'target', 'address', 'stream_seq'])
    .select(sql<string>`(extract(epoch from at) * 1000000)::bigint::text`.as('at_micros'))
    .select(sql<string>`payload::text`.as('payload_text'))
    .where('stream', '=', stream)
    .where('stream_seq', '>=', position)
    .orderBy('stream_seq')
    .execute();
  const before = await database.db
    .selectFrom('audit_log')
    .select('hash')
    .where('stream', '=', stream)
    .where('stream_seq', '=', position - 1)
    .executeTakeFirst();
  let prev = before?.hash ?? GENESIS_HASH;
  const updates: string[] = [];
  for (const r of rows) {
    const hash = hashAuditRecord({
      seq: Number(r.seq),
      atMicros: r.at_micros,
      actorId: r.actor_id,
      actorName: r.actor_name,
      actorRole: r.actor_role,
      action: r.action,
      target: r.target,
      address: r.address,
      payloadText: r.payload_text,
      prevHash: prev,
    });
    updates.push(
      `update audit_log set prev_hash = '${prev}', hash = '${hash}'${keyId === 'drop' ? ', key_id = null' : ''} where seq = ${r.seq}`,
    );
    prev = hash;
  }
  updates.push(`update audit_streams set hash = '${prev}' where stream = '${stream}'`);
  await asOwner(database, updates.join('; '));
}

async function appendEvents(database: Database, from: number, to: number) {
  const seqs: number[] = [];
  for (let i = from; i <= to; i++) {
    const r = await recordAudit(database.db, {
      actor: SYSTEM_ACTOR,
      action: 'test.event',
      target: `case:c${i % 2}`,
      payload: { i },
      at: at(i),
    });
    seqs.push(r.seq);
  }
  return seqs;
}

/** Issue 9 finding 10: a database owner can no longer rewrite the audit chain unnoticed. */
describe('audit chain keyed with a secret outside the database', () => {
  let database: Database;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.close();
  });

  it('detects a record rewritten and re-hashed forward with plain SHA-256', async () => {
    const seqs = await appendEvents(database, 1, 10); // case:c1 gets 1, 3, 5, 7, 9
    expect(await verifyAuditChain(database.db, { checkpoint: false })).toMatchObject({
      ok: true,
      records: 10,
      streams: 2,
      legacyRecords: 0,
    });

    // case:c1's second record (#seqs[2]) rewritten, it and the later ones re-hashed, the head moved
    await rewriteAndRehash(database, 'case:c1', 2, `payload = '{"i": 300}'`, 'keep');
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({
      seq: seqs[2],
      reason: 'hash_mismatch',
    });

    // …and passing the rewritten records off as pre-keying ones does not help either
    await rewriteAndRehash(database, 'case:c1', 2, `payload = '{"i": 301}'`, 'drop');
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({
      seq: seqs[2],
      reason: 'unkeyed_record',
    });
    await rewriteAndRehash(database, 'case:c1', 1, `payload = '{"i": 100}'`, 'drop');
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({
      seq: seqs[0],
      reason: 'unkeyed_record',
    });
  });

  it('refuses records and checkpoints under another key', async () => {
    const seqs = await appendEvents(database, 1, 3);
    const other = auditKeyOf(Buffer.from('another key of at least thirty-two chars'));
    expect((await verifyAuditChain(database.db, { key: other, checkpoint: false })).broken).toMatchObject({
      seq: seqs[0],
      reason: 'unknown_key',
    });
    await verifyAuditChain(database.db); // sealed under the right key
    await asOwner(database, `delete from audit_log`);
    const report = await verifyAuditChain(database.db, { key: other });
    expect(report.broken).toMatchObject({ reason: 'checkpoint_broken', checkpoint: 1 });
  });
});

describe('the audit key', () => {
  // no database here: the key is read from the environment or DATA_DIR
  it('keeps the key outside the database: AUDIT_KEY, or a 0600 key file in DATA_DIR', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-key-'));
    try {
      const config = loadConfig({ DATA_DIR: dir });
      const first = loadAuditKey(config);
      const file = path.join(dir, 'audit.key');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(loadAuditKey(config)).toEqual(first);
      const fromEnv = loadAuditKey(loadConfig({ DATA_DIR: dir, AUDIT_KEY: 'x'.repeat(40) }));
      expect(fromEnv.id).not.toBe(first.id);
      expect(() => loadAuditKey(loadConfig({ DATA_DIR: dir, AUDIT_KEY: 'short' }))).toThrow(/32/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
