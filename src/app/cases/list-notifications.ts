import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import { caseScopeExpression } from '../../db/case-scope.ts';
import type { DB } from '../../db/schema/index.ts';

export interface NotificationView {
  id: number;
  kind: string;
  caseId: string | null;
  payload: unknown;
  createdAt: string;
  readAt: string | null;
  readBy: string | null;
  /**
   * Whether the notice's case is urgent (紧急) now: the one source of the 紧急 badge (issue 11 §6), not
   * the notice's own `urgent` flag (a 督办 notice is pressing on a case that is not). Null when the notice
   * names no case the reader may see.
   */
  caseUrgent: boolean | null;
  recipient: {
    userId: string | null;
    departmentId: string | null;
    regionCode: string | null;
    role: string | null;
  };
}

/**
 * The notifications addressed to the actor: to them personally, or to their unit (department or
 * territorial centre) — narrowed to one role of that unit when the notification says so.
 */
export function addressedTo(actor: Actor) {
  return (eb: ExpressionBuilder<DB, 'notifications'>): Expression<SqlBool> => {
    const role = eb.or([eb('recipient_role', 'is', null), eb('recipient_role', '=', actor.role)]);
    const parts: Expression<SqlBool>[] = [eb('recipient_user_id', '=', actor.userId)];
    if (actor.unit.kind === 'department')
      parts.push(eb.and([eb('recipient_department_id', '=', actor.unit.id), role]));
    if (actor.unit.kind === 'region')
      parts.push(eb.and([eb('recipient_region_code', '=', actor.unit.code), role]));
    return eb.or(parts);
  };
}

/**
 * Whether the notification's case is in the actor's case scope *now* (issue 9 finding 7): a department
 * taken off a case, or a patroller whose task ended, keeps its notices but no longer reads the case in
 * them. Uses the SQL twin of the scope policy (src/db/case-scope.ts).
 */
export const caseInScopeNow = (actor: Actor) =>
  sql<boolean>`(notifications.case_id is null or exists (select 1 from cases as scope_case where scope_case.id = notifications.case_id and ${caseScopeExpression(actor, 'scope_case')}))`.as(
    'in_scope',
  );

/** The notice's case's urgency now (read with `caseInScopeNow`; shown only for a case in scope). */
export const caseUrgentNow = () =>
  sql<
    boolean | null
  >`(select urgent_case.urgency = 'urgent' from cases as urgent_case where urgent_case.id = notifications.case_id)`.as(
    'case_urgent',
  );

/** What a notice about a case the recipient may no longer see still says: what happened, not to what. */
const REDACTED_KEYS = ['action', 'actionName', 'urgent', 'receipt', 'level', 'levelName'] as const;

export type NotificationRow = {
  id: number;
  kind: string;
  case_id: string | null;
  payload: unknown;
  created_at: Date;
  read_at: Date | null;
  read_by: string | null;
  recipient_user_id: string | null;
  recipient_department_id: string | null;
  recipient_region_code: string | null;
  recipient_role: string | null;
};

export const presentNotification = (
  n: NotificationRow & { in_scope: boolean; case_urgent: boolean | null },
): NotificationView => ({
  id: Number(n.id),
  kind: n.kind,
  caseId: n.in_scope ? n.case_id : null,
  payload: n.in_scope ? n.payload : redact(n.payload),
  createdAt: n.created_at.toISOString(),
  readAt: n.read_at?.toISOString() ?? null,
  readBy: n.read_by,
  caseUrgent: n.in_scope && n.case_id !== null ? n.case_urgent === true : null,
  recipient: {
    userId: n.recipient_user_id,
    departmentId: n.recipient_department_id,
    regionCode: n.recipient_region_code,
    role: n.recipient_role,
  },
});

/**
 * What a citizen's notice may say (issue 11 §5/§6, the public promise "no names, notes or internal
 * steps"): which of their cases, what happened to it in public terms, and their own description — never
 * who did it, urgency, receipts, levels or limits. Applied on reading, whatever the stored row holds.
 */
const PUBLIC_KEYS = ['caseNo', 'action', 'actionName', 'state', 'categoryCode', 'summary'] as const;

function publicPayload(payload: unknown): Record<string, unknown> | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  return Object.fromEntries(PUBLIC_KEYS.filter((k) => k in p).map((k) => [k, p[k]]));
}

/** A notification as the actor may read it: a citizen gets the public payload only. */
export const presentNotificationFor =
  (actor: Actor) =>
  (n: NotificationRow & { in_scope: boolean; case_urgent: boolean | null }): NotificationView => {
    const view = presentNotification(n);
    return actor.role === 'citizen'
      ? { ...view, caseUrgent: null, payload: view.payload === null ? null : publicPayload(view.payload) }
      : view;
  };

function redact(payload: unknown): Record<string, unknown> {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const kept = Object.fromEntries(REDACTED_KEYS.filter((k) => k in p).map((k) => [k, p[k]]));
  return { ...kept, redacted: true };
}

/** The actor's notifications, newest first, with keyset pagination on the id. */
export async function listNotifications(
  deps: { database: Database },
  actor: Actor,
  query: {
    unread?: boolean | undefined;
    /** One kind of notice (`report`, `dispatch`, `escalation`…). */
    kind?: string | undefined;
    caseId?: string | undefined;
    cursor?: string | undefined;
    limit?: number | undefined;
  },
): Promise<{ items: NotificationView[]; unreadCount: number; nextCursor: string | null }> {
  const { db } = deps.database;
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  let q = db
    .selectFrom('notifications')
    .selectAll()
    .select([caseInScopeNow(actor), caseUrgentNow()])
    .where(addressedTo(actor));
  if (query.unread) q = q.where('read_at', 'is', null);
  if (query.kind) q = q.where('kind', '=', query.kind);
  // asking by case is asking about the case: only for a case in scope
  if (query.caseId) q = q.where('case_id', '=', query.caseId).where(caseInScopeNow(actor).expression);
  if (query.cursor !== undefined) {
    const before = Number(query.cursor);
    if (!Number.isSafeInteger(before) || before < 0) {
      throw new AppError('validation_failed', 'Invalid cursor', {
        problems: [{ path: '/cursor', message: 'invalid cursor' }],
      });
    }
    q = q.where('id', '<', before);
  }
  const [rows, unread] = await Promise.all([
    q
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute(),
    db
      .selectFrom('notifications')
      .select(sql<number>`count(*)`.as('n'))
      .where(addressedTo(actor))
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(presentNotificationFor(actor)),
    unreadCount: Number(unread.n),
    nextCursor: rows.length > limit && last ? String(last.id) : null,
  };
}
