import type { FastifyInstance } from 'fastify';
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '../../web/src/api/schema.d.ts';

/**
 * A typed API client for tests: openapi-fetch over the committed contract (the same generated types the
 * web app uses), sending each request through `app.inject` — no network, the real server in process.
 * A response field the contract does not declare is a type error here, as in the web app.
 */
export type Api = Client<paths>;
export type Schemas = components['schemas'];

/** A request header naming the client address the injected request comes from (see `apiClient`). */
export const REMOTE_ADDRESS = 'x-test-remote-address';

export function apiClient(app: FastifyInstance, headers: Record<string, string> = {}): Api {
  return createClient<paths>({
    baseUrl: 'http://liandong.test',
    headers,
    fetch: async (request: Request) => {
      const url = new URL(request.url);
      const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
      const headers = Object.fromEntries(request.headers.entries());
      // a test may send from a given client address (rate limits per address): the header never reaches the server
      const remoteAddress = headers[REMOTE_ADDRESS];
      delete headers[REMOTE_ADDRESS];
      const res = await app.inject({
        method: request.method as 'GET',
        url: url.pathname + url.search,
        headers,
        ...(remoteAddress ? { remoteAddress } : {}),
        ...(body ? { payload: body } : {}),
      });
      const responseHeaders = new Headers();
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(', ') : String(v));
      }
      const empty = res.statusCode === 204 || res.statusCode === 304;
      return new Response(empty ? null : res.rawPayload, {
        status: res.statusCode,
        headers: responseHeaders,
      });
    },
  });
}

/** The data of a successful answer, or a failed expectation naming the problem the server sent. */
export function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(`${result.response.status}: ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

/** A workflow action (every case action but `report`, which creates the case). */
export type TransitionAction = Exclude<Schemas['CaseActionName'], 'report'>;
type ActionPath<A extends TransitionAction> = `/api/v1/cases/{id}/actions/${A}`;
/** The published body of an action: its payload plus the case `version`. */
export type ActionBody<A extends TransitionAction> =
  ActionPath<A> extends keyof paths
    ? paths[ActionPath<A>]['post'] extends { requestBody: { content: { 'application/json': infer B } } }
      ? B
      : never
    : never;

/** POST /api/v1/cases/{id}/actions/{action} with the action's typed body. */
export function performAction<A extends TransitionAction>(
  api: Api,
  id: string,
  action: A,
  body: ActionBody<A>,
) {
  // one operation per action in the contract, all answering CaseActionResult: any one types the call
  const path = `/api/v1/cases/{id}/actions/${action}` as ActionPath<'sign'>;
  return api.POST(path, { params: { path: { id } }, body: body as ActionBody<'sign'> });
}
