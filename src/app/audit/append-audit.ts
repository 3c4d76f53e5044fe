import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import type { DB } from '../../db/schema/index.ts';
import { auditKey } from './audit-key.ts';
import { macAuditRecord, microsOf } from './hash.ts';

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
  seq: number;
  hash: string;
}

/**
 * Appends one record to the keyed hash chain (HMAC-SHA-256 under the audit key, src/app/audit/audit-key.ts)
 * of the audit log **inside the caller's transaction**, so the record
 * lands if and only if the change it records does. It locks the chain head (`audit_head`) until the
 * transaction ends, which orders concurrent appenders: two statements under the lock (read the head; write
 * the record and the new head in one), so call it as the last statement of the transaction to keep that
 * lock short.
 */
export async function appendAudit(trx: Kysely<DB>, entry: AuditEntry): Promise<AppendedAudit> {
  if (!trx.isTransaction) {
    throw new AppError(
      'internal',
      'appendAudit must run inside a transaction (use recordAudit for a standalone record)',
    );
  }
  // Hash the payload as PostgreSQL will print it back (jsonb normalises key order and spacing): before
  // the head is locked, so the lock covers two statements only (issue 10: the head orders every write)
  const json = JSON.stringify(entry.payload ?? {});
  const { rows } = await sql<{ text: string }>`select ${json}::text::jsonb::text as text`.execute(trx);
  const payloadText = rows[0]!.text;
  const head = await trx
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .forUpdate()
    .executeTakeFirstOrThrow();
  const seq = Number(head.seq) + 1;
  const fields = {
    seq,
    atMicros: microsOf(entry.at),
    actorId: entry.actor?.userId ?? null,
    actorName: entry.actor?.username ?? null,
    actorRole: entry.actor?.role ?? null,
    action: entry.action,
    target: entry.target ?? null,
    address: entry.address ?? null,
    payloadText,
    prevHash: head.hash,
  };
  const key = auditKey();
  const hash = macAuditRecord(fields, key);
  // the record and the new head in one statement (one round trip under the lock)
  await trx
    .with('record', (db) =>
      db
        .insertInto('audit_log')
        .values({
          seq,
          at: entry.at,
          actor_id: fields.actorId,
          actor_name: fields.actorName,
          actor_role: fields.actorRole,
          action: fields.action,
          target: fields.target,
          address: fields.address,
          payload: sql`${payloadText}::text::jsonb`,
          prev_hash: fields.prevHash,
          hash,
          key_id: key.id,
        })
        .returning('seq'),
    )
    .updateTable('audit_head')
    .set({ seq, hash })
    .where('seq', '=', head.seq)
    .execute();
  return { seq, hash };
}

/** Appends a record in a transaction of its own (for events that change nothing else, e.g. a failed login). */
export async function recordAudit(db: Kysely<DB>, entry: AuditEntry): Promise<AppendedAudit> {
  if (db.isTransaction) return appendAudit(db, entry);
  return db.transaction().execute((trx) => appendAudit(trx, entry));
}

/**
 * A log written before the chain was keyed (migration 0006) gets one keyed record on top, so its plain
 * SHA-256 records become a prefix sealed by an HMAC: rewriting any of them breaks the keyed record's link,
 * and dropping every keyed record leaves a log that `verifyAuditChain` refuses as unkeyed.
 */
export async function sealLegacyAuditChain(db: Kysely<DB>, now: Date): Promise<boolean> {
  const legacy = await db
    .selectFrom('audit_log')
    .select('seq')
    .where('key_id', 'is', null)
    .limit(1)
    .execute();
  if (legacy.length === 0) return false;
  const keyed = await db
    .selectFrom('audit_log')
    .select('seq')
    .where('key_id', 'is not', null)
    .limit(1)
    .execute();
  if (keyed.length > 0) return false;
  const count = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await recordAudit(db, {
    actor: null,
    action: 'audit.keyed',
    payload: { legacyRecords: Number(count.n) },
    at: now,
  });
  return true;
}
