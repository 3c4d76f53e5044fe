import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema/index.ts';
import { auditKey } from './audit-key.ts';
import { GLOBAL_STREAM, latestCheckpoint, sealHeads } from './checkpoint-audit.ts';
import {
  digestHeads,
  GENESIS_HASH,
  hashAuditRecord,
  macAuditRecord,
  macCheckpoint,
  macStreamRecord,
  type AuditKey,
  type CheckpointHead,
} from './hash.ts';

export type BreakReason =
  /** the record's content no longer matches its hash: it was changed */
  | 'hash_mismatch'
  /** the record does not point at the record before it (in its stream): that one was changed, removed or
   * inserted, or the record was moved */
  | 'prev_hash_mismatch'
  /** records are missing before this one in its stream (or, in the old global chain, a number is missing) */
  | 'missing_record'
  /** a stream ends before its head row: its newest records were removed (and the head was not moved back) */
  | 'head_mismatch'
  /** a record sealed by a checkpoint is gone: a stream's newest records, or the whole stream, were removed */
  | 'truncated_stream'
  /** a record sealed by a checkpoint is there with another hash: it was rewritten (and re-hashed) */
  | 'checkpoint_mismatch'
  /** a checkpoint was changed, removed or inserted: the seal itself does not hold */
  | 'checkpoint_broken'
  /** a plain SHA-256 record after a keyed one: a record was re-hashed without the key */
  | 'unkeyed_record'
  /** the log has records but none is keyed, nor sealed by a checkpoint: it was rewritten without the key */
  | 'unkeyed_chain'
  /** a record names another key than the configured one (a lost or rotated key, or a forgery) */
  | 'unknown_key';

export interface ChainBreak {
  /** The record at which the chain does not hold (its global number; 0 for a broken checkpoint). */
  seq: number;
  reason: BreakReason;
  message: string;
  /** The stream of that record, when it has one. */
  stream: string | null;
  /** The checkpoint involved, for the checkpoint reasons. */
  checkpoint: number | null;
}

export interface ChainReport {
  ok: boolean;
  /** Records checked (every stream, and the global chain from before migration 0037). */
  records: number;
  /** Streams checked. */
  streams: number;
  /** Checkpoints checked, including the one this verification wrote. */
  checkpoints: number;
  /** Hash of the latest checkpoint (GENESIS_HASH when there is none): write it down elsewhere, with its
   * id, to anchor the log — removing the newest checkpoints and what only they sealed can only be
   * detected against an outside copy. */
  headHash: string;
  /** The latest checkpoint after this verification. */
  checkpoint: { id: number; hash: string; at: string } | null;
  /** The first record (lowest global number) at which the log does not hold. */
  broken: ChainBreak | null;
  /** How many breaks were found (one per stream at most, plus checkpoints). */
  breaks: number;
  /** Records at the start of the global chain from before it was keyed (plain SHA-256; migration 0006). */
  legacyRecords: number;
}

export interface VerifyOptions {
  batchSize?: number;
  key?: AuditKey;
  /** Seal what verified (default true): a checkpoint of every stream head no checkpoint names yet. */
  checkpoint?: boolean;
  /** The checkpoint's time. */
  now?: Date;
}

/** Keeps the count of breaks and the first one (lowest seq; the first found on a tie). */
class Breaks {
  count = 0;
  first: ChainBreak | null = null;
  add(seq: number, reason: BreakReason, message: string, stream: string | null, checkpoint?: number) {
    this.count += 1;
    if (this.first === null || seq < this.first.seq) {
      this.first = { seq, reason, message, stream, checkpoint: checkpoint ?? null };
    }
  }
}

const RECORD_COLUMNS = [
  'seq',
  'stream',
  'stream_seq',
  'actor_id',
  'actor_name',
  'actor_role',
  'action',
  'target',
  'address',
  'prev_hash',
  'hash',
  'key_id',
] as const;

const fieldsOf = (row: {
  seq: number | string;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  action: string;
  target: string | null;
  address: string | null;
  prev_hash: string;
  at_micros: string;
  payload_text: string;
}) => ({
  seq: Number(row.seq),
  atMicros: row.at_micros,
  actorId: row.actor_id,
  actorName: row.actor_name,
  actorRole: row.actor_role,
  action: row.action,
  target: row.target,
  address: row.address,
  payloadText: row.payload_text,
  prevHash: row.prev_hash,
});

/**
 * Verifies the audit log under the audit key and names the first record where it does not hold:
 * - every stream (`case:<id>`, `user:<id>`…) from position 1 to its end: positions gapless, each record
 *   chained to the one before it in its stream, each HMAC recomputed (stream, position and global number
 *   included, so a moved or reordered record breaks);
 * - the closed global chain of records from before migration 0037, in seq order, as before (plain SHA-256
 *   records from before keying accepted only at its start);
 * - the checkpoints, in order: each chained to the previous one and its HMAC over the heads it names, and
 *   every head it names still in the log with that hash — so a stream's newest records, or a whole stream,
 *   removed after a checkpoint sealed them are found;
 * - the stream head rows against the log (a weak check: their owner can move them back).
 * When all holds it seals what it verified (one checkpoint of the heads no checkpoint names yet), unless
 * `checkpoint: false`. Reads in batches, in constant memory but for the list of unsealed heads.
 */
export async function verifyAuditChain(db: Kysely<DB>, options: VerifyOptions = {}): Promise<ChainReport> {
  const batchSize = options.batchSize ?? 1000;
  const key = options.key ?? auditKey();
  const breaks = new Breaks();

  const global = await verifyGlobalChain(db, key, batchSize, breaks);
  const walked = await verifyStreams(db, key, batchSize, breaks);
  await checkHeadRows(db, breaks, global.last);
  const checkpoints = await verifyCheckpoints(db, key, breaks);

  const uncovered = [...walked.uncovered];
  if (global.last) {
    const sealed = (await sealedPositions(db, [GLOBAL_STREAM])).get(GLOBAL_STREAM) ?? 0;
    if (sealed > 0 && global.last.streamSeq > sealed) {
      // the global chain was closed by migration 0037 and sealed whole: nothing may follow its seal
      breaks.add(
        sealed + 1,
        'checkpoint_mismatch',
        `audit record #${sealed + 1} was added to the old global chain after a checkpoint closed it at #${sealed}`,
        null,
      );
    } else if (sealed < global.last.streamSeq) {
      uncovered.push(global.last);
    }
    // records from before keying are trusted only under something keyed after them
    if (global.legacy === global.records && sealed === 0) {
      breaks.add(
        global.last.seq + 1,
        'unkeyed_chain',
        'no audit record is keyed and no checkpoint seals them: the log was written or rewritten without the audit key',
        null,
      );
    }
  }

  let written = 0;
  if (breaks.count === 0 && options.checkpoint !== false && uncovered.length > 0) {
    written = (await sealHeads(db, uncovered, 'verify', options.now ?? new Date())).length;
  }
  const latest = await latestCheckpoint(db);
  return {
    ok: breaks.count === 0,
    records: global.records + walked.records,
    streams: walked.streams + (global.records > 0 ? 1 : 0),
    checkpoints: checkpoints + written,
    headHash: latest?.hash ?? GENESIS_HASH,
    checkpoint: latest,
    broken: breaks.first,
    breaks: breaks.count,
    legacyRecords: global.legacy,
  };
}

/** The closed global chain (records without a stream, written before migration 0037), by seq from 1. */
async function verifyGlobalChain(db: Kysely<DB>, key: AuditKey, batchSize: number, breaks: Breaks) {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let records = 0;
  let legacy = 0;
  let last: CheckpointHead | null = null;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .select(RECORD_COLUMNS)
      .select(sql<string>`(extract(epoch from at) * 1000000)::bigint::text`.as('at_micros'))
      .select(sql<string>`payload::text`.as('payload_text'))
      .where('stream', 'is', null)
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      const fail = (reason: BreakReason, message: string) => {
        breaks.add(seq, reason, message, null);
        return { records, legacy, last };
      };
      if (seq !== expectedSeq) {
        return fail('missing_record', `audit record #${expectedSeq} is missing (next is #${seq})`);
      }
      if (row.prev_hash !== prevHash) {
        return fail('prev_hash_mismatch', `audit record #${seq} does not chain to record #${seq - 1}`);
      }
      const fields = fieldsOf(row);
      let hash: string;
      if (row.key_id === null) {
        if (records > legacy) {
          return fail(
            'unkeyed_record',
            `audit record #${seq} is not keyed: it was re-hashed without the key`,
          );
        }
        hash = hashAuditRecord(fields);
        legacy += 1;
      } else if (row.key_id !== key.id) {
        return fail(
          'unknown_key',
          `audit record #${seq} was keyed with key ${row.key_id}, not the configured key ${key.id}`,
        );
      } else {
        hash = macAuditRecord(fields, key);
      }
      if (hash !== row.hash) {
        return fail('hash_mismatch', `audit record #${seq} was changed after it was written`);
      }
      prevHash = row.hash;
      expectedSeq = seq + 1;
      records += 1;
      last = { stream: GLOBAL_STREAM, streamSeq: seq, seq, hash: row.hash };
    }
    if (rows.length < batchSize) break;
  }
  return { records, legacy, last };
}

/** Every stream in (stream, position) order; collects the heads no checkpoint names yet. */
async function verifyStreams(db: Kysely<DB>, key: AuditKey, batchSize: number, breaks: Breaks) {
  let records = 0;
  let streams = 0;
  const uncovered: CheckpointHead[] = [];
  let ended: CheckpointHead[] = [];
  const flush = async () => {
    if (ended.length === 0) return;
    const sealed = await sealedPositions(
      db,
      ended.map((h) => h.stream),
    );
    for (const h of ended) if ((sealed.get(h.stream) ?? 0) < h.streamSeq) uncovered.push(h);
    ended = [];
  };
  let stream: string | null = null;
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let broken = false;
  let last: CheckpointHead | null = null;
  const endStream = () => {
    if (!broken && last) ended.push(last);
  };
  let cursor: { stream: string; pos: number } | null = null;
  for (;;) {
    let q = db
      .selectFrom('audit_log')
      .select(RECORD_COLUMNS)
      .select(sql<string>`(extract(epoch from at) * 1000000)::bigint::text`.as('at_micros'))
      .select(sql<string>`payload::text`.as('payload_text'))
      .where('stream', 'is not', null);
    if (cursor) q = q.where(sql<boolean>`(stream, stream_seq) > (${cursor.stream}, ${cursor.pos})`);
    const rows = await q.orderBy('stream').orderBy('stream_seq').limit(batchSize).execute();
    for (const row of rows) {
      const name = row.stream!;
      const pos = Number(row.stream_seq);
      const seq = Number(row.seq);
      cursor = { stream: name, pos };
      if (name !== stream) {
        endStream();
        stream = name;
        expected = 1;
        prevHash = GENESIS_HASH;
        broken = false;
        last = null;
        streams += 1;
      }
      records += 1;
      if (broken) continue;
      const fail = (reason: BreakReason, message: string) => {
        breaks.add(seq, reason, message, name);
        broken = true;
      };
      const where = `audit record #${seq} (${name}, position ${pos})`;
      if (pos > expected) {
        fail(
          'missing_record',
          `${where}: position${pos - expected > 1 ? `s ${expected}–${pos - 1}` : ` ${expected}`} of the stream ${pos - expected > 1 ? 'are' : 'is'} missing: removed`,
        );
        continue;
      }
      if (pos < expected || row.prev_hash !== prevHash) {
        fail('prev_hash_mismatch', `${where} does not chain to the record before it in its stream`);
        continue;
      }
      if (row.key_id === null) {
        fail('unkeyed_record', `${where} is not keyed: it was re-hashed without the key`);
        continue;
      }
      if (row.key_id !== key.id) {
        fail('unknown_key', `${where} was keyed with key ${row.key_id}, not the configured key ${key.id}`);
        continue;
      }
      const hash = macStreamRecord({ ...fieldsOf(row), stream: name, streamSeq: pos }, key);
      if (hash !== row.hash) {
        fail('hash_mismatch', `${where} was changed after it was written`);
        continue;
      }
      prevHash = row.hash;
      expected = pos + 1;
      last = { stream: name, streamSeq: pos, seq, hash: row.hash };
    }
    if (ended.length >= batchSize) await flush();
    if (rows.length < batchSize) break;
  }
  endStream();
  await flush();
  return { records, streams, uncovered };
}

/** The newest position each stream has sealed by a checkpoint. */
async function sealedPositions(db: Kysely<DB>, streams: string[]): Promise<Map<string, number>> {
  const { rows } = await sql<{ stream: string; pos: string }>`
    select stream, max(stream_seq)::text as pos from audit_checkpoint_heads
    where stream = any(${streams}::text[]) group by stream`.execute(db);
  return new Map(rows.map((r) => [r.stream, Number(r.pos)]));
}

/** The head rows against the log: a head the log does not reach means its newest records were removed. */
async function checkHeadRows(db: Kysely<DB>, breaks: Breaks, globalLast: CheckpointHead | null) {
  const { rows } = await sql<{ stream: string; stream_seq: string; seq: string; hash: string }>`
    select s.stream, s.stream_seq::text, s.seq::text, s.hash
    from audit_streams s
    left join audit_log l on l.stream = s.stream and l.stream_seq = s.stream_seq
    where s.stream <> ${GLOBAL_STREAM} and s.stream_seq > 0 and l.hash is distinct from s.hash`.execute(db);
  for (const r of rows) {
    breaks.add(
      Number(r.seq),
      'head_mismatch',
      `the stream ${r.stream} ends before its head, record #${r.seq} (position ${r.stream_seq}): its newest records were removed`,
      r.stream,
    );
  }
  const head = await db
    .selectFrom('audit_streams')
    .select(['stream_seq', 'seq', 'hash'])
    .where('stream', '=', GLOBAL_STREAM)
    .executeTakeFirst();
  const end = globalLast?.streamSeq ?? 0;
  if (
    head &&
    Number(head.stream_seq) > 0 &&
    (Number(head.stream_seq) !== end || head.hash !== globalLast?.hash)
  ) {
    breaks.add(
      Number(head.seq),
      'head_mismatch',
      `the log ends at #${end} but its head says #${head.seq}`,
      null,
    );
  }
}

/** The checkpoint chain, and every head it seals against the log. Returns how many checkpoints held. */
async function verifyCheckpoints(db: Kysely<DB>, key: AuditKey, breaks: Breaks): Promise<number> {
  let expectedId = 1;
  let prevHash = GENESIS_HASH;
  let verified = 0;
  const broken = (id: number, message: string) => {
    breaks.add(0, 'checkpoint_broken', message, null, id);
    return verified;
  };
  for (;;) {
    // a batch of checkpoints holding at most ~20,000 heads (at least one checkpoint)
    const listed = await db
      .selectFrom('audit_checkpoints')
      .select(['id', 'kind', 'heads', 'heads_digest', 'prev_hash', 'hash', 'key_id'])
      .select(sql<string>`(extract(epoch from at) * 1000000)::bigint::text`.as('at_micros'))
      .where('id', '>=', expectedId)
      .orderBy('id')
      .limit(200)
      .execute();
    if (listed.length === 0) break;
    let total = 0;
    const batch = listed.filter((c, i) => {
      total += Number(c.heads);
      return i === 0 || total <= 20_000;
    });
    const from = Number(batch[0]!.id);
    const to = Number(batch.at(-1)!.id);
    const headRows = await db
      .selectFrom('audit_checkpoint_heads')
      .select(['checkpoint_id', 'stream', 'stream_seq', 'seq', 'hash'])
      .where('checkpoint_id', '>=', from)
      .where('checkpoint_id', '<=', to)
      .execute();
    const byCheckpoint = new Map<number, CheckpointHead[]>();
    for (const h of headRows) {
      const id = Number(h.checkpoint_id);
      const list = byCheckpoint.get(id) ?? [];
      list.push({ stream: h.stream, streamSeq: Number(h.stream_seq), seq: Number(h.seq), hash: h.hash });
      byCheckpoint.set(id, list);
    }
    for (const c of batch) {
      const id = Number(c.id);
      if (id !== expectedId) {
        return broken(expectedId, `audit checkpoint ${expectedId} is missing (next is ${id})`);
      }
      if (c.prev_hash !== prevHash) {
        return broken(id, `audit checkpoint ${id} does not chain to checkpoint ${id - 1}`);
      }
      if (c.key_id !== key.id) {
        return broken(
          id,
          `audit checkpoint ${id} was keyed with key ${c.key_id}, not the configured key ${key.id}`,
        );
      }
      const heads = byCheckpoint.get(id) ?? [];
      const hash = macCheckpoint(
        {
          id,
          atMicros: c.at_micros,
          kind: c.kind,
          heads: heads.length,
          headsDigest: digestHeads(heads),
          prevHash: c.prev_hash,
        },
        key,
      );
      if (hash !== c.hash) {
        return broken(id, `audit checkpoint ${id} or the heads it seals were changed after it was written`);
      }
      await checkSealedHeads(db, id, heads, breaks);
      prevHash = c.hash;
      expectedId = id + 1;
      verified += 1;
    }
  }
  return verified;
}

/** Each head a checkpoint seals must still be in the log with that hash. */
async function checkSealedHeads(db: Kysely<DB>, id: number, heads: CheckpointHead[], breaks: Breaks) {
  for (let i = 0; i < heads.length; i += 5_000) {
    const part = heads.slice(i, i + 5_000);
    const inStreams = part.filter((h) => h.stream !== GLOBAL_STREAM);
    const found = new Map<string, { hash: string; seq: number }>();
    if (inStreams.length > 0) {
      const { rows } = await sql<{ stream: string; stream_seq: string; seq: string; hash: string }>`
        select l.stream, l.stream_seq::text, l.seq::text, l.hash
        from unnest(${inStreams.map((h) => h.stream)}::text[], ${inStreams.map((h) => h.streamSeq)}::bigint[])
          as h(stream, stream_seq)
        join audit_log l on l.stream = h.stream and l.stream_seq = h.stream_seq`.execute(db);
      for (const r of rows) found.set(`${r.stream}\0${r.stream_seq}`, { hash: r.hash, seq: Number(r.seq) });
    }
    const global = part.filter((h) => h.stream === GLOBAL_STREAM);
    if (global.length > 0) {
      const rows = await db
        .selectFrom('audit_log')
        .select(['seq', 'hash'])
        .where('stream', 'is', null)
        .where(
          'seq',
          'in',
          global.map((h) => h.streamSeq),
        )
        .execute();
      for (const r of rows) found.set(`${GLOBAL_STREAM}\0${r.seq}`, { hash: r.hash, seq: Number(r.seq) });
    }
    for (const h of part) {
      const record = found.get(`${h.stream}\0${h.streamSeq}`);
      const where = `audit record #${h.seq} (${h.stream}, position ${h.streamSeq}), sealed by checkpoint ${id},`;
      if (!record) {
        breaks.add(
          h.seq,
          'truncated_stream',
          `${where} is gone: the stream's newest records or the whole stream were removed`,
          h.stream,
          id,
        );
      } else if (record.hash !== h.hash || record.seq !== h.seq) {
        breaks.add(h.seq, 'checkpoint_mismatch', `${where} was rewritten since`, h.stream, id);
      }
    }
  }
}
