import { Type } from 'typebox';
import { WEBHOOK_EVENT_TYPES } from '../../core/webhooks/events.ts';
import { DateTime, Nullable, StringEnum } from './common.ts';

/** The published contract of the webhook administration (issue 15, DESIGN §8). */
export const WebhookEventTypeSchema = StringEnum(WEBHOOK_EVENT_TYPES, { $id: 'WebhookEventType' });
export const WebhookDeliveryStatusSchema = StringEnum(['pending', 'delivered', 'failed'] as const, {
  $id: 'WebhookDeliveryStatus',
});

const RegionCode = Type.String({ pattern: '^[0-9]{6,14}$', maxLength: 14 });
const CategoryCode = Type.String({ pattern: '^[0-9]{2}([0-9]{2})?$', maxLength: 4 });
const Url = Type.String({ minLength: 8, maxLength: 2000, description: 'https on a public address' });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Filters = {
  eventTypes: Type.Optional(
    Type.Array(WebhookEventTypeSchema, { maxItems: 20, description: 'empty or absent: every event type' }),
  ),
  regionCodes: Type.Optional(
    Type.Array(RegionCode, {
      maxItems: 200,
      description: 'district/street/committee/grid codes; empty: all',
    }),
  ),
  categoryCodes: Type.Optional(
    Type.Array(CategoryCode, { maxItems: 200, description: '大类 (2 digits) or 小类 (4); empty: all' }),
  ),
  includePersonal: Type.Optional(
    Type.Boolean({ description: 'payloads carry the reporter’s name and phone, staff names and notes' }),
  ),
  enabled: Type.Optional(Type.Boolean()),
};

export const CreateWebhookSubscriptionBody = Type.Object(
  { name: Name, url: Url, ...Filters },
  { $id: 'CreateWebhookSubscriptionBody' },
);
export const UpdateWebhookSubscriptionBody = Type.Object(
  { name: Type.Optional(Name), url: Type.Optional(Url), ...Filters },
  { $id: 'UpdateWebhookSubscriptionBody' },
);

export const WebhookSubscriptionSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    url: Type.String(),
    eventTypes: Type.Array(Type.String()),
    regionCodes: Type.Array(Type.String()),
    categoryCodes: Type.Array(Type.String()),
    includePersonal: Type.Boolean(),
    enabled: Type.Boolean(),
    previousSecretUntil: Nullable(DateTime),
    createdAt: DateTime,
    updatedAt: DateTime,
    deliveries: Type.Object({ pending: Type.Integer(), delivered: Type.Integer(), failed: Type.Integer() }),
  },
  { $id: 'WebhookSubscription' },
);

export const WebhookSubscriptionListSchema = Type.Object(
  { items: Type.Array(WebhookSubscriptionSchema) },
  { $id: 'WebhookSubscriptionList' },
);

export const WebhookSecretResultSchema = Type.Object(
  {
    subscription: WebhookSubscriptionSchema,
    secret: Type.String({ description: 'whsec_…: shown this once' }),
  },
  { $id: 'WebhookSecretResult' },
);

const deliveryFields = {
  id: Type.Integer(),
  subscriptionId: Type.String(),
  subscriptionName: Type.String(),
  messageId: Type.String({ description: 'the webhook-id header: stable across retries and replays' }),
  eventType: Type.String(),
  caseId: Type.String(),
  caseNo: Type.String(),
  status: WebhookDeliveryStatusSchema,
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(DateTime),
  lastAttemptAt: Nullable(DateTime),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(DateTime),
  createdAt: DateTime,
};
export const WebhookDeliverySchema = Type.Object(deliveryFields, { $id: 'WebhookDelivery' });

export const WebhookDeliveryPageSchema = Type.Object(
  { items: Type.Array(WebhookDeliverySchema), nextBefore: Nullable(Type.Integer()) },
  { $id: 'WebhookDeliveryPage' },
);

export const WebhookAttemptSchema = Type.Object(
  {
    attempt: Type.Integer(),
    at: DateTime,
    latencyMs: Type.Integer(),
    statusCode: Nullable(Type.Integer()),
    outcome: StringEnum(['success', 'http_error', 'timeout', 'network_error', 'refused'] as const),
    error: Nullable(Type.String()),
  },
  { $id: 'WebhookAttempt' },
);

export const WebhookDeliveryDetailSchema = Type.Object(
  {
    ...deliveryFields,
    body: Type.String({ description: 'the exact JSON sent and signed' }),
    attemptLog: Type.Array(WebhookAttemptSchema),
  },
  { $id: 'WebhookDeliveryDetail' },
);
