import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getAttachment } from '../../app/cases/get-attachment.ts';
import { MAX_ATTACHMENT_BYTES, storeAttachment } from '../../app/cases/store-attachment.ts';
import { AppError } from '../../core/errors.ts';
import { requireActor } from '../auth.ts';
import { caseServices } from '../case-services.ts';
import type { AppContext } from '../context.ts';
import { readSingleFile } from '../input/index.ts';
import { ProblemSchema } from '../problem.ts';
import { AttachmentSchema } from '../schemas/cases.ts';
import { errorResponses } from '../schemas/common.ts';

/**
 * Photos and documents. Upload first (multipart, one file), then name the returned id in a report or an
 * action; the file's type is read from its content, not from its name or Content-Type.
 */
/** Types shown inline (raster photos); everything else is served as a download. */
const INLINE_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'image/heif',
]);

const attachmentRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const deps = caseServices(ctx, app);
  await app.register(multipart, {
    limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 5, parts: 6 },
    throwFileSizeLimit: true,
  });

  app.post(
    '/api/v1/attachments',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Upload a photo or document (multipart/form-data, one file, ≤ 10 MB: JPEG, PNG, WebP, HEIC, PDF)',
        consumes: ['multipart/form-data'],
        response: {
          201: AttachmentSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          413: ProblemSchema,
          415: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!request.isMultipart()) {
        throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data');
      }
      const file = await readSingleFile(request);
      if (!file) throw new AppError('validation_failed', 'No file in the upload');
      const stored = await storeAttachment(deps, actor, { data: file.data, filename: file.filename });
      return reply.status(201).send(stored);
    },
  );

  app.get(
    '/api/v1/attachments/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'The bytes of an attachment (its uploader, or anyone who may see its case)',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        produces: ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf'],
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the file' }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const a = await getAttachment(deps, actor, request.params.id);
      const name = encodeURIComponent(a.filename ?? `${a.sha256.slice(0, 12)}`);
      return (
        reply
          .header('content-type', a.mime)
          .header('content-length', String(a.size))
          .header('etag', `"${a.sha256}"`)
          .header('cache-control', 'private, max-age=31536000, immutable')
          .header('x-content-type-options', 'nosniff')
          // only photos show in the page; a PDF (or anything else) is downloaded, never rendered in our origin
          .header(
            'content-disposition',
            `${INLINE_TYPES.has(a.mime) ? 'inline' : 'attachment'}; filename*=UTF-8''${name}`,
          )
          .send(a.data)
      );
    },
  );
};

export default attachmentRoutes;
