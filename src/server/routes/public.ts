import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IDEMPOTENCY_KEY } from '../../app/cases/idempotency.ts';
import { piiKeyring } from '../../app/baseinfo/pii.ts';
import { lookupPublicCase } from '../../app/public/lookup-public-case.ts';
import { nearbyPublicCases } from '../../app/public/nearby-public-cases.ts';
import { issueChallenge } from '../../app/public/proof-of-work.ts';
import { ratePublicCase } from '../../app/public/rate-public-case.ts';
import { reportAnonymously } from '../../app/public/report-anonymously.ts';
import { MAX_PUBLIC_PHOTO_BYTES, storePublicPhoto } from '../../app/public/store-public-photo.ts';
import { AppError } from '../../core/errors.ts';
import { caseServices, clientAddress } from '../case-services.ts';
import type { AppContext } from '../context.ts';
import { readSingleFile } from '../input/index.ts';
import { AttachmentSchema } from '../schemas/cases.ts';
import { errorResponses } from '../schemas/common.ts';
import {
  PublicCaseSchema,
  PublicChallengeSchema,
  PublicLookupBody,
  PublicNearbyBody,
  PublicNearbySchema,
  PublicRateBody,
  PublicReportBody,
  PublicReportSchema,
} from '../schemas/public.ts';
import { PUBLIC_RATE_LIMIT } from '../security.ts';

/**
 * Per client address, counted in the database so every server process shares them (security.ts), on top
 * of PUBLIC_RATE_LIMIT: anonymous reports and photos are writes anyone can make, so they get tighter
 * limits (src/app/public/README.md, "Abuse controls").
 */
export const PUBLIC_REPORT_RATE_LIMIT = { max: 10, timeWindow: '10 minutes' } as const;
export const PUBLIC_UPLOAD_RATE_LIMIT = { max: 20, timeWindow: '10 minutes' } as const;
export const PUBLIC_NEARBY_RATE_LIMIT = { max: 30, timeWindow: '1 minute' } as const;

/**
 * The citizens' page without an account (issues 9 §8 and 15): follow a case by its number and follow-up
 * code, report anonymously (challenge → photos → nearby → report), rate after closure.
 */
const publicRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const deps = caseServices(ctx, app);
  await app.register(multipart, {
    limits: { fileSize: MAX_PUBLIC_PHOTO_BYTES, files: 1, fields: 5, parts: 6 },
    throwFileSizeLimit: true,
  });

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
        body: PublicLookupBody,
        response: { 200: PublicCaseSchema, ...errorResponses(400, 404, 429) },
      },
    },
    async (request) => lookupPublicCase(ctx.database, request.body.caseNo, request.body.code),
  );

  app.get(
    '/api/v1/public/challenge',
    {
      config: { rateLimit: PUBLIC_RATE_LIMIT },
      schema: {
        tags: ['public'],
        summary: 'A proof-of-work challenge for one anonymous report (valid 15 minutes)',
        description:
          'Find a nonce (1–32 letters or digits) such that SHA-256(challenge ":" nonce) starts with `bits` ' +
          'zero bits, and send both with the report. Offline, no CAPTCHA service; one report per challenge.',
        response: { 200: PublicChallengeSchema, ...errorResponses(429) },
      },
    },
    async () => issueChallenge(piiKeyring(), deps.now()),
  );

  app.post(
    '/api/v1/public/attachments',
    {
      config: { rateLimit: PUBLIC_UPLOAD_RATE_LIMIT },
      schema: {
        tags: ['public'],
        summary:
          'Upload a photo for an anonymous report (multipart, one file, ≤ 5 MB: JPEG, PNG, WebP, HEIC)',
        description:
          'Name the returned id in POST /api/v1/public/reports; it cannot be read back without an account.',
        consumes: ['multipart/form-data'],
        response: { 201: AttachmentSchema, ...errorResponses(400, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart())
        throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data');
      const file = await readSingleFile(request);
      if (!file) throw new AppError('validation_failed', 'No file in the upload');
      const stored = await storePublicPhoto(deps, { data: file.data, filename: file.filename });
      return reply.status(201).send(stored);
    },
  );

  app.post(
    '/api/v1/public/cases/nearby',
    {
      config: { rateLimit: PUBLIC_NEARBY_RATE_LIMIT },
      schema: {
        tags: ['public'],
        summary:
          'Open cases of a category near a point (already reported?): public fields only, ≤ 5 within 150 m',
        description:
          'No numbers, descriptions, places or people: the public status, the day and a distance rounded to ' +
          '10 m. Sensitive categories answer an empty list. A POST so the citizen’s position stays out of logs.',
        body: PublicNearbyBody,
        response: { 200: PublicNearbySchema, ...errorResponses(400, 429) },
      },
    },
    async (request) => ({
      items: await nearbyPublicCases(ctx.database, {
        categoryCode: request.body.category,
        lon: request.body.location.lon,
        lat: request.body.location.lat,
      }),
    }),
  );

  app.post(
    '/api/v1/public/reports',
    {
      config: { rateLimit: PUBLIC_REPORT_RATE_LIMIT },
      schema: {
        tags: ['public'],
        summary: 'Report a problem without an account (匿名反映): answers the case number and follow-up code',
        description:
          'Needs a solved challenge (GET /api/v1/public/challenge), a phone number or e-mail for contact ' +
          '(stored encrypted), a public category. The case enters as source citizen and is verified on site ' +
          'before registration. Send an `Idempotency-Key` header so a retry never creates a second case.',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: PublicReportBody,
        response: { 201: PublicReportSchema, ...errorResponses(400, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
        throw new AppError('validation_failed', 'Idempotency-Key must be 1–200 visible ASCII characters');
      const created = await reportAnonymously(deps, request.body, {
        idempotencyKey: key,
        clientAddress: clientAddress(request),
      });
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/api/v1/public/cases/rate',
    {
      config: { rateLimit: PUBLIC_RATE_LIMIT },
      schema: {
        tags: ['public'],
        summary:
          'Rate a closed case once, as its anonymous reporter (number + follow-up code): the follow_up action',
        description:
          'Recorded as the workflow’s `follow_up` (回访) event, like the hotline’s. 404 as the lookup for a ' +
          'wrong number or code; 409 `already_rated`; 422 `case_not_closed`; 403 `not_anonymous_report` ' +
          '(a case reported with an account or by phone is rated there).',
        body: PublicRateBody,
        response: { 200: PublicCaseSchema, ...errorResponses(400, 403, 404, 409, 422, 429) },
      },
    },
    async (request) => ratePublicCase(deps, request.body, { clientAddress: clientAddress(request) }),
  );
};

export default publicRoutes;
