import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getCaseContext } from '../../app/console/case-context.ts';
import { requireActor } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { ProblemSchema } from '../problem.ts';
import { CaseContextSchema } from '../schemas/cases.ts';

/** What the web console needs around a case that the case itself does not carry. */
const consoleRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  app.get(
    '/api/v1/cases/:id/context',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Around a case: nearby duplicates, police linkage notices (read receipts), assignable patrollers',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: {
          200: CaseContextSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => getCaseContext({ database: ctx.database }, requireActor(request), request.params.id),
  );
};

export default consoleRoutes;
