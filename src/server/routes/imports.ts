import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createImportRun } from '../../app/imports/create-import-run.ts';
import { getImportRun, listImportRowErrors, listImportRuns } from '../../app/imports/query-imports.ts';
import { rowErrorsCsv } from '../../app/imports/row-errors-csv.ts';
import { runImport } from '../../app/imports/run-import.ts';
import { currentImportSealer } from '../../app/imports/sealer.ts';
import { prepareImportStart } from '../../app/imports/start-import.ts';
import { AppError } from '../../core/errors.ts';
import { importScope } from '../../core/imports/policy.ts';
import { requireActor } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { findInputFault, inputFaultError, multipartError } from '../input/index.ts';
import { errorResponses } from '../schemas/common.ts';
import {
  ImportKindQuery,
  ImportRowErrorPageSchema,
  ImportRunListSchema,
  ImportRunSchema,
  ImportStartSchema,
  ImportUploadSchema,
} from '../schemas/imports.ts';

/** The largest import file accepted over HTTP (a 200k-row people sheet is ~30 MB as CSV). */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

const RunId = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * Base-information imports (issue 12 §4): upload a file (stored in DATA_DIR/imports) and get the column
 * mapping preview; start it as a dry run or for real (it runs in this process, in batches); poll its
 * progress; read or download the row report. District admins anywhere, street operators (dispatcher,
 * shift lead) in their street; nobody else.
 */
const importRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const { database } = ctx;
  const now = ctx.now ?? (() => new Date());
  const uploads = path.join(ctx.config.dataDir, 'imports');
  await app.register(multipart, {
    limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5, parts: 6 },
    throwFileSizeLimit: true,
  });

  const mayImport = (request: Parameters<typeof requireActor>[0]) => {
    const actor = requireActor(request);
    if (!importScope(actor))
      throw new AppError('forbidden', 'Only administrators and street operators import base information');
    return actor;
  };

  app.post(
    '/api/v1/imports',
    {
      schema: {
        tags: ['imports'],
        summary:
          'Upload a base-information file (multipart/form-data, one file ≤ 200 MB: CSV in UTF-8/GBK or .xlsx); answers the run and a preview of the column mapping',
        consumes: ['multipart/form-data'],
        querystring: Type.Object({
          kind: ImportKindQuery,
          street: Type.Optional(Type.String({ pattern: '^[0-9]{9}$', description: 'street code' })),
        }),
        response: { 201: ImportUploadSchema, ...errorResponses(400, 401, 403, 413, 415) },
      },
    },
    async (request, reply) => {
      const actor = mayImport(request);
      if (!request.isMultipart())
        throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data');
      fs.mkdirSync(uploads, { recursive: true });
      const target = path.join(uploads, randomUUID());
      let fileName: string;
      try {
        const file = await request.file();
        if (!file) throw new AppError('validation_failed', 'No file in the upload');
        const fault =
          findInputFault(file.filename, '/body/filename') ??
          findInputFault(file.fieldname, '/body/fieldname');
        if (fault) throw inputFaultError(fault);
        fileName = file.filename || 'upload';
        await pipeline(file.file, fs.createWriteStream(target));
      } catch (error) {
        fs.rmSync(target, { force: true });
        const mapped = multipartError(error);
        if (mapped !== error) request.log.info({ err: error }, 'malformed import upload refused');
        throw mapped;
      }
      try {
        const created = await createImportRun(database, actor, {
          kind: request.query.kind,
          fileName,
          filePath: target,
          streetCode: request.query.street ?? null,
          dryRun: true,
        });
        return reply.status(201).send(created);
      } catch (error) {
        fs.rmSync(target, { force: true });
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/imports',
    {
      schema: {
        tags: ['imports'],
        summary: 'The latest import runs the caller may see (their street, or all for admins), newest first',
        querystring: Type.Object({
          kind: Type.Optional(ImportKindQuery),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
        response: { 200: ImportRunListSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = mayImport(request);
      return {
        items: await listImportRuns(database, actor, {
          limit: request.query.limit ?? 50,
          kind: request.query.kind,
          now: now(),
        }),
      };
    },
  );

  app.get(
    '/api/v1/imports/:id',
    {
      schema: {
        tags: ['imports'],
        summary: 'One import run: status, counts and progress (poll it while it runs)',
        params: RunId,
        response: { 200: ImportRunSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getImportRun(database, mayImport(request), request.params.id, now()),
  );

  app.post(
    '/api/v1/imports/:id/start',
    {
      schema: {
        tags: ['imports'],
        summary:
          'Start an uploaded run (dry run or real); a finished run starts a new run over the same file. Runs in the background: poll the run',
        params: RunId,
        body: ImportStartSchema,
        response: { 202: ImportRunSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = mayImport(request);
      const run = await prepareImportStart(database, actor, request.params.id, {
        dryRun: request.body.dryRun,
      });
      const log = request.log;
      // runs in this process after the answer; its outcome is in the run row, its failure in the log
      runImport({ database, logger: log, sealer: currentImportSealer(), now }, run.id).catch(
        (error: unknown) => log.error({ err: error, runId: run.id }, 'import run could not start'),
      );
      return reply.status(202).send({ ...run, status: 'running' as const });
    },
  );

  app.get(
    '/api/v1/imports/:id/errors',
    {
      schema: {
        tags: ['imports'],
        summary: "A page of a run's row report: refused rows with column, value (masked) and reason",
        params: RunId,
        querystring: Type.Object({
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        }),
        response: { 200: ImportRowErrorPageSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      listImportRowErrors(database, mayImport(request), request.params.id, {
        offset: request.query.offset ?? 0,
        limit: request.query.limit ?? 100,
      }),
  );

  app.get(
    '/api/v1/imports/:id/errors.csv',
    {
      schema: {
        tags: ['imports'],
        summary: 'The whole row report of a run as CSV (UTF-8 with BOM, opens in Excel)',
        params: RunId,
        produces: ['text/csv'],
        response: {
          200: Type.Unsafe<Readable>({
            type: 'string',
            description: 'CSV: row, column, value, reason, description',
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const run = await getImportRun(database, mayImport(request), request.params.id);
      const name = encodeURIComponent(`${run.fileName.replace(/\.[^.]*$/, '')}-refused-rows.csv`);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename*=UTF-8''${name}`)
        .header('cache-control', 'no-store')
        .send(rowErrorsCsv(database, run.id));
    },
  );
};

export default importRoutes;
