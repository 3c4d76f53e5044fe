import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { unmaskReporter } from '../../app/identity/unmask-reporter.ts';
import { AppError } from '../../core/errors.ts';
import { identityDeps, requireActor } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { ProblemSchema } from '../problem.ts';

/** Personal data on request: the reporter of a case, unmasked for a stated reason, audited. */
const personalDataRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const deps = identityDeps(ctx);

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
        body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }),
        response: {
          200: Type.Object({
            name: Type.Union([Type.String(), Type.Null()]),
            phone: Type.Union([Type.String(), Type.Null()]),
            masked: Type.Boolean(),
          }),
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const ref = request.params.id;
      return deps.db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('cases')
          .select([
            'id',
            'street_code',
            'committee_code',
            'grid_code',
            'owner_level',
            'owner_code',
            'lead_department_id',
            'assisting_department_ids',
            'police_department_id',
            'reporter_user_id',
            'reporter_ids',
            'assignee_user_id',
            'escalated',
            'reporter_name',
            'reporter_phone',
          ])
          .where((eb) => eb.or([eb('id', '=', ref), eb('case_no', '=', ref)]))
          .executeTakeFirst();
        if (!row) throw new AppError('not_found', `No case ${ref}`);
        const contact = await unmaskReporter(trx, actor, {
          caseRow: row,
          contact: { name: row.reporter_name, phone: row.reporter_phone, idNumber: null },
          reason: request.body.reason,
          address: request.ip,
          at: deps.now(),
        });
        return { name: contact.name, phone: contact.phone, masked: false };
      });
    },
  );
};

export default personalDataRoutes;
