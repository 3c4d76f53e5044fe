import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listAudit } from '../../app/audit/list-audit.ts';
import { verifyAuditChain } from '../../app/audit/verify-audit-chain.ts';
import { addDays } from '../../core/calendar/time.ts';
import { AppError } from '../../core/errors.ts';
import { canReadAudit } from '../../core/policy/admin.ts';
import { requireActor } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { BoundedInteger, DateKey } from '../input/index.ts';
import { ProblemSchema } from '../problem.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };

/** The audit log (admins): newest first, and a verification of its hash chain. */
const auditRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit records, newest first (admins)',
        querystring: Type.Object({
          target: Type.Optional(Type.String({ maxLength: 200 })),
          actorId: Type.Optional(Type.String({ maxLength: 64 })),
          action: Type.Optional(Type.String({ maxLength: 64 })),
          actorName: Type.Optional(Type.String({ maxLength: 64, description: 'user name, exact' })),
          entity: Type.Optional(
            Type.String({
              pattern: '^[a-z_]{1,32}$',
              description: 'target kind: user, case, category, matrix…',
            }),
          ),
          from: Type.Optional(DateKey({ description: 'from this Beijing day' })),
          to: Type.Optional(DateKey({ description: 'to this Beijing day, inclusive' })),
          before: Type.Optional(BoundedInteger({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: {
          200: Type.Object(
            {
              items: Type.Array(
                Type.Object(
                  {
                    seq: Type.Integer(),
                    at: Type.String({ format: 'date-time' }),
                    actor: Type.Object({
                      id: Type.Union([Type.String(), Type.Null()]),
                      name: Type.Union([Type.String(), Type.Null()]),
                      role: Type.Union([Type.String(), Type.Null()]),
                    }),
                    action: Type.String(),
                    target: Type.Union([Type.String(), Type.Null()]),
                    address: Type.Union([Type.String(), Type.Null()]),
                    payload: Type.Unknown({ description: 'what the audited action recorded' }),
                    hash: Type.String(),
                  },
                  { $id: 'AuditRecord' },
                ),
              ),
              nextBefore: Type.Union([Type.Integer(), Type.Null()]),
            },
            { $id: 'AuditPage' },
          ),
          ...errors,
        },
      },
    },
    async (request) => {
      const { from, to, ...rest } = request.query;
      return listAudit(ctx.database.db, requireActor(request), {
        ...rest,
        from: from === undefined ? undefined : new Date(`${from}T00:00:00+08:00`),
        to: to === undefined ? undefined : new Date(`${addDays(to, 1)}T00:00:00+08:00`),
      });
    },
  );

  app.get(
    '/api/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Verify the audit streams and checkpoints, name the first broken record, seal what verified (admins)',
        response: {
          200: Type.Object(
            {
              ok: Type.Boolean(),
              records: Type.Integer(),
              streams: Type.Integer({ description: 'audit streams (one per audited record) checked' }),
              checkpoints: Type.Integer({
                description: 'checkpoints checked, the one just written included',
              }),
              headHash: Type.String({ description: 'hash of the latest checkpoint: keep a copy elsewhere' }),
              checkpoint: Type.Union([
                Type.Object({
                  id: Type.Integer(),
                  hash: Type.String(),
                  at: Type.String({ format: 'date-time' }),
                }),
                Type.Null(),
              ]),
              legacyRecords: Type.Integer(),
              breaks: Type.Integer(),
              broken: Type.Union([
                Type.Object({
                  seq: Type.Integer(),
                  reason: Type.String(),
                  message: Type.String(),
                  stream: Type.Union([Type.String(), Type.Null()]),
                  checkpoint: Type.Union([Type.Integer(), Type.Null()]),
                }),
                Type.Null(),
              ]),
            },
            { $id: 'AuditVerification' },
          ),
          ...errors,
        },
      },
    },
    async (request) => {
      if (!canReadAudit(requireActor(request)))
        throw new AppError('forbidden', 'Only administrators may verify the audit log');
      return verifyAuditChain(ctx.database.db, { now: new Date() });
    },
  );
};

export default auditRoutes;
