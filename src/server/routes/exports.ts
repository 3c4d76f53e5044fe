import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import {
  exportEvaluationCasesFile,
  exportEvaluationFile,
} from '../../app/evaluation/export-evaluation-file.ts';
import { exportCases } from '../../app/exports/export-cases.ts';
import { generateMonthlyReportPdf } from '../../app/reports/generate-monthly-report.ts';
import { EXPORT_FORMATS } from '../../core/exports/columns.ts';
import { CASE_STATE_LIST, type CaseState } from '../../core/workflow/states.ts';
import type { CaseSource } from '../../db/schema/cases.ts';
import { requireActor } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { errorResponses, StringEnum } from '../schemas/common.ts';
import { IndicatorIdSchema, PeriodQuery, UnitKindSchema } from '../schemas/evaluation.ts';
import { ListQuery, listOf, SOURCES } from './cases.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Format = Type.Optional(StringEnum([...EXPORT_FORMATS], { description: 'xlsx (default) or csv' }));
const Lang = Type.Optional(
  StringEnum(['zh', 'en'], { description: 'headers and labels: zh (default) or en' }),
);
const TableFile = Type.Unsafe<string>({
  type: 'string',
  format: 'binary',
  description: '.xlsx (frozen header row, dates as dates, numbers as numbers) or CSV (UTF-8 with BOM)',
});
const XlsxFile = Type.Unsafe<string>({ type: 'string', format: 'binary', description: '.xlsx' });
const PdfFile = Type.Unsafe<string>({
  type: 'string',
  format: 'binary',
  description: 'PDF (A4, CJK font embedded)',
});

const { cursor: _cursor, limit: _limit, ...caseFilters } = ListQuery.properties;

const CasesQuery = {
  ...PeriodQuery,
  indicator: IndicatorIdSchema,
  unit: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_:.-]+$' }),
  unitKind: Type.Optional(UnitKindSchema),
  part: StringEnum(['numerator', 'denominator'] as const),
};

/** Sends a file download (a stream or bytes), never cached. */
const sendFile = (
  reply: FastifyReply,
  file: { filename: string; contentType: string; stream?: Readable; body?: Buffer },
) =>
  reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
    .header('cache-control', 'no-store')
    .send(file.stream ?? file.body);

/**
 * Exports and reports (issue 14): the case list and the evaluation as spreadsheets (streamed), the monthly
 * report as PDF. Each goes through the use case of the page it exports, with the caller's scope, and is
 * audited before the first byte.
 */
const exportRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const now = ctx.now ?? (() => new Date());
  const logger = app.log.child({ component: 'exports' });
  const deps = { database: ctx.database, now, logger };

  app.get(
    '/api/v1/cases/export',
    {
      schema: {
        tags: ['cases'],
        summary: 'The case list with the workbench filters as .xlsx or CSV, streamed (audited)',
        description:
          'The cases of GET /api/v1/cases (the same scope and filters, every page), read in keyset pages while ' +
          'the file streams. The reporter’s name and phone are masked unless you must contact the reporter.',
        querystring: Type.Object({ ...caseFilters, format: Format, lang: Lang }),
        produces: [XLSX, 'text/csv'],
        response: { 200: TableFile, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { state, source, format, lang, ...rest } = request.query;
      const file = await exportCases(
        deps,
        requireActor(request),
        {
          ...rest,
          state: listOf<CaseState>(state, CASE_STATE_LIST, 'state'),
          source: listOf<CaseSource>(source, SOURCES, 'source'),
        },
        { format: format ?? 'xlsx', lang: lang ?? 'zh', address: request.ip },
      );
      return sendFile(reply, file);
    },
  );

  app.get(
    '/api/v1/evaluation/export.xlsx',
    {
      schema: {
        tags: ['evaluation'],
        summary: 'The evaluation table as .xlsx (rates as percentages, numbers as numbers; audited)',
        querystring: Type.Object({ ...PeriodQuery, unitKind: Type.Optional(UnitKindSchema), lang: Lang }),
        produces: [XLSX],
        response: { 200: XlsxFile, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { lang, ...input } = request.query;
      return sendFile(
        reply,
        await exportEvaluationFile(deps, requireActor(request), input, {
          format: 'xlsx',
          lang: lang ?? 'zh',
          address: request.ip,
        }),
      );
    },
  );

  app.get(
    '/api/v1/evaluation/cases/export.xlsx',
    {
      schema: {
        tags: ['evaluation'],
        summary: 'The cases behind one number of the evaluation table as .xlsx (audited)',
        querystring: Type.Object({ ...CasesQuery, lang: Lang }),
        produces: [XLSX],
        response: { 200: XlsxFile, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { lang, ...input } = request.query;
      return sendFile(
        reply,
        await exportEvaluationCasesFile(deps, requireActor(request), input, {
          format: 'xlsx',
          lang: lang ?? 'zh',
          address: request.ip,
        }),
      );
    },
  );

  app.get(
    '/api/v1/reports/monthly',
    {
      schema: {
        tags: ['evaluation'],
        summary: 'The monthly report (月度考评报告) of the district or a street as PDF (audited)',
        description:
          'Summary, indicator table, rankings, six-month trend and the month’s notable cases. The figures are ' +
          'those of GET /api/v1/evaluation (the same use case, your scope).',
        querystring: Type.Object({
          period: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: 'a month, YYYY-MM' }),
          unit: Type.String({ pattern: '^([0-9]{6}|[0-9]{9})$', description: 'district or street code' }),
        }),
        produces: ['application/pdf'],
        response: { 200: PdfFile, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const file = await generateMonthlyReportPdf(deps, requireActor(request), request.query, {
        font: ctx.config.reportFont,
        address: request.ip,
      });
      return sendFile(reply, { filename: file.filename, contentType: 'application/pdf', body: file.body });
    },
  );
};

export default exportRoutes;
