import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import {
  readEvaluationSettings,
  updateEvaluationSettings,
} from '../../app/evaluation/evaluation-settings.ts';
import { exportEvaluationCasesCsv, exportEvaluationCsv } from '../../app/evaluation/export-evaluation.ts';
import { getEvaluation } from '../../app/evaluation/get-evaluation.ts';
import { listEvaluationCases } from '../../app/evaluation/list-evaluation-cases.ts';
import { listFollowUps } from '../../app/evaluation/list-follow-ups.ts';
import {
  COMMON_RULES,
  GRADES,
  INDICATORS,
  ITEM_REASONS,
  UNIT_KINDS,
  UNIT_KIND_NAMES,
  canEditEvaluationSettings,
  evaluationScope,
} from '../../core/evaluation/index.ts';
import { AppError } from '../../core/errors.ts';
import { forReading } from '../../db/database.ts';
import { requireActor } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { BoundedInteger } from '../input/index.ts';
import { errorResponses, StringEnum } from '../schemas/common.ts';
import {
  EvaluationCaseListSchema,
  EvaluationDefinitionsSchema,
  EvaluationSettingsSchema,
  EvaluationTableSchema,
  FollowUpListSchema,
  IndicatorIdSchema,
  PeriodQuery,
  UnitKindSchema,
} from '../schemas/evaluation.ts';

const errors = errorResponses(400, 401, 403);

const CasesQuery = {
  ...PeriodQuery,
  indicator: IndicatorIdSchema,
  unit: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_:.-]+$' }),
  unitKind: Type.Optional(UnitKindSchema),
  part: StringEnum(['numerator', 'denominator'] as const),
};

const CsvFile = Type.Unsafe<string>({ type: 'string', description: 'CSV, UTF-8 with BOM, Chinese headers' });

/** Sends a CSV download. */
const sendCsv = (reply: FastifyReply, file: { filename: string; body: string }) =>
  reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
    .header('cache-control', 'no-store')
    .send(file.body);

/** The evaluation (综合评价, DESIGN §7): leaders read it within their scope; district admins set weights. */
const evaluationRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const deps = { database: ctx.database, now: ctx.now ?? (() => new Date()) };
  // the table and its drill-down read the whole event log of a period: the read replica when configured
  // (the exports stay on the primary: they write their audit record)
  const reads = { ...deps, database: forReading(ctx.database) };

  app.get(
    '/api/v1/evaluation',
    {
      schema: {
        tags: ['evaluation'],
        summary: 'The evaluation table of one unit kind for a period (leaders, department leads)',
        description:
          'Per unit: every indicator of DESIGN §7 with numerator and denominator, composite score, grade, rank, ' +
          'small-sample flag and change from the previous period, computed from the case event log. Periods in ' +
          'Beijing time; see GET /api/v1/evaluation/definitions for the formulas and rules.',
        querystring: Type.Object({ ...PeriodQuery, unitKind: Type.Optional(UnitKindSchema) }),
        response: { 200: EvaluationTableSchema, ...errors },
      },
    },
    async (request) => getEvaluation(reads, requireActor(request), request.query),
  );

  app.get(
    '/api/v1/evaluation/cases',
    {
      schema: {
        tags: ['evaluation'],
        summary: 'The cases behind one number of the evaluation table (drill-down), each with its reason',
        querystring: Type.Object({
          ...CasesQuery,
          offset: Type.Optional(BoundedInteger({ minimum: 0, maximum: 10_000_000 })),
          limit: Type.Optional(BoundedInteger({ minimum: 1, maximum: 5000 })),
        }),
        response: { 200: EvaluationCaseListSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => listEvaluationCases(reads, requireActor(request), request.query),
  );

  app.get(
    '/api/v1/evaluation/export.csv',
    {
      schema: {
        tags: ['evaluation'],
        summary: 'The evaluation table as CSV (audited)',
        querystring: Type.Object({ ...PeriodQuery, unitKind: Type.Optional(UnitKindSchema) }),
        produces: ['text/csv'],
        response: { 200: CsvFile, ...errors },
      },
    },
    async (request, reply) =>
      sendCsv(
        reply,
        await exportEvaluationCsv(deps, requireActor(request), request.query, { address: request.ip }),
      ),
  );

  app.get(
    '/api/v1/evaluation/cases/export.csv',
    {
      schema: {
        tags: ['evaluation'],
        summary: 'The cases behind one number of the evaluation table as CSV (audited)',
        querystring: Type.Object(CasesQuery),
        produces: ['text/csv'],
        response: { 200: CsvFile, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      sendCsv(
        reply,
        await exportEvaluationCasesCsv(deps, requireActor(request), request.query, { address: request.ip }),
      ),
  );

  app.get(
    '/api/v1/evaluation/definitions',
    {
      schema: {
        tags: ['evaluation'],
        summary: 'Indicator definitions: formula, what counts, the standard, default weights (zh + en)',
        response: { 200: EvaluationDefinitionsSchema, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      if (!evaluationScope(actor) && !canEditEvaluationSettings(actor)) {
        throw new AppError('forbidden', 'Your role has no evaluation');
      }
      return {
        unitKinds: UNIT_KINDS.map((id) => ({ id, name: UNIT_KIND_NAMES[id] })),
        indicators: INDICATORS.map((d) => ({ ...d, kinds: [...d.kinds] })),
        grades: GRADES.map((g) => ({ grade: g.grade, min: Math.max(0, g.min) })),
        reasons: Object.entries(ITEM_REASONS).map(([id, name]) => ({
          id: id as keyof typeof ITEM_REASONS,
          name,
        })),
        rules: [...COMMON_RULES],
      };
    },
  );

  app.get(
    '/api/v1/evaluation/settings',
    {
      schema: {
        tags: ['evaluation'],
        summary: 'Weights and the small-sample threshold in force',
        response: { 200: EvaluationSettingsSchema, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      if (!evaluationScope(actor) && !canEditEvaluationSettings(actor)) {
        throw new AppError('forbidden', 'Your role has no evaluation');
      }
      return readEvaluationSettings(ctx.database.db);
    },
  );

  app.put(
    '/api/v1/evaluation/settings',
    {
      schema: {
        tags: ['evaluation'],
        summary: 'Set the weights and the small-sample threshold (district admins; audited)',
        body: EvaluationSettingsSchema,
        response: { 200: EvaluationSettingsSchema, ...errors },
      },
    },
    async (request) =>
      updateEvaluationSettings({ db: ctx.database.db, now: deps.now }, requireActor(request), request.body, {
        address: request.ip,
      }),
  );

  app.get(
    '/api/v1/follow-ups',
    {
      schema: {
        tags: ['evaluation'],
        summary:
          '回访: the follow-up tasks of the caller’s centre (dispatchers, shift leads, station operators)',
        description:
          'Closed cases reported by the public (citizen, Open311, 12345 hotline) with a phone or an account, owned ' +
          'by the caller’s centre, with no follow_up event since their closure; due a configurable number of ' +
          'working days after it (settings followUpDays). Also the closed cases whose last follow-up was ' +
          'unsatisfied, for a shift lead to reopen. Record a result with the case action follow_up.',
        querystring: Type.Object({
          status: Type.Optional(StringEnum(['all', 'overdue'] as const)),
          limit: Type.Optional(BoundedInteger({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: FollowUpListSchema, ...errors },
      },
    },
    async (request) => listFollowUps(deps, requireActor(request), request.query),
  );
};

export default evaluationRoutes;
