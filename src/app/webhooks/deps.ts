import type { Database } from '../../db/database.ts';
import type { Logger } from '../logger.ts';

/** What the webhook use cases and the delivery worker need. */
export interface WebhookDeps {
  database: Database;
  now: () => Date;
  /** Refusals, failed attempts and errors of the background passes (nothing is swallowed silently). */
  log?: Logger;
  /** WEBHOOKS_ALLOW_LOCAL: admit http(s) endpoints on localhost (development and tests). */
  allowLocal: boolean;
  /** How long one attempt may take (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
  /** Random source in [0, 1) for the retry jitter (tests pass a fixed one). */
  random?: () => number;
}
