import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { WebhookDeps } from './deps.ts';
import { assertCanManageWebhooks } from './subscription-input.ts';

/**
 * Sends a delivery again (district admins; audited): it becomes pending and due now, with a new day of
 * retries; the same `webhook-id` and body, so a receiver that has it already recognises it. Its attempt
 * log goes on.
 */
export async function replayWebhookDelivery(
  deps: Pick<WebhookDeps, 'database' | 'now'>,
  actor: Actor,
  id: number,
  client: { address?: string } = {},
): Promise<void> {
  assertCanManageWebhooks(actor);
  const now = deps.now();
  await deps.database.db.transaction().execute(async (trx) => {
    const replayed = await trx
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', window_start: now, next_attempt_at: now, delivered_at: null })
      .where('id', '=', id)
      .returning(['subscription_id', 'message_id'])
      .executeTakeFirst();
    if (!replayed) throw new AppError('not_found', `No webhook delivery ${id}`);
    await appendAudit(trx, {
      actor,
      action: 'webhook.replay',
      target: `webhook:${replayed.subscription_id}`,
      address: client.address ?? null,
      payload: { delivery: id, messageId: replayed.message_id },
      at: now,
    });
  });
}
