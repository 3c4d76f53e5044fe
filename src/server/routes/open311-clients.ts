import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  listOpen311Clients,
  registerOpen311Client,
  setOpen311ClientEnabled,
} from '../../app/open311/open311-clients.ts';
import { requireActor } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { errorResponses } from '../schemas/common.ts';
import {
  Open311ClientKeySchema,
  Open311ClientListSchema,
  Open311ClientSchema,
  RegisterOpen311ClientBody,
  SetOpen311ClientEnabledBody,
} from '../schemas/open311.ts';

const ClientId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const tags = ['open311'];

/**
 * Open311 client systems (district admins; every change audited): register (the key is shown once),
 * disable/enable, list with their request counts.
 */
const open311ClientRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const deps = { database: ctx.database, now: ctx.now ?? (() => new Date()) };

  app.get(
    '/api/v1/open311/clients',
    {
      schema: {
        tags,
        summary: 'Open311 client systems with their request counts (admins)',
        response: { 200: Open311ClientListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: await listOpen311Clients(deps, requireActor(request)) }),
  );

  app.post(
    '/api/v1/open311/clients',
    {
      schema: {
        tags,
        summary: 'Register an Open311 client system (admins); its key is shown once',
        body: RegisterOpen311ClientBody,
        response: { 201: Open311ClientKeySchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const result = await registerOpen311Client(deps, requireActor(request), request.body, {
        address: request.ip,
      });
      return reply.status(201).send(result);
    },
  );

  app.put(
    '/api/v1/open311/clients/:id/enabled',
    {
      schema: {
        tags,
        summary: 'Enable or disable an Open311 client system (admins)',
        params: ClientId,
        body: SetOpen311ClientEnabledBody,
        response: { 200: Open311ClientSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      setOpen311ClientEnabled(deps, requireActor(request), request.params.id, request.body.enabled, {
        address: request.ip,
      }),
  );
};

export default open311ClientRoutes;
