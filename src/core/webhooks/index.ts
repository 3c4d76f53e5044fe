/** Webhooks (issue 15, DESIGN §8), pure: event types, filters, payloads, signatures, retries, endpoint checks. */
export * from './events.ts';
export * from './filter.ts';
export * from './payload.ts';
export * from './retry.ts';
export * from './signature.ts';
export * from './target.ts';
