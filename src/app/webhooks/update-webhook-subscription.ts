import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { WebhookDeps } from './deps.ts';
import {
  assertCanManageWebhooks,
  checkSubscriptionInput,
  type WebhookSubscriptionInput,
} from './subscription-input.ts';
import { readSubscriptionView, type WebhookSubscriptionView } from './subscription-view.ts';

type Deps = Pick<WebhookDeps, 'database' | 'now' | 'allowLocal'>;

/**
 * Changes a subscription: endpoint, filters, personal data, enabled (district admins; audited). Disabling
 * keeps its deliveries pending (none is sent while disabled); enabling resumes them. Filters apply to
 * events fanned out from now on.
 */
export async function updateWebhookSubscription(
  deps: Deps,
  actor: Actor,
  id: string,
  input: WebhookSubscriptionInput,
  client: { address?: string } = {},
): Promise<WebhookSubscriptionView> {
  assertCanManageWebhooks(actor);
  const db = deps.database.db;
  await checkSubscriptionInput(db, input, deps.allowLocal);
  const now = deps.now();
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('webhook_subscriptions')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.eventTypes !== undefined ? { event_types: [...new Set(input.eventTypes)] } : {}),
        ...(input.regionCodes !== undefined ? { region_codes: [...new Set(input.regionCodes)] } : {}),
        ...(input.categoryCodes !== undefined ? { category_codes: [...new Set(input.categoryCodes)] } : {}),
        ...(input.includePersonal !== undefined ? { include_personal: input.includePersonal } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new AppError('not_found', `No webhook subscription ${id}`);
    await appendAudit(trx, {
      actor,
      action: 'webhook.update',
      target: `webhook:${id}`,
      address: client.address ?? null,
      payload: { ...input },
      at: now,
    });
  });
  return readSubscriptionView(db, now, id);
}
