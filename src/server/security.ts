import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors.ts';
import type { AppContext } from './context.ts';

/**
 * Hardening at the edge (issue 4 §6): security headers, rate limits. Body size limits are Fastify's
 * `bodyLimit` (1 MiB for JSON, set in buildApp; uploads set their own per route); error bodies never carry
 * stack traces or SQL (src/server/problem.ts).
 *
 * Rate limits are per client address and per server process (in memory): they blunt floods; the
 * per-account login throttle in the database is what holds across instances.
 * Routes opt in with `config: { rateLimit: LOGIN_RATE_LIMIT | PUBLIC_RATE_LIMIT }`.
 */
export const LOGIN_RATE_LIMIT = { max: 30, timeWindow: '1 minute' } as const;

/** For endpoints anyone may call without signing in (citizen reports, Open311, case lookup by number). */
export const PUBLIC_RATE_LIMIT = { max: 60, timeWindow: '1 minute' } as const;

/** Origins outside our own that the web map must reach (a deployment's raster tile server). */
function tileOrigins(ctx: AppContext): string[] {
  const url = ctx.config.mapTileUrl;
  if (!url) return [];
  try {
    return [new URL(url.replace(/[{}]/g, '')).origin];
  } catch {
    return [];
  }
}

/** Registers helmet and the rate limiter. Must run before any route is added (rate limits hook onRoute). */
export async function registerSecurity(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const tiles = tileOrigins(ctx);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        // the SPA's own bundles only: no inline scripts, no eval
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // maplibre, echarts and React set inline style attributes
        styleSrc: ["'self'", "'unsafe-inline'"],
        // maplibre runs its workers from blob: URLs and decodes tiles into blob:/data: images
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        imgSrc: ["'self'", 'data:', 'blob:', ...tiles],
        connectSrc: ["'self'", ...tiles],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    // tiles and photos may come from other origins (object storage); they are not documents
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'same-origin' },
  });

  // API answers can carry personal data (reporters, phones, case details, session tokens): no browser or
  // proxy may keep them (等保 2.0 personal data protection). Attachments keep their own private caching.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/') && /json/.test(String(reply.getHeader('content-type') ?? ''))) {
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `Too many requests; retry in ${context.after}`, {
        retryAfter: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
  });
}
