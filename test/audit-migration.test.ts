import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit, sealLegacyAuditChain } from '../src/app/audit/append-audit.ts';
import { GLOBAL_STREAM } from '../src/app/audit/checkpoint-audit.ts';
import { GENESIS_HASH, hashAuditRecord, macAuditRecord, microsOf } from '../src/app/audit/hash.ts';
import { verifyAuditChain } from '../src/app/audit/verify-audit-chain.ts';
import { SYSTEM_ACTOR } from '../src/core/actor.ts';
import type { Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { createTestDatabase, TEST_AUDIT_KEY } from './support/database.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 2, minute, 0, 123));

/**
 * Puts a freshly migrated (empty) database back to the schema before migration 0037 — the one global chain
 * with its `audit_head` row, as 0002 and 0006 left it — so that 0037 runs on it again as on an upgrade.
 */
async function undoMigration0037(database: Database): Promise<void> {
  await database.exec(`
    drop table audit_checkpoint_runs;
    drop table audit_checkpoint_heads;
    drop table audit_checkpoints;
    drop table audit_streams;
    alter table audit_log drop constraint audit_log_stream_check;
    alter table audit_log drop column stream;
    alter table audit_log drop column stream_seq;
    alter table audit_log alter column seq drop default;
    drop sequence audit_log_seq;
    alter table audit_log add constraint audit_log_hash_key unique (hash);
    create table audit_head (
      id   boolean primary key default true check (id),
      seq  bigint not null,
      hash text not null
    );
    insert into audit_head (id, seq, hash) values (true, 0, repeat('0', 64));
    create or replace function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end
    $$;
    delete from schema_migrations where name = '0037_audit_streams.sql';
  `);
}

/**
 * The old global chain as a database written before 0037 holds it: records 1–3 from before keying (plain
 * SHA-256, migration 0006), record 4 the keyed seal written at the first start after 0006, 5–6 keyed; the
 * head row on #6.
 */
async function writeGlobalChain(database: Database): Promise<void> {
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= 6; seq++) {
    const payload = seq === 4 ? { legacyRecords: 3 } : { i: seq };
    const payloadText = (
      await sql<{ t: string }>`select ${JSON.stringify(payload)}::text::jsonb::text as t`.execute(database.db)
    ).rows[0]!.t;
    const fields = {
      seq,
      atMicros: microsOf(at(seq)),
      actorId: SYSTEM_ACTOR.userId,
      actorName: SYSTEM_ACTOR.username,
      actorRole: SYSTEM_ACTOR.role,
      action: seq === 4 ? 'audit.keyed' : 'test.old',
      target: seq === 4 ? null : `case:old${seq % 2}`,
      address: null,
      payloadText,
      prevHash: prev,
    };
    const keyed = seq >= 4;
    const hash = keyed ? macAuditRecord(fields, TEST_AUDIT_KEY) : hashAuditRecord(fields);
    await sql`
      insert into audit_log (seq, at, actor_id, actor_name, actor_role, action, target, address, payload,
                             prev_hash, hash, key_id)
      values (${seq}, ${at(seq)}, ${fields.actorId}, ${fields.actorName}, ${fields.actorRole}, ${fields.action},
              ${fields.target}, null, ${payloadText}::text::jsonb, ${prev}, ${hash},
              ${keyed ? TEST_AUDIT_KEY.id : null})`.execute(database.db);
    prev = hash;
  }
  await sql`update audit_head set seq = 6, hash = ${prev}`.execute(database.db);
}

async function asOwner(database: Database, statements: string): Promise<void> {
  await database.exec(
    `alter table audit_log disable trigger user; ${statements}; alter table audit_log enable trigger user`,
  );
}

describe('migration 0037: the global chain of an existing database becomes a closed, sealed segment', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    await undoMigration0037(database);
    await writeGlobalChain(database);
    expect(await migrate(database)).toEqual(['0037_audit_streams.sql']);
  });
  afterAll(async () => {
    await database.close();
  });

  it('keeps verifying the old chain, seals it once at open, and chains new records in streams after it', async () => {
    expect(await verifyAuditChain(database.db, { checkpoint: false })).toMatchObject({
      ok: true,
      records: 6,
      streams: 1,
      legacyRecords: 3,
      checkpoints: 0,
    });
    const head = await database.db
      .selectFrom('audit_streams')
      .selectAll()
      .where('stream', '=', GLOBAL_STREAM)
      .executeTakeFirstOrThrow();
    expect(head).toMatchObject({ stream_seq: 6, seq: 6, checkpointed_seq: 0 });

    // the first open after the upgrade seals the old chain's head (src/cli/open.ts)
    expect(await sealLegacyAuditChain(database.db, at(10))).toBe(true);
    expect(await sealLegacyAuditChain(database.db, at(10))).toBe(false);
    const sealed = await database.db.selectFrom('audit_checkpoint_heads').selectAll().execute();
    expect(sealed).toMatchObject([{ checkpoint_id: 1, stream: GLOBAL_STREAM, stream_seq: 6, seq: 6 }]);

    // the numbering goes on after the old chain; the old targets start streams of their own
    const next = await recordAudit(database.db, {
      actor: SYSTEM_ACTOR,
      action: 'test.new',
      target: 'case:old0',
      at: at(11),
    });
    expect(next).toMatchObject({ seq: 7, stream: 'case:old0', streamSeq: 1 });
    expect(await verifyAuditChain(database.db)).toMatchObject({
      ok: true,
      records: 7,
      streams: 2,
      legacyRecords: 3,
      checkpoints: 2,
    });
  });

  it('names a changed record of the old chain, and finds its re-hashed rewrite at the seal', async () => {
    await asOwner(database, `update audit_log set action = 'test.OLD' where seq = 2`);
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({
      seq: 2,
      reason: 'hash_mismatch',
      stream: null,
    });

    // re-hashed forward with plain SHA-256 as if from before keying: the keyed seal #4 breaks…
    const rehash = async (keyIds: 'keep' | 'drop') => {
      const rows = await database.db
        .selectFrom('audit_log')
        .selectAll()
        .select(sql<string>`(extract(epoch from at) * 1000000)::bigint::text`.as('at_micros'))
        .select(sql<string>`payload::text`.as('payload_text'))
        .where('stream', 'is', null)
        .where('seq', '>=', 2)
        .orderBy('seq')
        .execute();
      let prev = (
        await database.db
          .selectFrom('audit_log')
          .select('hash')
          .where('seq', '=', 1)
          .executeTakeFirstOrThrow()
      ).hash;
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
          `update audit_log set prev_hash = '${prev}', hash = '${hash}'${keyIds === 'drop' ? ', key_id = null' : ''} where seq = ${r.seq}`,
        );
        prev = hash;
      }
      updates.push(`update audit_streams set hash = '${prev}' where stream = '${GLOBAL_STREAM}'`);
      await asOwner(database, updates.join('; '));
    };
    await rehash('keep');
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({ seq: 4, reason: 'hash_mismatch' });
    // …and with the key ids dropped too, the whole old chain looks pre-keying: its seal no longer matches
    await rehash('drop');
    expect((await verifyAuditChain(database.db)).broken).toMatchObject({
      seq: 6,
      reason: 'checkpoint_mismatch',
    });
  });

  it("detects the old chain's newest record removed, before its seal (head row) and after (checkpoint)", async () => {
    // a fresh copy of the upgraded database for this case
    const copy = await createTestDatabase();
    try {
      await undoMigration0037(copy);
      await writeGlobalChain(copy);
      await migrate(copy);
      await copy.exec('create table saved as select * from audit_log where seq = 6');
      // not sealed yet: the head row still tells (the weak check)…
      await asOwner(copy, `delete from audit_log where seq = 6`);
      expect((await verifyAuditChain(copy.db)).broken).toMatchObject({ seq: 6, reason: 'head_mismatch' });
      await copy.exec('insert into audit_log select * from saved');
      expect(await sealLegacyAuditChain(copy.db, at(10))).toBe(true);
      // …once sealed, even with the head row moved back
      const fifth = await copy.db
        .selectFrom('audit_log')
        .select('hash')
        .where('seq', '=', 5)
        .executeTakeFirstOrThrow();
      await asOwner(
        copy,
        `delete from audit_log where seq = 6;
         update audit_streams set stream_seq = 5, seq = 5, hash = '${fifth.hash}' where stream = '${GLOBAL_STREAM}'`,
      );
      expect((await verifyAuditChain(copy.db)).broken).toMatchObject({
        seq: 6,
        reason: 'truncated_stream',
        stream: GLOBAL_STREAM,
      });
    } finally {
      await copy.close();
    }
  });
});
