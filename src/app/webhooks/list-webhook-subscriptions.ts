import type { Actor } from '../../core/actor.ts';
import type { WebhookDeps } from './deps.ts';
import { assertCanManageWebhooks } from './subscription-input.ts';
import {
  readSubscriptionView,
  readSubscriptionViews,
  type WebhookSubscriptionView,
} from './subscription-view.ts';

type Deps = Pick<WebhookDeps, 'database' | 'now'>;

/** Every subscription with its delivery counts (district admins). */
export async function listWebhookSubscriptions(deps: Deps, actor: Actor): Promise<WebhookSubscriptionView[]> {
  assertCanManageWebhooks(actor);
  return readSubscriptionViews(deps.database.db, deps.now());
}

/** One subscription (district admins). */
export async function getWebhookSubscription(
  deps: Deps,
  actor: Actor,
  id: string,
): Promise<WebhookSubscriptionView> {
  assertCanManageWebhooks(actor);
  return readSubscriptionView(deps.database.db, deps.now(), id);
}
