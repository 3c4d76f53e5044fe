import type { Generated } from 'kysely';

/** Webhook tables (migration 0018_webhooks.sql; src/app/webhooks/README.md). */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';
export type WebhookAttemptOutcome = 'success' | 'http_error' | 'timeout' | 'network_error' | 'refused';

export interface WebhookSubscriptionsTable {
  id: string;
  name: string;
  url: string;
  event_types: Generated<string[]>;
  region_codes: Generated<string[]>;
  category_codes: Generated<string[]>;
  include_personal: Generated<boolean>;
  enabled: Generated<boolean>;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface WebhookOutboxTable {
  event_id: number;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  subscription_id: string;
  event_id: number;
  case_id: string;
  event_type: string;
  message_id: string;
  body: string;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  window_start: Date;
  next_attempt_at: Date;
  created_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  attempt: number;
  at: Date;
  latency_ms: number;
  status_code: number | null;
  outcome: WebhookAttemptOutcome;
  error: string | null;
}

export interface WebhookTables {
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_outbox: WebhookOutboxTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}
