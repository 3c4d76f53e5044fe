import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordAudit, sealLegacyAuditChain } from '../src/app/audit/append-audit.ts';
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
 * What a database owner does to hide a change: rewrite one record, then re-hash it and every later one
 * with plain SHA-256 (the algorithm is public; the key is not), and move the head along.
 */
async function rewriteAndRehash(database: Database, seq: number, change: string, keyId: 'keep' | 'drop') {
  await asOwner(database, `update audit_log set ${change} where seq = ${seq}`);
  const rows = await database.db
    .selectFrom('audit_log')
    .select(['seq', 'actor_id', 'actor_name', 'actor_role', 'action', 'target', 'address', 'prev_hash'])
    .select(sql<string>`(extract(epoch from at) * 1000000)::bigint::text`.as('at_micros'))
    .select(sql<string>`payload::text`.as('payload_text'))
    .where('seq', '>=', seq)
    .orderBy('seq')
    .execute();
  const before = await database.db
    .selectFrom('audit_log')
    .select('hash')
    .where('seq', '=', seq - 1)
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
  updates.push(`update audit_head set hash = '${prev}'`);
  await asOwner(database, updates.join('; '));
}

async function appendEvents(database: Database, from: number, to: number) {
  for (let i = from; i <= to; i++) {
    await recordAudit(database.db, {
      actor: SYSTEM_ACTOR,
      action: 'test.event',
      target: `case:c${i}`,
      payload: { i },
      at: at(i),
    });
  }
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
    await appendEvents(database, 1, 10);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, records: 10, legacyRecords: 0 });

    await rewriteAndRehash(database, 4, `payload = '{"i": 400}'`, 'keep');
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({ seq: 4, reason: 'hash_mismatch' });

    // …and passing the rewritten records off as pre-keying ones does not help either
    await rewriteAndRehash(database, 4, `payload = '{"i": 401}'`, 'drop');
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({ seq: 4, reason: 'unkeyed_record' });
    await rewriteAndRehash(database, 1, `payload = '{"i": 100}'`, 'drop');
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({ reason: 'unkeyed_chain' });
  });

  it('refuses records under another key', async () => {
    await appendEvents(database, 1, 3);
    const other = auditKeyOf(Buffer.from('another key of at least thirty-two chars'));
    expect((await verifyAuditChain(database.db, { key: other })).broken).toMatchObject({
      seq: 1,
      reason: 'unknown_key',
    });
  });

  it('keeps a chain written before keying verifiable, sealed by the first keyed record', async () => {
    await appendEvents(database, 1, 6);
    // make records 1..6 what migration 0006 finds: plain SHA-256, no key id
    await rewriteAndRehash(database, 1, 'action = action', 'drop');
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({ reason: 'unkeyed_chain' });
    expect(await sealLegacyAuditChain(database.db, at(7))).toBe(true);
    expect(await sealLegacyAuditChain(database.db, at(7))).toBe(false);
    await appendEvents(database, 8, 9);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, records: 9, legacyRecords: 6 });

    // a legacy record changed and re-hashed forward breaks at the seal…
    await rewriteAndRehash(database, 2, `payload = '{"i": 200}'`, 'keep');
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({ seq: 7, reason: 'hash_mismatch' });
    // …and dropping the keyed records' key ids leaves a log with no keyed record at all
    await rewriteAndRehash(database, 2, `payload = '{"i": 201}'`, 'drop');
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({ reason: 'unkeyed_chain' });
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
