import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../../core/errors.ts';
import type { DB } from '../../db/schema/index.ts';

/** Keys are opaque client strings (a UUID is typical); bounded so they stay index-friendly. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** JSON with object keys sorted, so the same body hashes the same whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const bodyHash = (body: unknown): string => createHash('sha256').update(canonical(body)).digest('hex');

/**
 * Claims an idempotency key for a new case, as the first statement of the creating transaction. The
 * primary key (actor, key) makes a concurrent request with the same key wait until this transaction
 * ends; it then finds the row and returns the case created by the first request (or, if that one
 * rolled back, claims the key itself). The same key with a different body is `idempotency_conflict`.
 * Returns null when the key was claimed for `caseId`, or the id of the existing case.
 */
export async function claimIdempotencyKey(
  trx: Kysely<DB>,
  claim: { actorId: string; key: string; hash: string; caseId: string; at: Date },
): Promise<string | null> {
  const inserted = await trx
    .insertInto('idempotency_keys')
    .values({
      actor_id: claim.actorId,
      key: claim.key,
      body_hash: claim.hash,
      case_id: claim.caseId,
      created_at: claim.at,
    })
    .onConflict((oc) => oc.columns(['actor_id', 'key']).doNothing())
    .returning('case_id')
    .executeTakeFirst();
  if (inserted) return null;
  const existing = await trx
    .selectFrom('idempotency_keys')
    .select(['body_hash', 'case_id'])
    .where('actor_id', '=', claim.actorId)
    .where('key', '=', claim.key)
    .executeTakeFirstOrThrow();
  if (existing.body_hash !== claim.hash) {
    throw new AppError('idempotency_conflict', 'This Idempotency-Key was used for a different request', {
      caseId: existing.case_id,
    });
  }
  return existing.case_id;
}
