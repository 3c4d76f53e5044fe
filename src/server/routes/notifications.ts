import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listNotifications } from '../../app/cases/list-notifications.ts';
import { listNotificationGroups } from '../../app/cases/list-notification-groups.ts';
import { markAllNotificationsRead, markNotificationRead } from '../../app/cases/mark-notification-read.ts';
import { requireActor } from '../auth.ts';
import { caseServices } from '../case-services.ts';
import type { AppContext } from '../context.ts';
import { ProblemSchema } from '../problem.ts';
import {
  MarkAllReadBodySchema,
  NotificationGroupListSchema,
  NotificationListSchema,
  NotificationSchema,
  NotificationsMarkedSchema,
} from '../schemas/stats.ts';

/** Notifications addressed to you or your unit, with read receipts (delivery channels come later). */
const notificationRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const deps = caseServices(ctx, app);

  app.get(
    '/api/v1/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications and your unit’s, newest first',
        querystring: Type.Object({
          unread: Type.Optional(Type.Boolean()),
          kind: Type.Optional(
            Type.String({ pattern: '^[a-z_]{1,40}$', description: 'only this kind of notice' }),
          ),
          caseId: Type.Optional(Type.String({ maxLength: 100 })),
          cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        }),
        response: {
          200: NotificationListSchema,
          400: ProblemSchema,
          401: ProblemSchema,
        },
      },
    },
    async (request) => listNotifications(deps, requireActor(request), request.query),
  );

  app.get(
    '/api/v1/notifications/groups',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications grouped per case, the group with the newest notice first',
        description:
          'One row per case (a notice about a case you no longer see stands alone), with its newest notice, ' +
          'count, unread count and kinds, grouped over all your matching notices so paging never splits a ' +
          'group; a group’s notices: GET /api/v1/notifications?caseId=… with the same filters.',
        querystring: Type.Object({
          unread: Type.Optional(Type.Boolean()),
          kind: Type.Optional(
            Type.String({ pattern: '^[a-z_]{1,40}$', description: 'only this kind of notice' }),
          ),
          cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: {
          200: NotificationGroupListSchema,
          400: ProblemSchema,
          401: ProblemSchema,
        },
      },
    },
    async (request) => listNotificationGroups(deps, requireActor(request), request.query),
  );

  app.post(
    '/api/v1/notifications/:id/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark a notification read (the first reader’s receipt is kept)',
        params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$' }) }),
        response: {
          200: NotificationSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => markNotificationRead(deps, requireActor(request), Number(request.params.id)),
  );

  app.post(
    '/api/v1/notifications/read-all',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark all your unread notifications read (optionally one kind, or one case’s)',
        body: MarkAllReadBodySchema,
        response: { 200: NotificationsMarkedSchema, 400: ProblemSchema, 401: ProblemSchema },
      },
    },
    async (request) => markAllNotificationsRead(deps, requireActor(request), request.body),
  );
};

export default notificationRoutes;
