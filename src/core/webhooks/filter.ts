import type { WebhookEventType } from './events.ts';

/** What a subscription asks for; an empty list means "all". */
export interface WebhookFilter {
  eventTypes: readonly string[];
  /** Region codes (district, street, committee or grid): the case must lie in one of them. */
  regionCodes: readonly string[];
  /** Category codes: a 大类 (2 digits) covers its 小类 (4 digits). */
  categoryCodes: readonly string[];
}

/** Where a case lies and what it is, as the filter sees it. */
export interface WebhookCaseFacts {
  categoryCode: string | null;
  districtCode: string;
  streetCode: string | null;
  committeeCode: string | null;
  gridCode: string | null;
}

/**
 * Whether a subscription wants an event of this type about this case. A case without a category yet (a
 * citizen's report before 立案) matches only subscriptions without a category filter.
 */
export function matchesWebhookFilter(
  filter: WebhookFilter,
  type: WebhookEventType,
  facts: WebhookCaseFacts,
): boolean {
  if (filter.eventTypes.length > 0 && !filter.eventTypes.includes(type)) return false;
  if (filter.regionCodes.length > 0) {
    const codes = [facts.districtCode, facts.streetCode, facts.committeeCode, facts.gridCode];
    if (!codes.some((c) => c !== null && filter.regionCodes.includes(c))) return false;
  }
  if (filter.categoryCodes.length > 0) {
    const category = facts.categoryCode;
    if (category === null) return false;
    if (!filter.categoryCodes.some((c) => category === c || (c.length === 2 && category.startsWith(c))))
      return false;
  }
  return true;
}
