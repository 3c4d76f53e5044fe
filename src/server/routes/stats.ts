import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { statsOverview } from '../../app/stats/overview.ts';
import { countQueues } from '../../app/stats/queue-counts.ts';
import { AppError } from '../../core/errors.ts';
import { CASE_SOURCES } from '../../core/workflow/index.ts';
import { forReading } from '../../db/database.ts';
import type { CaseSource } from '../../db/schema/cases.ts';
import { requireActor } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { ProblemSchema } from '../problem.ts';
import { QueueCountsSchema, StatsOverviewSchema } from '../schemas/stats.ts';

const SOURCES = Object.keys(CASE_SOURCES) as CaseSource[];
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };

/** Counts for the consoles: workbench queue counts and the leader overview, always within the caller's scope. */
const statsRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  // read-only counts over many cases: the read replica when DATABASE_READ_URL is set
  const deps = { database: forReading(ctx.database), now: ctx.now ?? (() => new Date()) };

  app.get(
    '/api/v1/stats/queues',
    {
      schema: {
        tags: ['stats'],
        summary: 'Case counts per state (and overdue) in your scope, with the filters of GET /api/v1/cases',
        querystring: Type.Object({
          street: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
          committee: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
          grid: Type.Optional(Type.String({ pattern: '^[0-9]{14}$' })),
          category: Type.Optional(Type.String({ pattern: '^[0-9]{2}([0-9]{2})?$' })),
          department: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          source: Type.Optional(Type.Array(Type.String({ maxLength: 200 }))),
          text: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: {
          200: QueueCountsSchema,
          ...errors,
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { source, ...rest } = request.query;
      const sources = source?.flatMap((s) => s.split(',')).filter(Boolean);
      const bad = sources?.filter((s) => !(SOURCES as string[]).includes(s)) ?? [];
      if (bad.length) throw new AppError('validation_failed', `Unknown source: ${bad.join(', ')}`);
      return countQueues(deps, actor, { ...rest, source: sources as CaseSource[] | undefined });
    },
  );

  app.get(
    '/api/v1/stats/overview',
    {
      schema: {
        tags: ['stats'],
        summary:
          'Leader overview: intake today, open/overdue by state and street, on-time rates, daily trend',
        description:
          'Computed from the cases and the event log within your scope. On-time handling per department = on-time ' +
          'handling reports / (handling reports + overdue unhandled) over the period; on-time closure per street = ' +
          'cases closed without a missed deadline / cases closed. Days are Asia/Shanghai.',
        querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })) }),
        response: { 200: StatsOverviewSchema, ...errors },
      },
    },
    async (request) => statsOverview(deps, requireActor(request), { days: request.query.days }),
  );
};

export default statsRoutes;
