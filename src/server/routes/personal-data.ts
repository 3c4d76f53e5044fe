import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { unmaskCaseReporter } from '../../app/cases/unmask-case-reporter.ts';
import { requireActor } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { ProblemSchema } from '../problem.ts';
import { VISIBLE_TEXT_PATTERN } from '../../core/text.ts';
import { ReporterContactSchema } from '../schemas/cases.ts';

/** Personal data on request: the reporter of a case, unmasked for a stated reason, audited. */
const personalDataRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const deps = { database: ctx.database, now: ctx.now ?? (() => new Date()) };

  app.post(
    '/api/v1/cases/:id/reporter/unmask',
    {
      schema: {
        tags: ['cases'],
        summary: "Show a case reporter's name and phone unmasked (audited, with a reason)",
        description:
          'For staff working on the case who must contact the reporter but do not see the details by default. ' +
          'Writes a `reporter.unmask` audit record. Outside your scope the case does not exist (404).',
        params: Type.Object({
          id: Type.String({ minLength: 1, maxLength: 100, description: 'case id or case number' }),
        }),
        body: Type.Object(
          { reason: Type.String({ minLength: 2, maxLength: 500, pattern: VISIBLE_TEXT_PATTERN }) },
          { $id: 'UnmaskReporterBody' },
        ),
        response: {
          200: ReporterContactSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const contact = await unmaskCaseReporter(deps, requireActor(request), {
        caseRef: request.params.id,
        reason: request.body.reason,
        address: request.ip,
      });
      return { name: contact.name, phone: contact.phone, masked: false };
    },
  );
};

export default personalDataRoutes;
