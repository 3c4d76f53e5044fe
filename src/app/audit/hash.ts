import { createHash } from 'node:crypto';

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

/** SHA-256 (hex) over the record's fields, chained to the previous record's hash. */
export function hashAuditRecord(r: HashedAuditFields): string {
  const canonical = JSON.stringify([
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
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Microseconds since the epoch of a millisecond Date, as the database reports it. */
export const microsOf = (at: Date): string => (BigInt(at.getTime()) * 1000n).toString();
