import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { subscribeCaseChanges, type CaseChange, type WarningChange } from '../../app/cases/events.ts';
import { authenticate } from '../../app/identity/authenticate.ts';
import type { Actor } from '../../core/actor.ts';
import { isCaseInScope } from '../../core/policy/case-scope.ts';
import { isPublicStep, seesPublicViewOnly } from '../../core/policy/citizen-view.ts';
import { canSeeWarning } from '../../core/warnings/access.ts';
import { identityDeps, requireActor } from '../auth.ts';
import { caseServices } from '../case-services.ts';
import type { AppContext } from '../context.ts';
import { errorResponses } from '../schemas/common.ts';

const HEARTBEAT_MS = 25_000;
/** How often an open stream re-reads its session, even when nothing is delivered. */
export const SESSION_CHECK_MS = 10_000;
/** How long a delivery may rely on the last session read before reading it again. */
export const SESSION_CACHE_MS = 2_000;

/**
 * Live case changes as server-sent events (`event: case`), only for cases in the caller's scope, and
 * warnings raised or acted on (`event: warning`), only for the centres that see them. Works
 * across server instances on PostgreSQL (LISTEN/NOTIFY). The message says what changed, not the case:
 * consoles re-read what they show.
 *
 * A stream lives no longer than its session (issue 9 §5): every delivery re-reads the session when the
 * last read is older than a few seconds, and a timer re-reads it at short intervals, so logout, expiry,
 * a disabled account or a changed role/unit end the stream or narrow it to the scope of *now*. A stream
 * that ends is closed; the browser reconnects (`retry`) and is refused or gets its new scope.
 */
const eventRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const { bus } = caseServices(ctx, app);
  const deps = identityDeps(ctx);
  const checkMs = ctx.liveSessionCheckMs ?? SESSION_CHECK_MS;
  const cacheMs = ctx.liveSessionCacheMs ?? SESSION_CACHE_MS;
  const open = new Set<() => void>();
  // a server shutting down ends its streams, or close would wait for them (browsers reconnect elsewhere)
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['cases'],
        summary: 'Server-sent events: case and warning changes in your scope (text/event-stream)',
        produces: ['text/event-stream'],
        response: {
          200: Type.Unsafe<never>({
            type: 'string',
            description:
              '`event: case` messages: { caseId, caseNo, version, state, action } per change; ' +
              '`event: warning` messages: { warningId, rule, action, state, ownerCode, at } per warning change',
          }),
          ...errorResponses(401),
        },
      },
    },
    async (request, reply) => {
      let actor: Actor = requireActor(request);
      const token = request.sessionToken!;
      let expiresAt = request.sessionExpiresAt?.getTime() ?? 0;
      let readAt = performance.now();
      let ended = false;
      let reading: Promise<Actor | null> | null = null;

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n\n');

      /** Re-reads the session; ends the stream (and answers null) when it is gone. */
      const reread = (): Promise<Actor | null> => {
        reading ??= authenticate(deps, token)
          .then(
            (auth) => {
              if (!auth) {
                request.log.info({ userId: actor.userId }, 'live stream closed: the session ended');
                end();
                return null;
              }
              actor = auth.actor;
              expiresAt = auth.expiresAt.getTime();
              readAt = performance.now();
              return actor;
            },
            (error: unknown) => {
              // without a session read the scope is unknown: close, the browser reconnects and is checked anew
              request.log.warn({ err: error }, 'live stream closed: the session could not be read');
              end();
              return null;
            },
          )
          .finally(() => {
            reading = null;
          });
        return reading;
      };
      /** The actor of now: the cached one while fresh and unexpired, else read again. */
      const current = async (): Promise<Actor | null> => {
        if (ended) return null;
        if (deps.now().getTime() >= expiresAt) {
          request.log.info({ userId: actor.userId }, 'live stream closed: the session expired');
          end();
          return null;
        }
        return performance.now() - readAt > cacheMs ? reread() : actor;
      };

      // deliveries run one after another, so changes keep their order while the session is re-read
      let queue = Promise.resolve();
      const send = (change: CaseChange) => {
        queue = queue
          .then(async () => {
            const now = await current();
            if (!now || ended || !isCaseInScope(change.scope, now)) return;
            // a citizen follows their own cases by the public steps only (issue 11 §5): an escalation, a
            // note or a handling step is internal, and the stream must not tell of it
            if (seesPublicViewOnly(now) && !isPublicStep(change.action)) return;
            const { scope: _scope, ...visible } = change;
            res.write(
              `event: case\nid: ${change.caseId}:${change.version}\ndata: ${JSON.stringify(visible)}\n\n`,
            );
          })
          .catch((error: unknown) => {
            request.log.warn({ err: error }, 'live stream closed: a delivery failed');
            end();
          });
      };
      const sendWarning = (change: WarningChange) => {
        queue = queue
          .then(async () => {
            const now = await current();
            if (!now || ended || !canSeeWarning(now, { ownerCode: change.ownerCode })) return;
            res.write(
              `event: warning\nid: warning:${change.warningId}:${change.action}\ndata: ${JSON.stringify(change)}\n\n`,
            );
          })
          .catch((error: unknown) => {
            request.log.warn({ err: error }, 'live stream closed: a delivery failed');
            end();
          });
      };
      const unsubscribeCases = subscribeCaseChanges(bus, send);
      const unsubscribeWarnings = bus.subscribeWarnings(sendWarning);
      const unsubscribe = () => {
        unsubscribeCases();
        unsubscribeWarnings();
      };
      const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      const check = setInterval(() => {
        if (ended || reading) return;
        if (deps.now().getTime() >= expiresAt) void current();
        else void reread();
      }, checkMs);
      const stop = () => {
        ended = true;
        clearInterval(heartbeat);
        clearInterval(check);
        unsubscribe();
        open.delete(end);
      };
      function end() {
        if (ended) return;
        stop();
        res.end();
      }
      open.add(end);
      request.raw.on('close', stop);
      res.on('error', stop);
    },
  );
};

export default eventRoutes;
