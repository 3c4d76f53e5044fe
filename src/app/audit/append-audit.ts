import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import type { DB } from '../../db/schema/index.ts';
import { auditKey } from './audit-key.ts';
import { checkpointAudit, GLOBAL_STREAM } from './checkpoint-audit.ts';
import { GENESIS_HASH, macStreamRecord, microsOf } from './hash.ts';

/** What happened, by whom, to what. */
export interface AuditEntry {
  /** Who did it; null for an anonymous caller (e.g. a failed login for an unknown name). */
  actor: Actor | null;
  /** Dotted verb, e.g. 'auth.login', 'auth.login_failed', 'user.create', 'case.dispatch', 'reporter.unmask'. */
  action: string;
  /** What it was done to, e.g. 'user:<id>', 'case:<id>'. */
  target?: string | null;
  /** Client address, when the action came over HTTP. */
  address?: string | null;
  /** Details worth keeping (never passwords or tokens). JSON only. */
  payload?: Record<string, unknown>;
  /** When (passed in, so tests fix time). */
  at: Date;
}

export interface AppendedAudit {
  /** Global number of the record: increasing, not gapless (a rolled-back transaction skips one). */
  seq: number;
  hash: string;
  /** The stream the record was chained in (its target, or `audit:<seq>` for a record without one)… */
  stream: string;
  /** …and its position there (1, 2, 3…, gapless). */
  streamSeq: number;
}

/** The stream of a record that has no target: a stream of its own (it waits on nobody). */
export const ownStream = (seq: number): string => `audit:${seq}`;

/**
 * Appends one record to the audit log **inside the caller's transaction**, so the record lands if and only
 * if the change it records does. The record is chained (HMAC-SHA-256 under the audit key,
 * src/app/audit/audit-key.ts) to the previous record **of its stream** — the record's target (`case:<id>`,
 * `user:<id>`…; a record without a target is a stream of its own) — and the stream's head row
 * (`audit_streams`) stays locked until the transaction ends. Writes to different streams never wait on
 * each other (issue 10: the single `audit_head` row used to order every write in the system); the
 * periodic checkpoints (checkpoint-audit.ts) chain the stream heads together. Two statements: lock the
 * stream's head (creating it) while taking the global seq and normalising the payload; then write the
 * record and the new head in one. Call it late in the transaction to keep the stream's lock short.
 */
export async function appendAudit(trx: Kysely<DB>, entry: AuditEntry): Promise<AppendedAudit> {
  if (!trx.isTransaction) {
    throw new AppError(
      'internal',
      'appendAudit must run inside a transaction (use recordAudit for a standalone record)',
    );
  }
  // Hash the payload as PostgreSQL will print it back (jsonb normalises key order and spacing)
  const json = JSON.stringify(entry.payload ?? {});
  const target = entry.target ?? null;
  // one round trip: the global seq (a sequence: no lock), the stream's head created if new and locked
  // (ON CONFLICT DO UPDATE locks the existing row like FOR UPDATE), and the payload as jsonb prints it
  const { rows } = await sql<{
    stream: string;
    stream_seq: string | number;
    hash: string;
    seq: string | number;
    payload_text: string;
  }>`
    with n as (select nextval('audit_log_seq') as seq)
    insert into audit_streams (stream, stream_seq, hash, seq)
      select coalesce(${target}::text, 'audit:' || n.seq), 0, ${GENESIS_HASH}, 0 from n
    on conflict (stream) do update set stream_seq = audit_streams.stream_seq
    returning stream, stream_seq, hash, (select seq from n) as seq,
      ${json}::text::jsonb::text as payload_text`.execute(trx);
  const head = rows[0]!;
  const seq = Number(head.seq);
  const streamSeq = Number(head.stream_seq) + 1;
  const fields = {
    seq,
    stream: head.stream,
    streamSeq,
    atMicros: microsOf(entry.at),
    actorId: entry.actor?.userId ?? null,
    actorName: entry.actor?.username ?? null,
    actorRole: entry.actor?.role ?? null,
    action: entry.action,
    target,
    address: entry.address ?? null,
    payloadText: head.payload_text,
    prevHash: head.hash,
  };
  const key = auditKey();
  const hash = macStreamRecord(fields, key);
  // the record and the stream's new head in one statement
  await trx
    .with('record', (db) =>
      db
        .insertInto('audit_log')
        .values({
          seq,
          stream: fields.stream,
          stream_seq: streamSeq,
          at: entry.at,
          actor_id: fields.actorId,
          actor_name: fields.actorName,
          actor_role: fields.actorRole,
          action: fields.action,
          target: fields.target,
          address: fields.address,
          payload: sql`${fields.payloadText}::text::jsonb`,
          prev_hash: fields.prevHash,
          hash,
          key_id: key.id,
        })
        .returning('seq'),
    )
    .updateTable('audit_streams')
    .set({ stream_seq: streamSeq, hash, seq })
    .where('stream', '=', fields.stream)
    .execute();
  return { seq, hash, stream: fields.stream, streamSeq };
}

/** Appends a record in a transaction of its own (for events that change nothing else, e.g. a failed login). */
export async function recordAudit(db: Kysely<DB>, entry: AuditEntry): Promise<AppendedAudit> {
  if (db.isTransaction) return appendAudit(db, entry);
  return db.transaction().execute((trx) => appendAudit(trx, entry));
}

/**
 * The closed global chain of records written before migration 0037 (stream `audit:global`) is sealed by
 * the first checkpoint that names its head; a log whose records also predate keying (migration 0006:
 * plain SHA-256) depends on that seal entirely. Run at every open after migrating: writes a checkpoint when
 * the old chain's head is not yet sealed (once), and says whether it did.
 */
export async function sealLegacyAuditChain(db: Kysely<DB>, now: Date): Promise<boolean> {
  const pending = await db
    .selectFrom('audit_streams')
    .select('stream')
    .where('stream', '=', GLOBAL_STREAM)
    .where(sql<boolean>`stream_seq > checkpointed_seq`)
    .executeTakeFirst();
  if (!pending) return false;
  const result = await checkpointAudit(db, { now, kind: 'seal' });
  return result.checkpoints.length > 0;
}
