import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError, refusal } from '../../core/errors.ts';
import { canManageWebhooks } from '../../core/policy/admin.ts';
import { checkWebhookUrl } from '../../core/webhooks/index.ts';
import type { DB } from '../../db/schema/index.ts';

/** What an administrator may set on a subscription (every field optional on update). */
export interface WebhookSubscriptionInput {
  name?: string;
  url?: string;
  eventTypes?: string[];
  regionCodes?: string[];
  categoryCodes?: string[];
  includePersonal?: boolean;
  enabled?: boolean;
}

export function assertCanManageWebhooks(actor: Actor): void {
  if (!canManageWebhooks(actor))
    throw new AppError('forbidden', 'Only district administrators manage webhooks');
}

/** Checks the endpoint (SSRF rules) and that the named regions and categories exist. */
export async function checkSubscriptionInput(
  db: Kysely<DB>,
  input: WebhookSubscriptionInput,
  allowLocal: boolean,
): Promise<void> {
  if (input.url !== undefined) {
    const problem = checkWebhookUrl(input.url, allowLocal);
    if (problem)
      throw refusal('validation_failed', 'webhook_url_refused', `The endpoint is refused: ${problem}`, {
        problem,
      });
  }
  const regions = [...new Set(input.regionCodes ?? [])];
  if (regions.length > 0) {
    const found = await db.selectFrom('regions').select('code').where('code', 'in', regions).execute();
    const missing = regions.filter((c) => !found.some((f) => f.code === c));
    if (missing.length > 0)
      throw refusal('validation_failed', 'unknown_region', `No region ${missing.join(', ')}`, {
        codes: missing,
      });
  }
  const categories = [...new Set(input.categoryCodes ?? [])];
  if (categories.length > 0) {
    const found = await db.selectFrom('categories').select('code').where('code', 'in', categories).execute();
    const missing = categories.filter((c) => !found.some((f) => f.code === c));
    if (missing.length > 0)
      throw refusal('validation_failed', 'unknown_category', `No category ${missing.join(', ')}`, {
        codes: missing,
      });
  }
}
