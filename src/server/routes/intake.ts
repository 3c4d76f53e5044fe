import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IDEMPOTENCY_KEY } from '../../app/cases/idempotency.ts';
import { checkIntake, getDeskContext, takeCall } from '../../app/intake/desk.ts';
import { AppError } from '../../core/errors.ts';
import { requireActor } from '../auth.ts';
import { caseServices } from '../case-services.ts';
import type { AppContext } from '../context.ts';
import { errorResponses } from '../schemas/common.ts';
import {
  DeskContextSchema,
  IntakeBodySchema,
  IntakeCheckBodySchema,
  IntakeCheckSchema,
  IntakeResultSchema,
} from '../schemas/intake.ts';

const errors = errorResponses(400, 401, 403, 404, 409, 422);

/** The intake desk (受理台, issue 11 §1): dispatchers and shift leads take calls, visits and instructions. */
const intakeRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const deps = caseServices(ctx, app);

  app.get(
    '/api/v1/intake/desk',
    {
      schema: {
        tags: ['intake'],
        summary: 'The intake desk’s centre and where its map opens (its street, not the whole district)',
        response: { 200: DeskContextSchema, ...errors },
      },
    },
    async (request) => getDeskContext(ctx.database, requireActor(request)),
  );

  app.post(
    '/api/v1/intake/check',
    {
      schema: {
        tags: ['intake'],
        summary: 'Before saving: categories suggested by the description, open cases of the category nearby',
        body: IntakeCheckBodySchema,
        response: { 200: IntakeCheckSchema, ...errors },
      },
    },
    async (request) => checkIntake(deps, requireActor(request), request.body),
  );

  app.post(
    '/api/v1/intake',
    {
      schema: {
        tags: ['intake'],
        summary:
          'Save a call, visit or instruction as a case in one step (optionally merged into an open case)',
        description:
          'The caller’s contact is kept like a reporter’s (masked in lists and for other roles). A 12345 ticket ' +
          'number is unique per district: a second case for it is 409 `ticket_taken` with the existing case. With ' +
          '`mergeInto` the new case is merged into that open case at once (only the desk of the street the report ' +
          'lies in: 403 `merge_outside_desk`). Send an `Idempotency-Key` so a retry never saves the call twice.',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: IntakeBodySchema,
        response: { 201: IntakeResultSchema, ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const key = request.headers['idempotency-key'];
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        throw new AppError('validation_failed', 'Idempotency-Key must be 1–200 visible ASCII characters');
      }
      const { caller, ...body } = request.body;
      const result = await takeCall(
        deps,
        actor,
        { ...body, ...(caller ? { reporter: caller } : {}) },
        { idempotencyKey: key, clientAddress: request.ip },
      );
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(result);
    },
  );
};

export default intakeRoutes;
