import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CASE_NO_PATTERN, lookupPublicCase } from '../../app/public/lookup-public-case.ts';
import type { AppContext } from '../context.ts';
import { ProblemSchema } from '../problem.ts';
import { PUBLIC_RATE_LIMIT } from '../security.ts';

const Status = Type.Union([
  Type.Literal('received'),
  Type.Literal('in_progress'),
  Type.Literal('closed'),
  Type.Literal('rejected'),
]);

/**
 * The citizens' page: follow a case by its number and follow-up code without signing in (public status
 * only; issue 9 §8).
 */
const publicRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  app.post(
    '/api/v1/public/cases/lookup',
    {
      config: { rateLimit: PUBLIC_RATE_LIMIT },
      schema: {
        tags: ['public'],
        summary:
          'Follow a case by its number and follow-up code (查询码): public status and dates only (no sign-in)',
        description:
          'A wrong code, an unknown number and a case of a sensitive category answer the same 404. ' +
          'The code is in a POST body so that it stays out of URLs and access logs.',
        body: Type.Object(
          {
            caseNo: Type.String({ pattern: CASE_NO_PATTERN, description: 'e.g. 310112-2026-000123' }),
            code: Type.String({
              minLength: 1,
              maxLength: 32,
              description: 'The follow-up code given at reporting, e.g. 7KQ2-M9XD (case and dashes ignored)',
            }),
          },
          { additionalProperties: false, $id: 'PublicLookupBody' },
        ),
        response: {
          200: Type.Object(
            {
              caseNo: Type.String(),
              status: Status,
              categoryCode: Type.Union([Type.String(), Type.Null()]),
              categoryName: Type.Union([Type.String(), Type.Null()]),
              reportedAt: Type.String({ format: 'date-time' }),
              closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
              history: Type.Array(Type.Object({ at: Type.String({ format: 'date-time' }), status: Status })),
            },
            { $id: 'PublicCase', description: 'public status and dates only' },
          ),
          400: ProblemSchema,
          404: ProblemSchema,
          429: ProblemSchema,
        },
      },
    },
    async (request) => lookupPublicCase(ctx.database, request.body.caseNo, request.body.code),
  );
};

export default publicRoutes;
