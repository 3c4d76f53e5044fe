import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { WebhookDeps } from './deps.ts';
import { assertCanManageWebhooks } from './subscription-input.ts';

/** Removes a subscription with its deliveries and their attempts (district admins; audited). */
export async function deleteWebhookSubscription(
  deps: Pick<WebhookDeps, 'database' | 'now'>,
  actor: Actor,
  id: string,
  client: { address?: string } = {},
): Promise<void> {
  assertCanManageWebhooks(actor);
  const now = deps.now();
  await deps.database.db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('webhook_subscriptions')
      .where('id', '=', id)
      .returning(['name', 'url'])
      .executeTakeFirst();
    if (!removed) throw new AppError('not_found', `No webhook subscription ${id}`);
    await appendAudit(trx, {
      actor,
      action: 'webhook.delete',
      target: `webhook:${id}`,
      address: client.address ?? null,
      payload: { name: removed.name, url: removed.url },
      at: now,
    });
  });
}
