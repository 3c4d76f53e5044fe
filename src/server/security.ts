import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { countRequest, readRequestCount } from '../app/identity/request-limits.ts';
import { basemapSettings } from '../config.ts';
import { AppError } from '../core/errors.ts';
import { basemapOrigins, resolveBasemap } from '../core/geo/basemap.ts';
import type { Database } from '../db/database.ts';
import type { AppContext } from './context.ts';

/**
 * Hardening at the edge (issue 4 §6): security headers, rate limits. Body size limits are Fastify's
 * `bodyLimit` (1 MiB for JSON, set in buildApp; uploads set their own per route); error bodies never carry
 * stack traces or SQL (src/server/problem.ts).
 *
 * Rate limits are per route and client address, counted in the database (`request_limits`, one upsert per
 * request: src/app/identity/request-limits.ts), so every server process on one database shares them (issue
 * 10 §4); the per-account login throttle is in the database too. Routes opt in with
 * `config: { rateLimit: LOGIN_RATE_LIMIT | PUBLIC_RATE_LIMIT }`.
 */
export const LOGIN_RATE_LIMIT = { max: 30, timeWindow: '1 minute' } as const;

/** For endpoints anyone may call without signing in (citizen reports, Open311, case lookup by number). */
export const PUBLIC_RATE_LIMIT = { max: 60, timeWindow: '1 minute' } as const;

/** Origins outside our own that the web map must reach (the configured basemap's tile servers). */
function tileOrigins(ctx: AppContext): string[] {
  return basemapOrigins(resolveBasemap(basemapSettings(ctx.config)));
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
    store: databaseRateLimitStore(ctx.database, app),
    // a database that does not answer fails the route itself; the counter's error is logged, not a 500 here
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `Too many requests; retry in ${context.after}`, {
        retryAfter: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
  });
}

type StoreCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A `@fastify/rate-limit` store over the `request_limits` table: each route's limiter gets its own key
 * prefix (method and URL), like the in-memory store's one cache per route. Failures are logged and the
 * request goes on (`skipOnError`): a counter must not turn a database hiccup into refusals.
 */
function databaseRateLimitStore(database: Database, app: FastifyInstance) {
  const log = app.log.child({ component: 'rate-limit' });
  return class DatabaseRateLimitStore {
    constructor(
      _options: unknown,
      readonly prefix = '',
    ) {}
    incr(key: string, done: StoreCallback, timeWindow: number): void {
      countRequest(database.db, this.prefix + key, timeWindow).then(
        (r) => done(null, r),
        (error: unknown) => {
          log.error({ err: error }, 'rate limit counter failed');
          done(error instanceof Error ? error : new Error(String(error)));
        },
      );
    }
    read(key: string, done: StoreCallback, timeWindow: number): void {
      readRequestCount(database.db, this.prefix + key, timeWindow).then(
        (r) => done(null, r),
        (error: unknown) => {
          log.error({ err: error }, 'rate limit counter read failed');
          done(error instanceof Error ? error : new Error(String(error)));
        },
      );
    }
    // called with the route's merged limit options, whose `routeInfo` is the route (method, url)
    child(routeOptions: object) {
      const info = (routeOptions as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo;
      const method = Array.isArray(info?.method) ? info.method.join(',') : (info?.method ?? '');
      return new DatabaseRateLimitStore(routeOptions, `${method} ${info?.url ?? ''}|`);
    }
  };
}
