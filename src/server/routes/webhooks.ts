import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createWebhookSubscription } from '../../app/webhooks/create-webhook-subscription.ts';
import { deleteWebhookSubscription } from '../../app/webhooks/delete-webhook-subscription.ts';
import type { WebhookDeps } from '../../app/webhooks/deps.ts';
import { getWebhookDelivery, listWebhookDeliveries } from '../../app/webhooks/list-webhook-deliveries.ts';
import {
  getWebhookSubscription,
  listWebhookSubscriptions,
} from '../../app/webhooks/list-webhook-subscriptions.ts';
import { replayWebhookDelivery } from '../../app/webhooks/replay-webhook-delivery.ts';
import { rotateWebhookSecret } from '../../app/webhooks/rotate-webhook-secret.ts';
import { updateWebhookSubscription } from '../../app/webhooks/update-webhook-subscription.ts';
import { requireActor } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { BoundedInteger } from '../input/index.ts';
import { errorResponses, NoContent } from '../schemas/common.ts';
import {
  CreateWebhookSubscriptionBody,
  UpdateWebhookSubscriptionBody,
  WebhookDeliveryDetailSchema,
  WebhookDeliveryPageSchema,
  WebhookDeliveryStatusSchema,
  WebhookEventTypeSchema,
  WebhookSecretResultSchema,
  WebhookSubscriptionListSchema,
  WebhookSubscriptionSchema,
} from '../schemas/webhooks.ts';

const SubscriptionId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const DeliveryId = Type.Object({ id: BoundedInteger({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
const tags = ['webhooks'];

/**
 * Webhook administration (district admins; every change audited): subscriptions with their filters and
 * secrets, the deliveries with every attempt, and manual replay. Delivery itself runs in the background
 * (src/app/webhooks/README.md).
 */
const webhookRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const deps: WebhookDeps = {
    database: ctx.database,
    now: ctx.now ?? (() => new Date()),
    allowLocal: ctx.config.webhooksAllowLocal,
    timeoutMs: ctx.config.webhookTimeoutMs,
  };

  app.get(
    '/api/v1/webhooks/subscriptions',
    {
      schema: {
        tags,
        summary: 'Webhook subscriptions with their delivery counts (admins)',
        response: { 200: WebhookSubscriptionListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: await listWebhookSubscriptions(deps, requireActor(request)) }),
  );

  app.post(
    '/api/v1/webhooks/subscriptions',
    {
      schema: {
        tags,
        summary: 'Subscribe an endpoint to case events (admins); the secret is shown once',
        description:
          'The endpoint must be https on a public address (WEBHOOKS_ALLOW_LOCAL admits localhost for development). ' +
          'Deliveries follow Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature.',
        body: CreateWebhookSubscriptionBody,
        response: { 201: WebhookSecretResultSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const result = await createWebhookSubscription(deps, requireActor(request), request.body, {
        address: request.ip,
      });
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/api/v1/webhooks/subscriptions/:id',
    {
      schema: {
        tags,
        summary: 'One webhook subscription (admins)',
        params: SubscriptionId,
        response: { 200: WebhookSubscriptionSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getWebhookSubscription(deps, requireActor(request), request.params.id),
  );

  app.patch(
    '/api/v1/webhooks/subscriptions/:id',
    {
      schema: {
        tags,
        summary: 'Change a subscription: endpoint, filters, personal data, enabled (admins)',
        params: SubscriptionId,
        body: UpdateWebhookSubscriptionBody,
        response: { 200: WebhookSubscriptionSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      updateWebhookSubscription(deps, requireActor(request), request.params.id, request.body, {
        address: request.ip,
      }),
  );

  app.delete(
    '/api/v1/webhooks/subscriptions/:id',
    {
      schema: {
        tags,
        summary: 'Remove a subscription with its deliveries (admins)',
        params: SubscriptionId,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteWebhookSubscription(deps, requireActor(request), request.params.id, {
        address: request.ip,
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/webhooks/subscriptions/:id/rotate-secret',
    {
      schema: {
        tags,
        summary: 'Issue a new secret, shown once; the previous one keeps signing for a day (admins)',
        params: SubscriptionId,
        response: { 200: WebhookSecretResultSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      rotateWebhookSecret(deps, requireActor(request), request.params.id, { address: request.ip }),
  );

  app.get(
    '/api/v1/webhooks/deliveries',
    {
      schema: {
        tags,
        summary: 'Webhook deliveries, newest first (admins)',
        querystring: Type.Object({
          subscriptionId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          status: Type.Optional(WebhookDeliveryStatusSchema),
          eventType: Type.Optional(WebhookEventTypeSchema),
          caseNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
          before: Type.Optional(BoundedInteger({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        }),
        response: { 200: WebhookDeliveryPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listWebhookDeliveries(deps, requireActor(request), request.query),
  );

  app.get(
    '/api/v1/webhooks/deliveries/:id',
    {
      schema: {
        tags,
        summary: 'One delivery with its body and every attempt (admins)',
        params: DeliveryId,
        response: { 200: WebhookDeliveryDetailSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getWebhookDelivery(deps, requireActor(request), request.params.id),
  );

  app.post(
    '/api/v1/webhooks/deliveries/:id/replay',
    {
      schema: {
        tags,
        summary: 'Send a delivery again, same webhook-id and body, with a new day of retries (admins)',
        params: DeliveryId,
        response: { 200: WebhookDeliveryDetailSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await replayWebhookDelivery(deps, actor, request.params.id, { address: request.ip });
      return getWebhookDelivery(deps, actor, request.params.id);
    },
  );
};

export default webhookRoutes;
