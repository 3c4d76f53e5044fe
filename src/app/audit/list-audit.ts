import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { canReadAudit } from '../../core/policy/admin.ts';
import type { DB } from '../../db/schema/index.ts';

export interface AuditQuery {
  target?: string | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  /** The actor's user name (as recorded), exact. */
  actorName?: string | undefined;
  /** The kind of target: records whose target starts with `<entity>:` (user, case, category, matrix…). */
  entity?: string | undefined;
  /** The period: records at or after `from`, before `to` (ISO date-times). */
  from?: Date | undefined;
  to?: Date | undefined;
  /** Records with seq below this (keyset pagination, newest first). */
  before?: number | undefined;
  limit?: number | undefined;
}

export interface AuditRecordView {
  seq: number;
  at: string;
  actor: { id: string | null; name: string | null; role: string | null };
  action: string;
  target: string | null;
  address: string | null;
  payload: unknown;
  hash: string;
}

/** The audit log, newest first, for admins. */
export async function listAudit(
  db: Kysely<DB>,
  actor: Actor,
  query: AuditQuery,
): Promise<{ items: AuditRecordView[]; nextBefore: number | null }> {
  if (!canReadAudit(actor)) throw new AppError('forbidden', 'Only administrators may read the audit log');
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
  let q = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(limit);
  if (query.target) q = q.where('target', '=', query.target);
  if (query.actorId) q = q.where('actor_id', '=', query.actorId);
  if (query.action) q = q.where('action', '=', query.action);
  if (query.actorName) q = q.where('actor_name', '=', query.actorName);
  if (query.entity) q = q.where('target', 'like', `${query.entity.replace(/[\\%_]/g, '\\$&')}:%`);
  if (query.from) q = q.where('at', '>=', query.from);
  if (query.to) q = q.where('at', '<', query.to);
  if (query.before !== undefined) q = q.where('seq', '<', query.before);
  const rows = await q.execute();
  const items = rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at.toISOString(),
    actor: { id: r.actor_id, name: r.actor_name, role: r.actor_role },
    action: r.action,
    target: r.target,
    address: r.address,
    payload: r.payload,
    hash: r.hash,
  }));
  const last = items.at(-1);
  return { items, nextBefore: items.length === limit && last ? last.seq : null };
}
