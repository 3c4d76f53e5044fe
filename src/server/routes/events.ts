import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { subscribeCaseChanges, type CaseChange } from '../../app/cases/events.ts';
import { isCaseInScope } from '../../core/policy/case-scope.ts';
import { requireActor } from '../auth.ts';
import { caseServices } from '../case-services.ts';
import type { AppContext } from '../context.ts';
import { errorResponses } from '../schemas/common.ts';

const HEARTBEAT_MS = 25_000;

/**
 * Live case changes as server-sent events (`event: case`), only for cases in the caller's scope. Works
 * across server instances on PostgreSQL (LISTEN/NOTIFY). The message says what changed, not the case:
 * consoles re-read what they show.
 */
const eventRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const { bus } = caseServices(ctx, app);
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
        summary: 'Server-sent events: case changes in your scope (text/event-stream)',
        produces: ['text/event-stream'],
        response: {
          200: Type.Unsafe<never>({
            type: 'string',
            description: '`event: case` messages: { caseId, caseNo, version, state, action } per change',
          }),
          ...errorResponses(401),
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      const send = (change: CaseChange) => {
        if (!isCaseInScope(change.scope, actor)) return;
        const { scope: _scope, ...visible } = change;
        res.write(
          `event: case\nid: ${change.caseId}:${change.version}\ndata: ${JSON.stringify(visible)}\n\n`,
        );
      };
      const unsubscribe = subscribeCaseChanges(bus, send);
      const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      const stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(end);
      };
      const end = () => {
        stop();
        res.end();
      };
      open.add(end);
      request.raw.on('close', stop);
      res.on('error', stop);
    },
  );
};

export default eventRoutes;
