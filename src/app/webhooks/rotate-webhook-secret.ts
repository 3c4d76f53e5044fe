import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { WebhookDeps } from './deps.ts';
import { newWebhookSecret } from './new-secret.ts';
import { assertCanManageWebhooks } from './subscription-input.ts';
import { readSubscriptionView, type WebhookSubscriptionView } from './subscription-view.ts';

/** How long the replaced secret keeps signing next to the new one (Standard Webhooks: several signatures). */
export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * Issues a new secret (returned once). For a day the previous one signs too — `webhook-signature` carries
 * `v1,<new> v1,<old>` — so the receiver can switch without losing a delivery. District admins; audited.
 */
export async function rotateWebhookSecret(
  deps: Pick<WebhookDeps, 'database' | 'now'>,
  actor: Actor,
  id: string,
  client: { address?: string } = {},
): Promise<{ subscription: WebhookSubscriptionView; secret: string }> {
  assertCanManageWebhooks(actor);
  const now = deps.now();
  const secret = newWebhookSecret();
  await deps.database.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('webhook_subscriptions')
      .select('secret')
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new AppError('not_found', `No webhook subscription ${id}`);
    await trx
      .updateTable('webhook_subscriptions')
      .set({
        secret,
        previous_secret: current.secret,
        previous_secret_until: new Date(now.getTime() + ROTATION_GRACE_MS),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, {
      actor,
      action: 'webhook.rotate_secret',
      target: `webhook:${id}`,
      address: client.address ?? null,
      at: now,
    });
  });
  return { subscription: await readSubscriptionView(deps.database.db, now, id), secret };
}
