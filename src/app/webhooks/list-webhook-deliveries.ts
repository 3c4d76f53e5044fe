import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import type { WebhookAttemptOutcome, WebhookDeliveryStatus } from '../../db/schema/webhooks.ts';
import type { WebhookDeps } from './deps.ts';
import { assertCanManageWebhooks } from './subscription-input.ts';

export interface WebhookDeliveryView {
  id: number;
  subscriptionId: string;
  subscriptionName: string;
  messageId: string;
  eventType: string;
  caseId: string;
  caseNo: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface WebhookAttemptView {
  attempt: number;
  at: string;
  latencyMs: number;
  statusCode: number | null;
  outcome: WebhookAttemptOutcome;
  error: string | null;
}

export interface DeliveryFilter {
  subscriptionId?: string;
  status?: WebhookDeliveryStatus;
  eventType?: string;
  caseNo?: string;
  /** Keyset cursor: deliveries with a smaller id (the list runs newest first). */
  before?: number;
  limit?: number;
}

type Deps = Pick<WebhookDeps, 'database'>;

function baseQuery(deps: Deps) {
  return deps.database.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .innerJoin('cases as c', 'c.id', 'd.case_id')
    .select([
      'd.id',
      'd.subscription_id',
      's.name as subscription_name',
      'd.message_id',
      'd.event_type',
      'd.case_id',
      'c.case_no',
      'd.status',
      'd.attempts',
      'd.next_attempt_at',
      'd.last_attempt_at',
      'd.last_status_code',
      'd.last_error',
      'd.delivered_at',
      'd.created_at',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

const present = (r: Row): WebhookDeliveryView => ({
  id: Number(r.id),
  subscriptionId: r.subscription_id,
  subscriptionName: r.subscription_name,
  messageId: r.message_id,
  eventType: r.event_type,
  caseId: r.case_id,
  caseNo: r.case_no,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
  lastAttemptAt: r.last_attempt_at?.toISOString() ?? null,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  deliveredAt: r.delivered_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

/** Deliveries, newest first, filtered by subscription, status, event type or case number (district admins). */
export async function listWebhookDeliveries(
  deps: Deps,
  actor: Actor,
  filter: DeliveryFilter,
): Promise<{ items: WebhookDeliveryView[]; nextBefore: number | null }> {
  assertCanManageWebhooks(actor);
  const limit = filter.limit ?? 50;
  let query = baseQuery(deps);
  if (filter.subscriptionId !== undefined)
    query = query.where('d.subscription_id', '=', filter.subscriptionId);
  if (filter.status !== undefined) query = query.where('d.status', '=', filter.status);
  if (filter.eventType !== undefined) query = query.where('d.event_type', '=', filter.eventType);
  if (filter.caseNo !== undefined) query = query.where('c.case_no', '=', filter.caseNo);
  if (filter.before !== undefined) query = query.where('d.id', '<', filter.before);
  const rows = await query
    .orderBy('d.id', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(present);
  return { items, nextBefore: rows.length > limit ? items[items.length - 1]!.id : null };
}

/** One delivery with every attempt, its signed body included (district admins). */
export async function getWebhookDelivery(
  deps: Deps,
  actor: Actor,
  id: number,
): Promise<WebhookDeliveryView & { body: string; attemptLog: WebhookAttemptView[] }> {
  assertCanManageWebhooks(actor);
  const row = await baseQuery(deps).select('d.body').where('d.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `No webhook delivery ${id}`);
  const attempts = await deps.database.db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', '=', id)
    .orderBy('id')
    .execute();
  return {
    ...present(row),
    body: row.body,
    attemptLog: attempts.map((a) => ({
      attempt: a.attempt,
      at: a.at.toISOString(),
      latencyMs: a.latency_ms,
      statusCode: a.status_code,
      outcome: a.outcome,
      error: a.error,
    })),
  };
}
