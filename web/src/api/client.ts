/**
 * The one way the console talks to the server: same-origin fetch with the session cookie, the CSRF
 * header on unsafe requests, and RFC 9457 problem+json turned into `ApiError` with the stable code.
 *
 * Pages call the API through `client`, an openapi-fetch client typed by the generated contract
 * (`schema.d.ts`, `npm run openapi`): a path, a query parameter or a body the contract does not have
 * fails `npm run typecheck`. `call()` unwraps its answer (data, or a thrown `ApiError`); `useCall()` in
 * `hooks.ts` loads one into a component. There is no untyped way in: the only calls whose body the
 * contract cannot type are the multipart uploads below. Downloads (CSV, .xlsx) are plain links.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail?: string;
  [extension: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? problem.code);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

const CSRF_COOKIE = 'ld_csrf';
const CSRF_HEADER = 'x-csrf-token';

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

let csrfToken: string | undefined;
/** The login answer may carry the CSRF token; remember it for cookie-authenticated unsafe requests. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

let onUnauthenticated: (() => void) | undefined;
/** Called when any request answers 401 (session expired): the session provider sends the user to login. */
export function setUnauthenticatedHandler(handler: (() => void) | undefined): void {
  onUnauthenticated = handler;
}

/**
 * The typed API client. Every call answers `{ data, error, response }`; wrap it in `call()` to get the
 * data or an `ApiError`, e.g. `await call(client.GET('/api/v1/cases/{id}', { params: { path: { id } } }))`.
 */
export const client = createClient<paths>({
  baseUrl: typeof location === 'undefined' ? 'http://localhost' : location.origin,
  credentials: 'same-origin',
  headers: { accept: 'application/json, application/problem+json' },
});
client.use({
  onRequest({ request }) {
    if (request.method !== 'GET') {
      const token = csrfToken ?? readCookie(CSRF_COOKIE);
      if (token) request.headers.set(CSRF_HEADER, token);
    }
    return request;
  },
});

/** Query parameters from a filter form: the fields left empty (`''`) are not sent. */
export function withoutEmpty<T extends object>(params: T): { [K in keyof T]?: Exclude<T[K], ''> } {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== '')) as {
    [K in keyof T]?: Exclude<T[K], ''>;
  };
}

/** What a typed client call resolves to (openapi-fetch's FetchResponse, loosely). */
export interface CallResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Options of `call`. */
export interface CallOptions {
  /** Do not trigger the global 401 handler (login, the initial /me probe, public pages). */
  quiet401?: boolean;
}

/**
 * The data of a typed client call, or an `ApiError`: the server's problem+json with its stable code (and
 * `reason`), `network` when the server could not be reached, `internal`/`http_error` without a problem.
 * A 401 calls the session's handler unless `quiet401`. An aborted call rethrows the AbortError.
 */
export async function call<T>(pending: Promise<CallResult<T>>, options: CallOptions = {}): Promise<T> {
  let result: CallResult<T>;
  try {
    result = await pending;
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({ status: 0, code: 'network', detail: (error as Error).message });
  }
  const { response } = result;
  if (!response.ok) throw failure(response, result.error, options.quiet401 ?? false);
  return result.data as T;
}

function failure(response: Response, data: unknown, quiet401: boolean): ApiError {
  const problem: Problem =
    data && typeof data === 'object' && 'code' in data
      ? ({ ...(data as object), status: response.status } as Problem)
      : {
          status: response.status,
          code: response.status >= 500 ? 'internal' : 'http_error',
          detail: response.statusText,
        };
  if (response.status === 401 && !quiet401) onUnauthenticated?.();
  return new ApiError(problem);
}

/** The JSON answer of `path`'s `method` with the given success status, as the contract declares it. */
export type Answer<
  P extends keyof paths,
  M extends 'get' | 'post' | 'put' | 'patch' | 'delete',
  S extends number = 200,
> = paths[P][M] extends { responses: { [K in S]: { content: { 'application/json': infer A } } } } ? A : never;

/** A workflow action (every case action but `report`, which creates the case). */
export type TransitionAction = Exclude<components['schemas']['CaseActionName'], 'report'>;
type ActionPath<A extends TransitionAction> = `/api/v1/cases/{id}/actions/${A}`;
/** The published body of an action: its payload plus the case `version`. */
export type ActionBody<A extends TransitionAction> =
  ActionPath<A> extends keyof paths
    ? paths[ActionPath<A>]['post'] extends { requestBody: { content: { 'application/json': infer B } } }
      ? B
      : never
    : never;

/** POST /api/v1/cases/{id}/actions/{action} (one operation per action in the contract) with its typed body. */
export function postAction<A extends TransitionAction>(id: string, action: A, body: ActionBody<A>) {
  // every action answers CaseActionResult: any one of them types the call
  const path = `/api/v1/cases/{id}/actions/${action}` as ActionPath<'sign'>;
  return client.POST(path, { params: { path: { id } }, body: body as ActionBody<'sign'> });
}

/**
 * The multipart uploads. Their contract documents the file in prose (`multipart/form-data`, one file), not
 * as a JSON body type, so the form is the one part of these calls the type checker cannot see (hence the
 * `as never`); the path, the query parameters and the answer are still the contract's, and openapi-fetch
 * sends a FormData as it is (the browser sets the multipart boundary).
 */
export function uploadAttachment(form: FormData): Promise<Answer<'/api/v1/attachments', 'post', 201>> {
  return call(client.POST('/api/v1/attachments', { body: form as never }));
}

/** POST /api/v1/public/attachments: a photo for an anonymous report (no session), see `uploadAttachment`. */
export function uploadPublicPhoto(
  form: FormData,
): Promise<Answer<'/api/v1/public/attachments', 'post', 201>> {
  return call(client.POST('/api/v1/public/attachments', { body: form as never }));
}

/** POST /api/v1/imports: a base-information file (CSV/.xlsx) to import, see `uploadAttachment`. */
export function uploadImport(
  query: NonNullable<paths['/api/v1/imports']['post']['parameters']['query']>,
  form: FormData,
): Promise<Answer<'/api/v1/imports', 'post', 201>> {
  return call(client.POST('/api/v1/imports', { params: { query }, body: form as never }));
}
