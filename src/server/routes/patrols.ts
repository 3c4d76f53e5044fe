import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { checkInPatrol } from '../../app/patrols/check-in-patrol.ts';
import { endPatrol } from '../../app/patrols/end-patrol.ts';
import { queryCoverage, queryPatrollerFigures } from '../../app/patrols/query-coverage.ts';
import { currentPatrol, getPatrol, listLivePatrols, listPatrols } from '../../app/patrols/query-patrols.ts';
import { recordPatrolPoints } from '../../app/patrols/record-patrol-points.ts';
import { sendNearestPatroller } from '../../app/patrols/send-nearest-patroller.ts';
import { setGridFrequency } from '../../app/patrols/set-grid-frequency.ts';
import { startPatrol } from '../../app/patrols/start-patrol.ts';
import { addDays, dateKeyOf } from '../../core/calendar/time.ts';
import { AppError } from '../../core/errors.ts';
import { requireActor } from '../auth.ts';
import { caseServices } from '../case-services.ts';
import type { AppContext } from '../context.ts';
import { BoundedInteger, DateKey } from '../input/index.ts';
import { errorResponses } from '../schemas/common.ts';
import {
  CheckinBodySchema,
  CheckinResultSchema,
  CoverageViewSchema,
  CurrentPatrolSchema,
  FrequencyBodySchema,
  FrequencySchema,
  LivePatrolListSchema,
  NearestBodySchema,
  NearestResultSchema,
  PatrolDetailSchema,
  PatrollerFiguresSchema,
  PatrolListSchema,
  PatrolSummarySchema,
  PointsBodySchema,
  PointsResultSchema,
} from '../schemas/patrols.ts';

const PatrolId = Type.Object({
  id: Type.String({ pattern: '^[0-9a-f-]{36}$', description: 'patrol id (UUID)' }),
});
const errors = errorResponses(400, 401, 403, 404);

/** An ISO instant from the phone; an impossible one is a 400, never a 500. */
function instant(text: string, field: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 2199) {
    throw new AppError('validation_failed', `${field} is not a valid instant`, { field });
  }
  return d;
}

/**
 * Patrols (巡查) and grid coverage (DESIGN §6). Patrollers start, feed (GPS points, check-ins) and end
 * their own patrols; tracks are personal data, visible to the patroller, their street centre and the
 * district (core/patrol/access.ts). Coverage and the live map are for the centres.
 */
const patrolRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const { database } = ctx;
  const now = ctx.now ?? (() => new Date());
  const deps = { database, now };

  app.post(
    '/api/v1/patrols',
    {
      schema: {
        tags: ['patrols'],
        summary: 'Start a patrol (patrollers; one open patrol at a time)',
        response: { 201: PatrolSummarySchema, ...errors, ...errorResponses(409) },
      },
    },
    async (request, reply) => reply.status(201).send(await startPatrol(deps, requireActor(request))),
  );

  app.get(
    '/api/v1/patrols',
    {
      schema: {
        tags: ['patrols'],
        summary: 'Patrols you may see, started between from and to (Beijing days; default the last 7)',
        querystring: Type.Object({
          from: Type.Optional(DateKey()),
          to: Type.Optional(DateKey()),
          userId: Type.Optional(Type.String({ maxLength: 100 })),
          limit: Type.Optional(BoundedInteger({ minimum: 1, maximum: 500, default: 100 })),
        }),
        response: { 200: PatrolListSchema, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const today = dateKeyOf(now());
      const to = request.query.to ?? today;
      const from = request.query.from ?? addDays(to, -6);
      const items = await listPatrols(
        database,
        actor,
        {
          from: new Date(`${from}T00:00:00+08:00`),
          to: new Date(`${addDays(to, 1)}T00:00:00+08:00`),
          userId: request.query.userId,
          limit: request.query.limit ?? 100,
        },
        now(),
      );
      return { items };
    },
  );

  app.get(
    '/api/v1/patrols/current',
    {
      schema: {
        tags: ['patrols'],
        summary: 'Your open patrol, if any (the phone resumes it)',
        response: { 200: CurrentPatrolSchema, ...errors },
      },
    },
    async (request) => ({ patrol: await currentPatrol(database, requireActor(request), now()) }),
  );

  app.get(
    '/api/v1/patrols/live',
    {
      schema: {
        tags: ['patrols'],
        summary: 'Who is on patrol now in your streets: last position and its age (centres)',
        response: { 200: LivePatrolListSchema, ...errors },
      },
    },
    async (request) => ({ items: await listLivePatrols(database, requireActor(request), now()) }),
  );

  app.post(
    '/api/v1/patrols/verify-nearest',
    {
      schema: {
        tags: ['patrols'],
        summary: 'Send the nearest on-duty patroller of the case’s street to verify it (核实)',
        description:
          'Picks the patroller by the last position of their open patrol (fresher than 15 minutes) and performs ' +
          'the workflow action `request_verification` with them. 422 `no_patroller_on_duty` when nobody qualifies.',
        body: NearestBodySchema,
        response: { 200: NearestResultSchema, ...errors, ...errorResponses(409, 422) },
      },
    },
    async (request) => sendNearestPatroller(caseServices(ctx, app), requireActor(request), request.body),
  );

  app.get(
    '/api/v1/patrols/:id',
    {
      schema: {
        tags: ['patrols'],
        summary: 'One patrol with its track, check-ins and reports (personal data)',
        params: PatrolId,
        response: { 200: PatrolDetailSchema, ...errors },
      },
    },
    async (request) => getPatrol(database, requireActor(request), request.params.id, now()),
  );

  app.post(
    '/api/v1/patrols/:id/points',
    {
      schema: {
        tags: ['patrols'],
        summary: 'Send a batch of GPS points of your patrol (re-sent points are not stored twice)',
        params: PatrolId,
        body: PointsBodySchema,
        response: { 200: PointsResultSchema, ...errors },
      },
    },
    async (request) =>
      recordPatrolPoints(deps, requireActor(request), request.params.id, {
        points: request.body.points.map((p, i) => ({
          seq: p.seq,
          at: instant(p.at, `/points/${i}/at`),
          lon: p.lon,
          lat: p.lat,
          accuracyM: p.accuracy,
        })),
      }),
  );

  app.post(
    '/api/v1/patrols/:id/checkins',
    {
      schema: {
        tags: ['patrols'],
        summary: 'Check in at a place during your patrol (打卡; a re-sent check-in is stored once)',
        params: PatrolId,
        body: CheckinBodySchema,
        response: { 200: CheckinResultSchema, ...errors, ...errorResponses(422) },
      },
    },
    async (request) => {
      const b = request.body;
      return checkInPatrol(deps, requireActor(request), request.params.id, {
        clientId: b.clientId,
        at: instant(b.at, '/at'),
        lon: b.lon,
        lat: b.lat,
        accuracyM: b.accuracy,
        note: b.note,
      });
    },
  );

  app.post(
    '/api/v1/patrols/:id/end',
    {
      schema: {
        tags: ['patrols'],
        summary: 'End your patrol: time and distance are final',
        params: PatrolId,
        response: { 200: PatrolSummarySchema, ...errors },
      },
    },
    async (request) => endPatrol(deps, requireActor(request), request.params.id),
  );

  const Range = Type.Object({
    from: DateKey(),
    to: DateKey(),
    street: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
  });

  app.get(
    '/api/v1/coverage',
    {
      schema: {
        tags: ['patrols'],
        summary: 'Grid × day coverage against each grid’s frequency (centres; at most 31 days)',
        querystring: Range,
        response: { 200: CoverageViewSchema, ...errors },
      },
    },
    async (request) => queryCoverage(database, requireActor(request), request.query, now()),
  );

  app.get(
    '/api/v1/coverage/patrollers',
    {
      schema: {
        tags: ['patrols'],
        summary: 'Patrollers’ hours, distance, grids covered and reports (centres; a patroller: their own)',
        querystring: Range,
        response: { 200: PatrollerFiguresSchema, ...errors },
      },
    },
    async (request) => ({
      items: await queryPatrollerFigures(database, requireActor(request), request.query),
    }),
  );

  app.put(
    '/api/v1/coverage/frequencies/:gridCode',
    {
      schema: {
        tags: ['patrols'],
        summary: 'Set a grid’s expected patrol frequency in days per week (admins; null: the default)',
        params: Type.Object({ gridCode: Type.String({ pattern: '^[0-9]{14}$' }) }),
        body: FrequencyBodySchema,
        response: { 200: FrequencySchema, ...errors },
      },
    },
    async (request) =>
      setGridFrequency(deps, requireActor(request), {
        gridCode: request.params.gridCode,
        daysPerWeek: request.body.daysPerWeek,
      }),
  );
};

export default patrolRoutes;
