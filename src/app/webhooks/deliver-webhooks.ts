import { sql } from 'kysely';
import { nextRetryAt, signWebhook } from '../../core/webhooks/index.ts';
import type { WebhookDeps } from './deps.ts';
import { sendWebhook, type SendResult } from './send-webhook.ts';

export interface DeliverOptions {
  /** Deliveries claimed per pass. */
  batchSize?: number;
  /** Requests in flight at once. */
  concurrency?: number;
}

export interface DeliverReport {
  attempted: number;
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * How long a claimed delivery stays invisible to other processes: past the attempt's timeout with room for
 * recording it. A process that dies mid-attempt delays that delivery by this much, no more.
 */
export const leaseMs = (timeoutMs: number): number => 2 * timeoutMs + 5_000;

/** The secrets that sign now: the current one, and the previous one while its rotation grace lasts. */
export function signingSecrets(
  sub: { secret: string; previous_secret: string | null; previous_secret_until: Date | null },
  now: Date,
): string[] {
  return sub.previous_secret && sub.previous_secret_until && sub.previous_secret_until > now
    ? [sub.secret, sub.previous_secret]
    : [sub.secret];
}

/**
 * One delivery pass: claims due deliveries of enabled subscriptions (FOR UPDATE SKIP LOCKED, so each is
 * claimed by one process) and leases them — the claim moves `next_attempt_at` past the attempt's timeout
 * and commits before any request is made (PGlite has one connection; no transaction is held over the
 * network). Then it POSTs each, signed (Standard Webhooks), and records the attempt with its outcome in
 * a second transaction: delivered on 2xx, else retried with exponential backoff and jitter, or `failed`
 * once the day is over. A process killed mid-attempt leaves the lease to expire, and another process
 * delivers again: at least once, never lost (receivers de-duplicate by `webhook-id`).
 */
export async function deliverDueWebhooks(
  deps: WebhookDeps,
  options: DeliverOptions = {},
): Promise<DeliverReport> {
  const batchSize = options.batchSize ?? 50;
  const concurrency = options.concurrency ?? 4;
  const random = deps.random ?? Math.random;
  const report: DeliverReport = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
  const now = deps.now();
  const lease = new Date(now.getTime() + leaseMs(deps.timeoutMs));
  const claimed = await deps.database.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
      .select('d.id')
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where('s.enabled', '=', true)
      .orderBy('d.next_attempt_at')
      .orderBy('d.id')
      .limit(batchSize)
      .forUpdate(['d'])
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    await trx
      .updateTable('webhook_deliveries')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: lease, last_attempt_at: now }))
      .where(
        'id',
        'in',
        due.map((d) => d.id),
      )
      .execute();
    return trx
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
      .select([
        'd.id',
        'd.attempts',
        'd.message_id',
        'd.body',
        'd.window_start',
        's.id as subscription_id',
        's.url',
        's.secret',
        's.previous_secret',
        's.previous_secret_until',
      ])
      .where(
        'd.id',
        'in',
        due.map((d) => d.id),
      )
      .orderBy('d.id')
      .execute();
  });

  const queue = [...claimed];
  const worker = async () => {
    for (let d = queue.shift(); d; d = queue.shift()) {
      const timestamp = Math.floor(now.getTime() / 1000);
      const headers = {
        'webhook-id': d.message_id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(signingSecrets(d, now), d.message_id, timestamp, d.body),
      };
      const result = await sendWebhook(d.url, headers, d.body, {
        timeoutMs: deps.timeoutMs,
        allowLocal: deps.allowLocal,
      });
      report.attempted++;
      const state = await recordAttempt(deps, d, result, now, random());
      report[state]++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
  return report;
}

async function recordAttempt(
  deps: WebhookDeps,
  d: { id: number; attempts: number; window_start: Date; subscription_id: string; message_id: string },
  result: SendResult,
  now: Date,
  random: number,
): Promise<'delivered' | 'retrying' | 'failed'> {
  const ok = result.outcome === 'success';
  const retryAt = ok ? null : nextRetryAt(d.attempts, d.window_start, now, random);
  const state = ok ? 'delivered' : retryAt ? 'retrying' : 'failed';
  if (!ok) {
    deps.log?.warn(
      {
        webhook: {
          delivery: Number(d.id),
          subscription: d.subscription_id,
          id: d.message_id,
          attempt: d.attempts,
        },
        outcome: result.outcome,
        statusCode: result.statusCode,
        error: result.error,
        retryAt,
      },
      state === 'failed' ? 'webhook delivery failed for good' : 'webhook attempt failed',
    );
  }
  await deps.database.db.transaction().execute(async (trx) => {
    // the subscription (and its deliveries) may have been deleted while the request was out
    const still = await trx
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('id', '=', d.id)
      .forUpdate()
      .executeTakeFirst();
    if (!still) return;
    await trx
      .insertInto('webhook_attempts')
      .values({
        delivery_id: d.id,
        attempt: d.attempts,
        at: now,
        latency_ms: result.latencyMs,
        status_code: result.statusCode,
        outcome: result.outcome,
        error: result.error,
      })
      .execute();
    // only the claim that is still ours: a replay or a later claim (after our lease ran out) wins
    await trx
      .updateTable('webhook_deliveries')
      .set({
        status: ok ? 'delivered' : retryAt ? 'pending' : 'failed',
        next_attempt_at: retryAt ?? now,
        last_status_code: result.statusCode,
        last_error: result.error,
        delivered_at: ok ? now : null,
      })
      .where('id', '=', d.id)
      .where('attempts', '=', d.attempts)
      .where('status', '=', 'pending')
      .execute();
  });
  return state;
}

/** Deliveries waiting to be sent (for the CLI and tests). */
export async function countPendingWebhooks(deps: Pick<WebhookDeps, 'database'>): Promise<number> {
  const row = await deps.database.db
    .selectFrom('webhook_deliveries')
    .select(sql<number>`count(*)`.as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
