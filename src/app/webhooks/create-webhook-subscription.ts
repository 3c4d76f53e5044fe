import { randomUUID } from 'node:crypto';
import type { Actor } from '../../core/actor.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { WebhookDeps } from './deps.ts';
import { newWebhookSecret } from './new-secret.ts';
import {
  assertCanManageWebhooks,
  checkSubscriptionInput,
  type WebhookSubscriptionInput,
} from './subscription-input.ts';
import { readSubscriptionView, type WebhookSubscriptionView } from './subscription-view.ts';

type Deps = Pick<WebhookDeps, 'database' | 'now' | 'allowLocal'>;

/**
 * Subscribes an endpoint to case events (district admins; audited). The secret is returned here once and
 * never again (a rotation issues a new one).
 */
export async function createWebhookSubscription(
  deps: Deps,
  actor: Actor,
  input: WebhookSubscriptionInput & { name: string; url: string },
  client: { address?: string } = {},
): Promise<{ subscription: WebhookSubscriptionView; secret: string }> {
  assertCanManageWebhooks(actor);
  const db = deps.database.db;
  await checkSubscriptionInput(db, input, deps.allowLocal);
  const now = deps.now();
  const id = randomUUID();
  const secret = newWebhookSecret();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_subscriptions')
      .values({
        id,
        name: input.name,
        url: input.url,
        event_types: [...new Set(input.eventTypes ?? [])],
        region_codes: [...new Set(input.regionCodes ?? [])],
        category_codes: [...new Set(input.categoryCodes ?? [])],
        include_personal: input.includePersonal ?? false,
        enabled: input.enabled ?? true,
        secret,
        previous_secret: null,
        previous_secret_until: null,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await appendAudit(trx, {
      actor,
      action: 'webhook.create',
      target: `webhook:${id}`,
      address: client.address ?? null,
      payload: { name: input.name, url: input.url, includePersonal: input.includePersonal ?? false },
      at: now,
    });
  });
  return { subscription: await readSubscriptionView(db, now, id), secret };
}
