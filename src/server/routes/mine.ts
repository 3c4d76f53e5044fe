import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listMyReports } from '../../app/cases/list-my-reports.ts';
import { forReading } from '../../db/database.ts';
import { requireActor } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { errorResponses } from '../schemas/common.ts';
import { MyReportsSchema } from '../schemas/mine.ts';

/** 我的上报 (issue 11 §4): one's own reports, for every signed-in role (citizens get the public view). */
const mineRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const deps = { database: forReading(ctx.database), now: ctx.now ?? (() => new Date()) };

  app.get(
    '/api/v1/me/reports',
    {
      schema: {
        tags: ['cases'],
        summary: 'My reports (我的上报): the cases you reported, newest first (cursor pagination)',
        description:
          'The cases whose reporter you are (merged duplicates included), with state, the running clock (time ' +
          'used vs limit on the working calendar, due date, overdue) and the result (closure type, satisfaction). ' +
          'A citizen gets each case in the public view: no departments, police, clocks or internal steps.',
        querystring: Type.Object({
          state: Type.Optional(
            Type.Union([Type.Literal('open'), Type.Literal('closed')], {
              description: '`open`: being worked on; `closed`: 结案, 不予立案 or 作废',
            }),
          ),
          cursor: Type.Optional(Type.String({ maxLength: 500 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: { 200: MyReportsSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => listMyReports(deps, requireActor(request), request.query),
  );
};

export default mineRoutes;
