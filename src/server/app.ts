import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Actor } from '../core/actor.ts';
import { AppError } from '../core/errors.ts';
import type { AppContext } from './context.ts';
import { registerAuth } from './auth.ts';
import { publishContract, runtimeSchema, schemaNameKeyword } from './openapi.ts';
import { errorResponses, HealthSchema } from './schemas/common.ts';
import { errorHandler } from './problem.ts';
import { registerInputGuards } from './input/index.ts';
import { registerSecurity } from './security.ts';
import attachmentRoutes from './routes/attachments.ts';
import auditRoutes from './routes/audit.ts';
import baseInfoRoutes from './routes/baseinfo.ts';
import authRoutes from './routes/auth.ts';
import personalDataRoutes from './routes/personal-data.ts';
import userRoutes from './routes/users.ts';
import calendarRoutes from './routes/calendar.ts';
import caseRoutes from './routes/cases.ts';
import eventRoutes from './routes/events.ts';
import importRoutes from './routes/imports.ts';
import locateRoutes from './routes/locate.ts';
import territoryRoutes from './routes/territory.ts';
import adminReferenceRoutes from './routes/admin-reference.ts';
import mapRoutes from './routes/map.ts';
import mineRoutes from './routes/mine.ts';
import statsRoutes from './routes/stats.ts';
import evaluationRoutes from './routes/evaluation.ts';
import exportRoutes from './routes/exports.ts';
import consoleRoutes from './routes/console.ts';
import publicRoutes from './routes/public.ts';
import notificationRoutes from './routes/notifications.ts';
import patrolRoutes from './routes/patrols.ts';
import warningRoutes from './routes/warnings.ts';
import intakeRoutes from './routes/intake.ts';
import screeningRoutes from './routes/screening.ts';
import open311Routes from './routes/open311.ts';
import open311ClientRoutes from './routes/open311-clients.ts';
import webhookRoutes from './routes/webhooks.ts';
import webRoutes from './routes/web.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, or null (set by the auth hook). */
    actor: Actor | null;
  }
}

export interface BuildOptions {
  logger?: boolean | object;
  /**
   * Route validator and serialiser compilers (Fastify's `schemaController.compilersFactory`); default:
   * Fastify's own. Tests pass a cache shared by the many apps one process builds (test/support/compilers.ts).
   */
  schemaCompilers?: NonNullable<FastifyServerOptions['schemaController']>['compilersFactory'];
}

/** Builds the HTTP server: plugins, the problem+json error mapping, OpenAPI, and every route module. */
export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: ctx.config.trustProxy,
    ajv: {
      customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false },
      plugins: [schemaNameKeyword],
    },
    ...(options.schemaCompilers ? { schemaController: { compilersFactory: options.schemaCompilers } } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();

  if (ctx.config.trustProxy === true) {
    app.log.warn(
      'TRUST_PROXY=true trusts X-Forwarded-For from any client: anyone can pick the address that login ' +
        'throttling and the audit log see. Set TRUST_PROXY to the addresses/CIDRs of your proxies instead.',
    );
  }
  app.decorateRequest('actor', null);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    errorHandler(
      new AppError('not_found', `No route ${request.method} ${request.url.split('?')[0]}`),
      request,
      reply,
    ),
  );
  // NUL, unpaired surrogates and non-finite numbers answer 400 before anything reads them (auth included)
  registerInputGuards(app);
  // headers and rate limits before any route (rate limits attach per route); then who is calling
  await registerSecurity(app, ctx);
  await registerAuth(app, ctx);
  // brotli/gzip for API JSON and the web app's files (the region GeoJSON and maplibre shrink ~5×); the
  // SSE stream is hijacked and never passes through it, and images are not compressible types
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });

  // before swagger's own hook, so the document and the compiled route see the same schema
  app.addHook('onRoute', (route) => {
    if (route.schema) route.schema = runtimeSchema(route.schema);
  });
  await app.register(swagger, {
    transformObject: (document) => publishContract('openapiObject' in document ? document.openapiObject : {}),
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Liandong API',
        version: '1',
        description:
          'Liandong (联动) — grid-based city management. Errors are RFC 9457 problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'ld_session' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const health = {
    tags: ['system'],
    summary: 'Liveness and database kind',
    response: { 200: HealthSchema, ...errorResponses(500) },
  };
  app.get('/healthz', { schema: health }, async () => {
    await ctx.database.db.selectFrom('schema_migrations').select('name').limit(1).execute();
    return {
      status: 'ok' as const,
      database: ctx.database.kind,
      ...(ctx.seeding?.() ? { seeding: true } : {}),
    };
  });

  await app.register(territoryRoutes, ctx);
  await app.register(adminReferenceRoutes, ctx);
  await app.register(locateRoutes, ctx);
  await app.register(calendarRoutes, ctx);
  await app.register(mapRoutes, ctx);
  await app.register(statsRoutes, ctx);
  await app.register(evaluationRoutes, ctx);
  await app.register(exportRoutes, ctx);
  await app.register(consoleRoutes, ctx);
  await app.register(publicRoutes, ctx);
  await app.register(authRoutes, ctx);
  await app.register(userRoutes, ctx);
  await app.register(auditRoutes, ctx);
  await app.register(personalDataRoutes, ctx);
  await app.register(baseInfoRoutes, ctx);
  await app.register(caseRoutes, ctx);
  await app.register(mineRoutes, ctx);
  await app.register(attachmentRoutes, ctx);
  await app.register(notificationRoutes, ctx);
  await app.register(eventRoutes, ctx);
  await app.register(patrolRoutes, ctx);
  await app.register(warningRoutes, ctx);
  await app.register(intakeRoutes, ctx);
  await app.register(screeningRoutes, ctx);
  await app.register(importRoutes, ctx);
  await app.register(webhookRoutes, ctx);
  await app.register(open311Routes, ctx);
  await app.register(open311ClientRoutes, ctx);
  // the web console (SPA fallback) last, so every API route wins over it
  await app.register(webRoutes);
  return app;
}
