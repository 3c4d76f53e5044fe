import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema/index.ts';
import { auditKey } from './audit-key.ts';
import {
  compareHeads,
  digestHeads,
  GENESIS_HASH,
  macCheckpoint,
  microsOf,
  type CheckpointHead,
} from './hash.ts';

/** The pseudo-stream of the closed global chain written before migration 0037 (records with no stream). */
export const GLOBAL_STREAM = 'audit:global';

/** How often the server seals the stream heads (the job runs after each sweeper pass, ~every minute). */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;

/** At most this many heads in one checkpoint (the rest wait for the next one). */
export const MAX_CHECKPOINT_HEADS = 10_000;

export type CheckpointKind = 'scheduled' | 'verify' | 'seal';

export interface WrittenCheckpoint {
  id: number;
  hash: string;
  heads: number;
  at: string;
}

export interface CheckpointRun {
  /** Whether this process took the turn (false: another process holds it, or the last one is recent). */
  ran: boolean;
  skipped?: 'locked' | 'not_due';
  checkpoints: WrittenCheckpoint[];
  /** Streams still waiting (more than MAX_CHECKPOINT_HEADS were pending, or their writers held them). */
  more: boolean;
}

/**
 * Seals the heads of the streams written since their last checkpoint: one checkpoint row chained (HMAC
 * under the audit key) to the previous checkpoint, naming each head (stream, position, record seq, hash).
 * Once sealed, a stream's records up to that head cannot be removed — its newest ones or the whole stream —
 * nor changed without `audit verify` naming them.
 *
 * Exactly once across server processes: the turn is the one row of `audit_checkpoint_runs`, taken with
 * SKIP LOCKED (a process that finds it taken skips), and a scheduled run within `intervalMs` of the last
 * one skips as not due. Heads whose stream a writer holds right now are skipped too (SKIP LOCKED: the job
 * never waits on a write; they are sealed by the next run). Writers to the sealed streams wait only for
 * the rest of this short transaction.
 */
export async function checkpointAudit(
  db: Kysely<DB>,
  options: {
    now: Date;
    kind?: Exclude<CheckpointKind, 'verify'>;
    intervalMs?: number;
    /** Seal whatever is pending even when the last scheduled checkpoint is recent. */
    force?: boolean;
    maxHeads?: number;
  },
): Promise<CheckpointRun> {
  const kind = options.kind ?? 'scheduled';
  const interval = options.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS;
  const maxHeads = options.maxHeads ?? MAX_CHECKPOINT_HEADS;
  const run = async (trx: Kysely<DB>): Promise<CheckpointRun> => {
    const turn = await sql<{ last_scheduled_at: Date | null }>`
      select last_scheduled_at from audit_checkpoint_runs where id for update skip locked`.execute(trx);
    const row = turn.rows[0];
    if (!row) return { ran: false, skipped: 'locked', checkpoints: [], more: false };
    const last = row.last_scheduled_at ? new Date(row.last_scheduled_at).getTime() : null;
    const now = options.now.getTime();
    // a time in the future (a changed clock, or a row set to stop the job) does not hold it back
    if (!options.force && kind === 'scheduled' && last !== null && last <= now && now - last < interval) {
      return { ran: false, skipped: 'not_due', checkpoints: [], more: false };
    }
    const pending = await sql<{ stream: string; stream_seq: string; seq: string; hash: string }>`
      update audit_streams set checkpointed_seq = stream_seq
      where stream in (
        select stream from audit_streams where stream_seq > checkpointed_seq
        order by stream limit ${maxHeads} for update skip locked)
      returning stream, stream_seq, seq, hash`.execute(trx);
    const heads = pending.rows.map((r) => ({
      stream: r.stream,
      streamSeq: Number(r.stream_seq),
      seq: Number(r.seq),
      hash: r.hash,
    }));
    const checkpoints = heads.length > 0 ? [await writeCheckpoint(trx, heads, kind, options.now)] : [];
    if (kind === 'scheduled') {
      await trx
        .updateTable('audit_checkpoint_runs')
        .set({ last_scheduled_at: options.now })
        .where('id', '=', true)
        .execute();
    }
    return { ran: true, checkpoints, more: heads.length >= maxHeads };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/**
 * Writes the given heads as checkpoints (at most MAX_CHECKPOINT_HEADS each) after the latest one, waiting
 * for the turn (`audit verify` seals what it verified this way).
 */
export async function sealHeads(
  db: Kysely<DB>,
  heads: readonly CheckpointHead[],
  kind: CheckpointKind,
  now: Date,
): Promise<WrittenCheckpoint[]> {
  if (heads.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    await sql`select 1 from audit_checkpoint_runs where id for update`.execute(trx);
    const written: WrittenCheckpoint[] = [];
    const sorted = [...heads].sort(compareHeads);
    for (let i = 0; i < sorted.length; i += MAX_CHECKPOINT_HEADS) {
      written.push(await writeCheckpoint(trx, sorted.slice(i, i + MAX_CHECKPOINT_HEADS), kind, now));
    }
    // the job need not seal them again; a stream a writer holds right now is skipped (never waited on:
    // no deadlock with a writer), and sealed again by the job — harmless
    await sql`
      update audit_streams s set checkpointed_seq = greatest(s.checkpointed_seq, h.stream_seq)
      from unnest(${sorted.map((h) => h.stream)}::text[], ${sorted.map((h) => h.streamSeq)}::bigint[])
        as h(stream, stream_seq)
      where s.stream = h.stream and s.stream in (
        select stream from audit_streams where stream = any(${sorted.map((h) => h.stream)}::text[])
        for update skip locked)`.execute(trx);
    return written;
  });
}

/** The latest checkpoint (its id and hash), or none. */
export async function latestCheckpoint(
  db: Kysely<DB>,
): Promise<{ id: number; hash: string; at: string } | null> {
  const row = await db
    .selectFrom('audit_checkpoints')
    .select(['id', 'hash', 'at'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: Number(row.id), hash: row.hash, at: new Date(row.at).toISOString() } : null;
}

/** Appends one checkpoint of `heads` to the checkpoint chain; the caller holds the turn. */
async function writeCheckpoint(
  trx: Kysely<DB>,
  heads: readonly CheckpointHead[],
  kind: CheckpointKind,
  now: Date,
): Promise<WrittenCheckpoint> {
  const previous = await latestCheckpoint(trx);
  const id = (previous?.id ?? 0) + 1;
  const key = auditKey();
  const fields = {
    id,
    atMicros: microsOf(now),
    kind,
    heads: heads.length,
    headsDigest: digestHeads(heads),
    prevHash: previous?.hash ?? GENESIS_HASH,
  };
  const hash = macCheckpoint(fields, key);
  await trx
    .insertInto('audit_checkpoints')
    .values({
      id,
      at: now,
      kind,
      heads: heads.length,
      heads_digest: fields.headsDigest,
      prev_hash: fields.prevHash,
      hash,
      key_id: key.id,
    })
    .execute();
  // a few thousand rows per statement (5 parameters a row, under PostgreSQL's 65,535)
  for (let i = 0; i < heads.length; i += 2_000) {
    await trx
      .insertInto('audit_checkpoint_heads')
      .values(
        heads.slice(i, i + 2_000).map((h) => ({
          checkpoint_id: id,
          stream: h.stream,
          stream_seq: h.streamSeq,
          seq: h.seq,
          hash: h.hash,
        })),
      )
      .execute();
  }
  return { id, hash, heads: heads.length, at: now.toISOString() };
}

/**
 * The checkpoint job the server runs after each sweeper pass (safe on several processes: one seals, the
 * others skip). What it returns is logged — the server's log keeps an outside copy of every checkpoint's
 * id and hash, which anchors the log against removal of the newest checkpoints.
 */
export function auditHousekeeping(db: Kysely<DB>, now: () => Date = () => new Date()) {
  return [
    {
      name: 'audit checkpoint',
      run: async () => {
        const r = await checkpointAudit(db, { now: now() });
        return r.checkpoints.length > 0
          ? { checkpoints: r.checkpoints.map((c) => ({ id: c.id, hash: c.hash, heads: c.heads })) }
          : null;
      },
    },
  ];
}
