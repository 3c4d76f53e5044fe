import { createHash, createHmac } from 'node:crypto';

/** The hash of the (virtual) record before the first one. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The fields of an audit record that its hash covers (everything but the hash itself), in the exact
 * form the database gives them back: the time as microseconds since the epoch (timestamptz keeps
 * microseconds; a Date would drop them) and the payload as PostgreSQL's own `jsonb::text`. So every
 * byte that can change in a stored record changes the hash — `2.5` → `2.50` included.
 */
export interface HashedAuditFields {
  seq: number;
  atMicros: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  target: string | null;
  address: string | null;
  payloadText: string;
  prevHash: string;
}

const canonicalOf = (r: HashedAuditFields): string =>
  JSON.stringify([
    r.seq,
    r.atMicros,
    r.actorId,
    r.actorName,
    r.actorRole,
    r.action,
    r.target,
    r.address,
    r.payloadText,
    r.prevHash,
  ]);

/**
 * Plain SHA-256 (hex) over the record's fields, chained to the previous record's hash: the form of the
 * records written before the chain was keyed (migration 0006). Anyone can recompute it — so anyone who
 * can write the table can forge it; verification accepts it only at the start of the chain.
 */
export function hashAuditRecord(r: HashedAuditFields): string {
  return createHash('sha256').update(canonicalOf(r), 'utf8').digest('hex');
}

/** An audit key: its secret bytes and its id (stored with each record; reveals nothing of the key). */
export interface AuditKey {
  id: string;
  secret: Buffer;
}

/** The id of a key: the first 16 hex digits of a domain-separated SHA-256 of it. */
export const auditKeyId = (secret: Buffer): string =>
  createHash('sha256').update('liandong audit key id\0').update(secret).digest('hex').slice(0, 16);

export const auditKeyOf = (secret: Buffer): AuditKey => ({ id: auditKeyId(secret), secret });

/** HMAC-SHA-256 (hex) of the record's fields and the key id, under the audit key. */
export function macAuditRecord(r: HashedAuditFields, key: AuditKey): string {
  return createHmac('sha256', key.secret)
    .update(JSON.stringify([key.id, canonicalOf(r)]), 'utf8')
    .digest('hex');
}

/**
 * The fields of a record of a per-stream chain (migration 0037): the fields above plus the stream it
 * belongs to and its position in it. `prevHash` is the hash of the record before it **in its stream**
 * (GENESIS_HASH for position 1); `seq` is the global number, increasing but not gapless.
 */
export interface HashedStreamFields extends HashedAuditFields {
  stream: string;
  streamSeq: number;
}

/** HMAC-SHA-256 (hex) of a stream record: the stream and its position are covered, so a record moved
 * to another position or stream, or another record put in its place, no longer matches. */
export function macStreamRecord(r: HashedStreamFields, key: AuditKey): string {
  return createHmac('sha256', key.secret)
    .update(JSON.stringify(['stream', key.id, r.stream, r.streamSeq, canonicalOf(r)]), 'utf8')
    .digest('hex');
}

/** A stream head as a checkpoint seals it. */
export interface CheckpointHead {
  stream: string;
  streamSeq: number;
  /** The global seq of the head record (so a removed record can be named). */
  seq: number;
  hash: string;
}

/** The one order of heads in a checkpoint (UTF-16 code units, not a database collation). */
export const compareHeads = (a: CheckpointHead, b: CheckpointHead): number =>
  a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0;

/** SHA-256 (hex) over a checkpoint's heads, in `compareHeads` order. */
export function digestHeads(heads: readonly CheckpointHead[]): string {
  const sorted = [...heads].sort(compareHeads);
  const h = createHash('sha256');
  for (const x of sorted) h.update(JSON.stringify([x.stream, x.streamSeq, x.seq, x.hash]) + '\n', 'utf8');
  return h.digest('hex');
}

/** The fields of a checkpoint its HMAC covers. */
export interface CheckpointFields {
  id: number;
  atMicros: string;
  kind: string;
  heads: number;
  headsDigest: string;
  prevHash: string;
}

/** HMAC-SHA-256 (hex) of a checkpoint, under the audit key: chained to the previous checkpoint's hash. */
export function macCheckpoint(c: CheckpointFields, key: AuditKey): string {
  return createHmac('sha256', key.secret)
    .update(
      JSON.stringify(['checkpoint', key.id, c.id, c.atMicros, c.kind, c.heads, c.headsDigest, c.prevHash]),
      'utf8',
    )
    .digest('hex');
}

/** Microseconds since the epoch of a millisecond Date, as the database reports it. */
export const microsOf = (at: Date): string => (BigInt(at.getTime()) * 1000n).toString();
