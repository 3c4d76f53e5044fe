import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, ok, type Schemas } from './support/api.ts';
import { multipartBody, TINY_JPEG } from './support/cases.ts';
import { createFuzzTarget, encodeLoose, type FuzzTarget } from './support/fuzz.ts';

/** A 400 problem: which input was refused, and why. */
type ValidationProblem = Schemas['Problem'] & { errors: { path: string; message: string }[] };

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/**
 * Issue 9, finding 4: each class of bad input the review found answering 500 now answers 400
 * `validation_failed` (problem+json), on both databases. One example per class and place; the fuzz test
 * (`api-fuzz.test.ts`) covers the rest.
 */
describe('hostile input answers 400, never 500', () => {
  let target: FuzzTarget;
  const as = (who: string) => target.users.get(who)!.auth;
  /** The typed client, for the well-formed requests next to the hostile ones. */
  const api = (who: string | null) => apiClient(target.app, who ? as(who) : {});
  /** Raw requests: these tests send what the contract (and so the typed client) refuses to build. */
  const send = (who: string | null, request: InjectOptions) =>
    target.app.inject({
      ...request,
      headers: { ...(who ? as(who) : {}), ...(request.headers ?? {}) },
    });
  const expect400 = async (who: string | null, request: InjectOptions) => {
    const res = await send(who, request);
    expect(res.statusCode, `${request.method ?? 'GET'} ${request.url}: ${res.body}`).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json<ValidationProblem>();
    expect(problem.code).toBe('validation_failed');
    return problem;
  };

  beforeAll(async () => {
    target = await createFuzzTarget();
  });
  afterAll(async () => {
    await target?.close();
  });

  it('refuses NUL in any text that would reach SQL: query, path, JSON body, login, upload name', async () => {
    await expect400('lead.a', { url: '/api/v1/cases?text=a%00b' });
    await expect400('lead.a', { url: '/api/v1/cases?department=%00' });
    await expect400('lead.a', { url: '/api/v1/stats/queues?department=%00' });
    await expect400('lead.a', { url: '/api/v1/notifications?caseId=%00' });
    await expect400('lead.a', { url: '/api/v1/attachments/%00' });
    await expect400('lead.a', { url: '/api/v1/cases/x%00y' });
    await expect400('admin', { url: '/api/v1/audit?target=%00' });
    await expect400(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin\u0000', password: 'x' },
    });
    const upload = multipartBody(TINY_JPEG, 'photo\u0000.jpg');
    const problem = await expect400('patroller.a', {
      method: 'POST',
      url: '/api/v1/attachments',
      headers: upload.headers,
      payload: upload.payload,
    });
    expect(problem.errors[0]!.path).toBe('/body/filename');
  });

  it('refuses unpaired surrogates, including those JSON.parse makes from "\\ud800"', async () => {
    const problem = await expect400(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":"\\ud800","password":"x"}',
    });
    expect(problem.errors).toEqual([{ path: '/body/username', message: expect.any(String) }]);
    await expect400('patroller.a', {
      method: 'POST',
      url: '/api/v1/cases',
      headers: { 'content-type': 'application/json' },
      payload: '{"description":"x\\udc00","location":{"lon":121.385,"lat":31.15}}',
    });
    // keys too
    await expect400('lead.a', {
      method: 'POST',
      url: `/api/v1/cases/${target.known.caseIds[0]}/actions/register`,
      headers: { 'content-type': 'application/json' },
      payload: '{"version":1,"\\ud800":1}',
    });
    // in a URL an unpaired surrogate can only come as its (invalid) UTF-8 bytes: never decoded into text
    for (const url of [
      `/api/v1/cases?text=${encodeLoose('\ud800')}`,
      `/api/v1/cases/${encodeLoose('\ud800')}`,
    ]) {
      expect((await send('lead.a', { url })).statusCode).toBeLessThan(500);
    }
  });

  it('keeps well-formed text, emoji and Chinese included', async () => {
    const res = await api('lead.a').GET('/api/v1/cases', { params: { query: { text: '群租🏙️' } } });
    expect(res.response.status).toBe(200);
  });

  it('refuses crafted list cursors that Date.parse accepts and PostgreSQL does not', async () => {
    for (const cursor of [
      { k: '1', id: 'x' },
      { k: 'Tue Mar 03 2026', id: 'x' },
      { k: '2026-02-30T00:00:00.000Z', id: 'x' },
      { k: '+275760-09-13T00:00:00.000Z', id: 'x' },
      { k: 'infinity', id: 'x\u0000' },
      { k: 'infinity', id: 7 },
    ]) {
      await expect400('lead.a', { url: `/api/v1/cases?cursor=${b64(cursor)}` });
      await expect400('lead.a', { url: `/api/v1/cases?sort=newest&cursor=${b64(cursor)}` });
    }
  });

  it('still pages with the cursors it hands out', async () => {
    const list = (query: { limit: number; sort?: 'newest'; cursor?: string }) =>
      api('leader').GET('/api/v1/cases', { params: { query } });
    const { nextCursor, items } = ok(await list({ limit: 1, sort: 'newest' }));
    expect(nextCursor).toEqual(expect.any(String));
    const second = ok(await list({ limit: 1, sort: 'newest', cursor: nextCursor! }));
    expect(second.items[0]!.id).not.toBe(items[0]!.id);
    const byDeadline = ok(await list({ limit: 1 }));
    expect(byDeadline.nextCursor).toEqual(expect.any(String));
    const again = ok(await list({ limit: 1, cursor: byDeadline.nextCursor! }));
    expect(again.items[0]!.id).not.toBe(byDeadline.items[0]!.id);
  });

  it('refuses impossible dates in calendar ranges and overrides', async () => {
    for (const date of ['2026-02-30', '2026-13-01', '0000-01-01', '2026-00-10', '2026-04-31']) {
      await expect400(null, { url: `/api/v1/calendar/days?from=${date}&to=2026-12-31` });
      await expect400(null, { url: `/api/v1/calendar/days?from=2026-01-01&to=${date}` });
      await expect400('admin', { url: `/api/v1/calendar/overrides?from=${date}` });
      await expect400('admin', {
        method: 'PUT',
        url: `/api/v1/calendar/overrides/${date}`,
        payload: { kind: 'holiday' },
      });
      await expect400('admin', { method: 'DELETE', url: `/api/v1/calendar/overrides/${date}` });
    }
    // a leap day exists in 2028
    const leap = await api(null).GET('/api/v1/calendar/days', {
      params: { query: { from: '2028-02-29', to: '2028-03-01' } },
    });
    expect(leap.response.status).toBe(200);
  });

  it('refuses unbounded and non-finite numbers', async () => {
    await expect400('admin', { url: '/api/v1/audit?before=1e30' });
    await expect400('admin', { url: '/api/v1/audit?before=9223372036854775807' });
    await expect400('admin', { url: '/api/v1/users?offset=Infinity' });
    await expect400('admin', { url: '/api/v1/users?offset=9223372036854775807' });
    await expect400('leader', { url: '/api/v1/stats/overview?days=Infinity' });
    await expect400('leader', { url: '/api/v1/stats/overview?days=-Infinity' });
    await expect400('lead.a', { url: '/api/v1/notifications?cursor=999999999999999999' });
    await expect400('lead.a', {
      method: 'POST',
      url: `/api/v1/cases/${target.known.caseIds[0]}/actions/register`,
      headers: { 'content-type': 'application/json' },
      payload: '{"version":1e400}',
    });
    await expect400('lead.a', {
      method: 'POST',
      url: `/api/v1/cases/${target.known.caseIds[0]}/actions/register`,
      payload: { version: 2 ** 31 },
    });
  });

  it('answers malformed multipart with 400 (no boundary, truncated, unterminated part)', async () => {
    const good = multipartBody(TINY_JPEG, 'photo.jpg');
    await expect400('patroller.a', {
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { 'content-type': 'multipart/form-data' },
      payload: good.payload,
    });
    await expect400('patroller.a', {
      method: 'POST',
      url: '/api/v1/attachments',
      headers: good.headers,
      payload: good.payload.subarray(0, good.payload.length - 20),
    });
    await expect400('patroller.a', {
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: 'garbage',
    });
    // and a good upload still works
    const ok = await send('patroller.a', {
      method: 'POST',
      url: '/api/v1/attachments',
      headers: good.headers,
      payload: good.payload,
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});
