import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actOnWarning } from '../../app/warnings/act-on-warning.ts';
import { countWarnings } from '../../app/warnings/count-warnings.ts';
import { getWarning, listWarnings } from '../../app/warnings/list-warnings.ts';
import { setWarningPolicy } from '../../app/warnings/set-warning-policy.ts';
import { loadWarningPolicy } from '../../app/warnings/warning-policy.ts';
import { dayStartMs } from '../../core/calendar/time.ts';
import { AppError } from '../../core/errors.ts';
import { canSetWarningPolicy, warningStreetsOf } from '../../core/warnings/access.ts';
import { WARNING_RULES } from '../../core/warnings/rules.ts';
import { requireActor } from '../auth.ts';
import { caseServices } from '../case-services.ts';
import type { AppContext } from '../context.ts';
import { BoundedInteger, DateKey } from '../input/index.ts';
import { errorResponses, StringEnum } from '../schemas/common.ts';
import {
  WarningActionBodySchema,
  WarningCountsSchema,
  WarningListSchema,
  WarningPolicyBodySchema,
  WarningPolicySchema,
  WarningSchema,
} from '../schemas/warnings.ts';

const WarningId = Type.Object({
  id: Type.String({ pattern: '^[0-9a-f-]{36}$', description: 'warning id (UUID)' }),
});
const errors = errorResponses(400, 401, 403, 404);
const MS_PER_DAY = 86_400_000;

/**
 * Early warnings (预警, issue 13): the owning street centre and the district see and act on them
 * (core/warnings/access.ts); the rules' parameters are the district administrators'.
 */
const warningRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const { database } = ctx;
  const now = ctx.now ?? (() => new Date());

  app.get(
    '/api/v1/warnings',
    {
      schema: {
        tags: ['warnings'],
        summary: 'Warnings your centre owns (the district: all), newest first',
        querystring: Type.Object({
          state: Type.Optional(StringEnum(['open', 'new', 'acknowledged', 'converted', 'dismissed'])),
          rule: Type.Optional(StringEnum([...WARNING_RULES])),
          street: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
          address: Type.Optional(Type.String({ maxLength: 100 })),
          from: Type.Optional(DateKey()),
          to: Type.Optional(DateKey()),
          limit: Type.Optional(BoundedInteger({ minimum: 1, maximum: 200 })),
          offset: Type.Optional(BoundedInteger({ maximum: 100_000 })),
        }),
        response: { 200: WarningListSchema, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      return listWarnings({ database }, requireActor(request), {
        state: q.state,
        rule: q.rule,
        streetCode: q.street,
        addressId: q.address,
        from: q.from ? new Date(dayStartMs(q.from)) : undefined,
        to: q.to ? new Date(dayStartMs(q.to) + MS_PER_DAY) : undefined,
        limit: q.limit,
        offset: q.offset,
      });
    },
  );

  app.get(
    '/api/v1/warnings/counts',
    {
      schema: {
        tags: ['warnings'],
        summary: 'Warnings raised, converted and dismissed per owning centre in a period (Beijing days)',
        querystring: Type.Object({ from: DateKey(), to: DateKey() }),
        response: { 200: WarningCountsSchema, ...errors },
      },
    },
    async (request) => {
      const streets = warningStreetsOf(requireActor(request));
      if (streets !== null && streets.length === 0)
        throw new AppError('forbidden', 'Warnings are for the centres', { action: 'warnings' });
      const items = await countWarnings(
        { database },
        {
          from: new Date(dayStartMs(request.query.from)),
          to: new Date(dayStartMs(request.query.to) + MS_PER_DAY),
        },
      );
      return { items: streets === null ? items : items.filter((i) => streets.includes(i.unitCode)) };
    },
  );

  app.get(
    '/api/v1/warnings/settings',
    {
      schema: {
        tags: ['warnings'],
        summary: 'The warning rules’ parameters (administrators)',
        response: { 200: WarningPolicySchema, ...errors },
      },
    },
    async (request) => {
      if (!canSetWarningPolicy(requireActor(request)))
        throw new AppError('forbidden', 'Only administrators see the warning rules', {
          action: 'warning_policy',
        });
      return loadWarningPolicy(database.db);
    },
  );

  app.put(
    '/api/v1/warnings/settings',
    {
      schema: {
        tags: ['warnings'],
        summary: 'Change some of the warning rules’ parameters (district administrators; audited)',
        body: WarningPolicyBodySchema,
        response: { 200: WarningPolicySchema, ...errors },
      },
    },
    async (request) => setWarningPolicy({ database, now }, requireActor(request), request.body),
  );

  app.get(
    '/api/v1/warnings/:id',
    {
      schema: {
        tags: ['warnings'],
        summary: 'One warning (its rule, evidence, place and state)',
        params: WarningId,
        response: { 200: WarningSchema, ...errors },
      },
    },
    async (request) => getWarning({ database }, requireActor(request), request.params.id),
  );

  app.post(
    '/api/v1/warnings/:id/actions',
    {
      schema: {
        tags: ['warnings'],
        summary:
          'Acknowledge, convert into a case (source warning, verified on site) or dismiss with a reason',
        params: WarningId,
        body: WarningActionBodySchema,
        response: { 200: WarningSchema, ...errors, ...errorResponses(409) },
      },
    },
    async (request) =>
      actOnWarning(caseServices(ctx, app), requireActor(request), { id: request.params.id, ...request.body }),
  );
};

export default warningRoutes;
