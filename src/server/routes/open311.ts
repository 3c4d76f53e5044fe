import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { XMLBuilder } from 'fast-xml-parser';
import { Type, type TSchema } from 'typebox';
import { checkJurisdiction } from '../../app/open311/check-jurisdiction.ts';
import { hashOpen311Key } from '../../app/open311/client-key.ts';
import { IDEMPOTENCY_KEY } from '../../app/cases/idempotency.ts';
import { createOpen311Request } from '../../app/open311/create-open311-request.ts';
import { getOpen311Service } from '../../app/open311/get-open311-service.ts';
import { listOpen311Requests } from '../../app/open311/list-open311-requests.ts';
import { listOpen311Services } from '../../app/open311/list-open311-services.ts';
import {
  isOpen311Error,
  open311Errors,
  readRequestQuery,
  type Open311Error,
} from '../../core/open311/index.ts';
import { flattenPostBody, readPostRequest } from '../../core/open311/post-request.ts';
import { caseServices, clientAddress } from '../case-services.ts';
import type { AppContext } from '../context.ts';
import { HTTP_STATUS, toAppError } from '../problem.ts';
import {
  Open311CreatedSchema,
  Open311DiscoverySchema,
  Open311PostRequestBody,
  Open311ErrorsSchema,
  Open311RequestListSchema,
  Open311ServiceDefinitionSchema,
  Open311ServiceListSchema,
} from '../schemas/open311.ts';

type Format = 'json' | 'xml';
const FORMATS: Format[] = ['json', 'xml'];
const PREFIX = '/open311/v2';
const SPEC = 'http://wiki.open311.org/GeoReport_v2';
/** When this endpoint's description last changed (discovery `changeset`). */
const CHANGESET = '2026-12-02T00:00:00Z';

const xml = new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: false });

/** XML text of `root` (an element name → content), UTF-8 with its declaration; null becomes an empty element. */
function toXml(root: Record<string, unknown>): string {
  const clean = (v: unknown): unknown =>
    v === null || v === undefined
      ? ''
      : typeof v === 'boolean'
        ? String(v)
        : Array.isArray(v)
          ? v.map(clean)
          : typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)]))
            : v;
  return xml.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, ...(clean(root) as object) });
}

const formatOf = (url: string): Format => (url.split('?')[0]!.endsWith('.xml') ? 'xml' : 'json');

function sendError(reply: FastifyReply, format: Format, e: Open311Error) {
  const list = open311Errors(e);
  return format === 'xml'
    ? reply
        .status(e.status)
        .type('text/xml; charset=utf-8')
        .send(toXml({ errors: { error: list } }))
    : reply.status(e.status).type('application/json; charset=utf-8').send(list);
}

const JurisdictionQuery = {
  jurisdiction_id: Type.Optional(
    Type.String({ maxLength: 64, description: 'our district code, when given' }),
  ),
};
const errorSchemas = { 400: Open311ErrorsSchema, 404: Open311ErrorsSchema };
/** Per client key (its hash; the caller's address when there is none): POST requests a minute. */
export const OPEN311_POST_RATE_LIMIT = { max: 30, timeWindow: '1 minute' } as const;
const xmlAnswer = Type.Unsafe<string>({ type: 'string', description: 'the same fields as XML (UTF-8)' });

/**
 * Open311 GeoReport v2, read side (issue 15): discovery, services, service definitions, service requests —
 * each in JSON and XML by suffix, errors as the specification's `[{code, description}]` (`<errors>` in XML).
 * No sign-in (the specification's GET methods are public); sensitive cases are never listed.
 */
const open311Routes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const db = ctx.database.db;
  const now = ctx.now ?? (() => new Date());

  // every failure under /open311 answers in the specification's shape and the asked format
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error as Error);
    if (appError.code === 'internal') request.log.error({ err: error }, 'open311 request failed');
    const status = HTTP_STATUS[appError.code];
    return sendError(reply, formatOf(request.url), { status, code: status, description: appError.message });
  });

  const answer = (
    reply: FastifyReply,
    format: Format,
    json: unknown,
    xmlRoot: () => Record<string, unknown>,
  ) =>
    format === 'xml'
      ? reply.type('text/xml; charset=utf-8').send(toXml(xmlRoot()))
      : reply.type('application/json; charset=utf-8').send(json);

  const route = <Q extends TSchema, P extends TSchema>(
    path: string,
    summary: string,
    schemas: { querystring: Q; params?: P; json: TSchema },
    handler: (request: FastifyRequest, reply: FastifyReply, format: Format) => Promise<unknown>,
  ) => {
    for (const format of FORMATS) {
      app.get(
        `${PREFIX}/${path}.${format}`,
        {
          schema: {
            tags: ['open311'],
            summary: `${summary} (${format.toUpperCase()})`,
            querystring: schemas.querystring,
            ...(schemas.params ? { params: schemas.params } : {}),
            ...(format === 'xml' ? { produces: ['text/xml'] } : {}),
            response: { 200: format === 'json' ? schemas.json : xmlAnswer, ...errorSchemas },
          },
        },
        async (request, reply) => handler(request, reply, format),
      );
    }
  };

  route(
    'discovery',
    'Open311 service discovery',
    { querystring: Type.Object({}), json: Open311DiscoverySchema },
    async (request, reply, format) => {
      const base = `${request.protocol}://${request.host}${PREFIX}`;
      const endpoint = {
        specification: SPEC,
        url: base,
        changeset: CHANGESET,
        type: 'production',
        formats: ['application/json', 'text/xml'],
      };
      const doc = {
        changeset: CHANGESET,
        contact: 'Liandong 联动 — the district’s grid management centre',
        key_service: 'Client keys (api_key) are issued by the district administrators.',
        endpoints: [endpoint],
      };
      return answer(reply, format, doc, () => ({
        discovery: {
          ...doc,
          endpoints: { endpoint: { ...endpoint, formats: { format: endpoint.formats } } },
        },
      }));
    },
  );

  route(
    'services',
    'Open311 services: our categories (小类) with groups and keywords',
    { querystring: Type.Object(JurisdictionQuery), json: Open311ServiceListSchema },
    async (request, reply, format) => {
      const q = request.query as { jurisdiction_id?: string };
      const wrong = await checkJurisdiction(db, q.jurisdiction_id);
      if (wrong) return sendError(reply, format, wrong);
      const services = await listOpen311Services(db);
      return answer(reply, format, services, () => ({ services: { service: services } }));
    },
  );

  route(
    'services/:service_code',
    'Open311 service definition: the attributes a service asks for',
    {
      querystring: Type.Object(JurisdictionQuery),
      params: Type.Object({ service_code: Type.String({ maxLength: 20 }) }),
      json: Open311ServiceDefinitionSchema,
    },
    async (request, reply, format) => {
      const q = request.query as { jurisdiction_id?: string };
      const wrong = await checkJurisdiction(db, q.jurisdiction_id);
      if (wrong) return sendError(reply, format, wrong);
      const code = (request.params as { service_code: string }).service_code;
      const definition = await getOpen311Service(db, code);
      if (!definition)
        return sendError(reply, format, {
          status: 404,
          code: 404,
          description: `service_code ${code} not found`,
        });
      return answer(reply, format, definition, () => ({
        service_definition: {
          service_code: definition.service_code,
          attributes: {
            attribute: definition.attributes.map((a) => ({
              ...a,
              ...(a.values ? { values: { value: a.values } } : {}),
            })),
          },
        },
      }));
    },
  );

  const requestsQuery = Type.Object({
    ...JurisdictionQuery,
    service_request_id: Type.Optional(Type.String({ maxLength: 4000, description: 'comma-separated ids' })),
    service_code: Type.Optional(Type.String({ maxLength: 400, description: 'comma-separated codes' })),
    start_date: Type.Optional(Type.String({ maxLength: 40 })),
    end_date: Type.Optional(Type.String({ maxLength: 40 })),
    status: Type.Optional(
      Type.String({ maxLength: 40, description: 'open, closed or both comma-separated' }),
    ),
  });
  const requests = (format: Format, list: unknown[]) => ({ service_requests: { request: list } });

  // the specification's POST body is form-encoded: parsed here (this plugin only) into a flat object, so
  // `attribute[code]=value` keys arrive as they were sent; JSON bodies are accepted too
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_request, body, done) => {
      const fields: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body as string)) fields[k] = v;
      done(null, fields);
    },
  );
  for (const format of FORMATS) {
    app.post(
      `${PREFIX}/requests.${format}`,
      {
        schema: {
          tags: ['open311'],
          summary: `Open311 create a service request (${format.toUpperCase()})`,
          description:
            'For registered client systems (`api_key`). The request becomes a case through intake (source ' +
            'citizen or hotline per the client, verified on site before registration). Synchronous: the ' +
            'answer carries `service_request_id` (the case number) and our `follow_up_code`, never a token.',
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          headers: Type.Object({
            'idempotency-key': Type.Optional(
              Type.String({
                maxLength: 150,
                description:
                  'Optional (not in GeoReport v2): a retried POST with the same key and request answers the ' +
                  'first one’s case instead of creating another; the same key with another request is 409',
              }),
            ),
          }),
          body: Open311PostRequestBody,
          ...(format === 'xml' ? { produces: ['text/xml'] } : {}),
          response: {
            201: format === 'json' ? Open311CreatedSchema : xmlAnswer,
            ...errorSchemas,
            403: Open311ErrorsSchema,
            409: Open311ErrorsSchema,
            429: Open311ErrorsSchema,
          },
        },
        config: {
          rateLimit: {
            ...OPEN311_POST_RATE_LIMIT,
            hook: 'preHandler',
            keyGenerator: (request: FastifyRequest) => {
              const key = (request.body as { api_key?: unknown } | undefined)?.api_key;
              return typeof key === 'string' && key
                ? `open311:${hashOpen311Key(key)}`
                : `open311-ip:${request.ip}`;
            },
          },
        },
      },
      async (request, reply) => {
        const fields = flattenPostBody(request.body);
        const wrong = await checkJurisdiction(db, fields.jurisdiction_id);
        if (wrong) return sendError(reply, format, wrong);
        const input = readPostRequest(fields);
        if (isOpen311Error(input)) return sendError(reply, format, input);
        const key = request.headers['idempotency-key'];
        if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
          return sendError(reply, format, {
            status: 400,
            code: 400,
            description: 'Idempotency-Key must be 1–150 visible ASCII characters',
          });
        const created = await createOpen311Request(caseServices(ctx, app), input, {
          clientAddress: clientAddress(request),
          idempotencyKey: key,
        });
        if (isOpen311Error(created)) return sendError(reply, format, created);
        reply.status(201);
        return answer(reply, format, [created], () => requests(format, [created]));
      },
    );
  }

  route(
    'requests',
    'Open311 service requests: the last 90 days by default, at most 1000',
    { querystring: requestsQuery, json: Open311RequestListSchema },
    async (request, reply, format) => {
      const q = request.query as Record<string, string | undefined>;
      const wrong = await checkJurisdiction(db, q.jurisdiction_id);
      if (wrong) return sendError(reply, format, wrong);
      const query = readRequestQuery(q, now());
      if (isOpen311Error(query)) return sendError(reply, format, query);
      const list = await listOpen311Requests(db, query);
      return answer(reply, format, list, () => requests(format, list));
    },
  );

  route(
    'requests/:service_request_id',
    'Open311 one service request (a list of one)',
    {
      querystring: Type.Object(JurisdictionQuery),
      params: Type.Object({ service_request_id: Type.String({ maxLength: 40 }) }),
      json: Open311RequestListSchema,
    },
    async (request, reply, format) => {
      const q = request.query as { jurisdiction_id?: string };
      const wrong = await checkJurisdiction(db, q.jurisdiction_id);
      if (wrong) return sendError(reply, format, wrong);
      const id = (request.params as { service_request_id: string }).service_request_id;
      const query = readRequestQuery({ service_request_id: id }, now());
      if (isOpen311Error(query)) return sendError(reply, format, query);
      const list = await listOpen311Requests(db, query);
      if (list.length === 0)
        return sendError(reply, format, {
          status: 404,
          code: 404,
          description: `service_request_id ${id} not found`,
        });
      return answer(reply, format, list, () => requests(format, list));
    },
  );
};

export default open311Routes;
