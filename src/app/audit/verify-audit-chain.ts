import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema/index.ts';
import { auditKey } from './audit-key.ts';
import { GENESIS_HASH, hashAuditRecord, macAuditRecord, type AuditKey } from './hash.ts';

export type BreakReason =
  /** the record's content no longer matches its hash: it was changed */
  | 'hash_mismatch'
  /** the record does not point at the record before it: that one was changed, removed or inserted */
  | 'prev_hash_mismatch'
  /** a sequence number is missing: a record was removed */
  | 'missing_record'
  /** the chain ends before the recorded head: records at the end were removed */
  | 'head_mismatch'
  /** a plain SHA-256 record after a keyed one: a record was re-hashed without the key */
  | 'unkeyed_record'
  /** the log has records but none is keyed: it was rewritten without the key */
  | 'unkeyed_chain'
  /** a record names another key than the configured one (a lost or rotated key, or a forgery) */
  | 'unknown_key';

export interface ChainBreak {
  /** The first record at which the chain does not hold. */
  seq: number;
  reason: BreakReason;
  message: string;
}

export interface ChainReport {
  ok: boolean;
  /** Records checked. */
  records: number;
  /** Hash of the last record: write it down elsewhere to anchor the chain (a full rewrite of the log
   * from some record onwards can only be detected against an outside copy of a later hash). */
  headHash: string;
  broken: ChainBreak | null;
  /** Records at the start of the chain from before it was keyed (plain SHA-256; migration 0006). */
  legacyRecords: number;
}

/**
 * Walks the audit log in sequence order, recomputing every HMAC under the audit key (and the plain
 * SHA-256 of records from before keying, accepted only at the start), and reports the first record where
 * the chain breaks. Reads in batches, so it runs over millions of records in constant memory.
 */
export async function verifyAuditChain(
  db: Kysely<DB>,
  options: { batchSize?: number; key?: AuditKey } = {},
): Promise<ChainReport> {
  const batchSize = options.batchSize ?? 1000;
  const key = options.key ?? auditKey();
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let records = 0;
  let legacyRecords = 0;
  const fail = (seq: number, reason: BreakReason, message: string): ChainReport => ({
    ok: false,
    records,
    headHash: prevHash,
    broken: { seq, reason, message },
    legacyRecords,
  });

  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .select([
        'seq',
        'actor_id',
        'actor_name',
        'actor_role',
        'action',
        'target',
        'address',
        'prev_hash',
        'hash',
        'key_id',
      ])
      .select(sql<string>`(extract(epoch from at) * 1000000)::bigint::text`.as('at_micros'))
      .select(sql<string>`payload::text`.as('payload_text'))
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) {
        return fail(
          expectedSeq,
          'missing_record',
          `audit record #${expectedSeq} is missing (next is #${seq})`,
        );
      }
      if (row.prev_hash !== prevHash) {
        return fail(seq, 'prev_hash_mismatch', `audit record #${seq} does not chain to record #${seq - 1}`);
      }
      const fields = {
        seq,
        atMicros: row.at_micros,
        actorId: row.actor_id,
        actorName: row.actor_name,
        actorRole: row.actor_role,
        action: row.action,
        target: row.target,
        address: row.address,
        payloadText: row.payload_text,
        prevHash: row.prev_hash,
      };
      let hash: string;
      if (row.key_id === null) {
        if (records > legacyRecords) {
          return fail(
            seq,
            'unkeyed_record',
            `audit record #${seq} is not keyed: it was re-hashed without the key`,
          );
        }
        hash = hashAuditRecord(fields);
        legacyRecords += 1;
      } else if (row.key_id !== key.id) {
        return fail(
          seq,
          'unknown_key',
          `audit record #${seq} was keyed with key ${row.key_id}, not the configured key ${key.id}`,
        );
      } else {
        hash = macAuditRecord(fields, key);
      }
      if (hash !== row.hash) {
        return fail(seq, 'hash_mismatch', `audit record #${seq} was changed after it was written`);
      }
      prevHash = row.hash;
      expectedSeq = seq + 1;
      records += 1;
    }
    if (rows.length < batchSize) break;
  }

  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirst();
  if (head && (Number(head.seq) !== expectedSeq - 1 || head.hash !== prevHash)) {
    return fail(
      expectedSeq,
      'head_mismatch',
      `the log ends at #${expectedSeq - 1} but its head says #${head.seq}`,
    );
  }
  if (records > 0 && legacyRecords === records) {
    return fail(
      expectedSeq,
      'unkeyed_chain',
      'no audit record is keyed: the log was written or rewritten without the audit key',
    );
  }
  return { ok: true, records, headHash: prevHash, broken: null, legacyRecords };
}
