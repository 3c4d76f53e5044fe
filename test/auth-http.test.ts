import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import type { Actor } from '../src/core/actor.ts';
import type { Database } from '../src/db/database.ts';
import { DEMO_PASSWORD } from '../src/demo/accounts.ts';
import { buildTestApp } from './support/compilers.ts';
import { createTestDatabase } from './support/database.ts';
import { seedIdentityFixture, testClock } from './support/identity.ts';

type Cookies = Record<string, string>;
const cookiesOf = (res: { cookies: { name: string; value: string }[] }): Cookies =>
  Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
const cookieHeader = (c: Cookies) =>
  Object.entries(c)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

describe('HTTP: login, sessions, CSRF, headers, user administration', () => {
  let database: Database;
  let app: FastifyInstance;
  let actors: Map<string, Actor>;
  const clock = testClock();

  const login = (username: string, password = DEMO_PASSWORD, ip = '127.0.0.1') =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password },
      remoteAddress: ip,
    });
  const bearer = async (username: string) =>
    `Bearer ${(await login(username)).json<{ token: string }>().token}`;

  beforeAll(async () => {
    database = await createTestDatabase();
    actors = await seedIdentityFixture(database);
    app = await buildTestApp({ database, config: loadConfig({}), demo: true, now: clock.now });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('logs in with a token and HttpOnly + SameSite cookies', async () => {
    const res = await login('gumei.police');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ token: string; csrfToken: string; user: { role: string; unit: unknown } }>();
    expect(body.user).toMatchObject({
      role: 'police',
      unit: { kind: 'department', id: 'police-310112006' },
      unitName: '古美派出所',
    });
    const session = res.cookies.find((c) => c.name === 'ld_session')!;
    expect(session).toMatchObject({ value: body.token, httpOnly: true, sameSite: 'Lax', path: '/' });
    const csrf = res.cookies.find((c) => c.name === 'ld_csrf')!;
    expect(csrf.value).toBe(body.csrfToken);
    expect(csrf.httpOnly).toBeFalsy();
    expect(JSON.stringify(body)).not.toContain('password');
  });

  it('answers /me by bearer token and by cookie; 401 problem+json without', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    expect(anonymous.json()).toMatchObject({ code: 'unauthenticated', status: 401 });

    const me = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: await bearer('admin') },
    });
    expect(me.json()).toMatchObject({
      user: { username: 'admin' },
      permissions: { manageUsers: true, readAudit: true },
      demo: true,
    });

    const cookies = cookiesOf(await login('citizen'));
    const byCookie = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: cookieHeader(cookies) },
    });
    expect(byCookie.json()).toMatchObject({
      user: { username: 'citizen' },
      permissions: { manageUsers: false },
      csrfToken: cookies.ld_csrf,
    });

    const bad = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: 'Bearer nope' },
    });
    expect(bad.statusCode).toBe(401);
    const malformed = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: 'Basic abc' },
    });
    expect(malformed.statusCode).toBe(401);
  });

  it('requires the CSRF header on cookie-authenticated unsafe requests, not on bearer ones', async () => {
    const cookies = cookiesOf(await login('admin'));
    const create = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers,
        payload: {
          username: `csrf.${Object.keys(headers).length}.${Math.random().toString(36).slice(2, 6)}`,
          role: 'citizen',
          unit: 'none',
        },
      });
    const missing = await create({ cookie: cookieHeader(cookies) });
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toMatchObject({ code: 'forbidden', reason: 'csrf' });
    const wrong = await create({ cookie: cookieHeader(cookies), 'x-csrf-token': 'guess' });
    expect(wrong.statusCode).toBe(403);
    const right = await create({ cookie: cookieHeader(cookies), 'x-csrf-token': cookies.ld_csrf! });
    expect(right.statusCode).toBe(201);
    const viaBearer = await create({ authorization: `Bearer ${cookies.ld_session}` });
    expect(viaBearer.statusCode).toBe(201);
  });

  it('logs out: the token stops working and the cookies are cleared', async () => {
    const cookies = cookiesOf(await login('gumei.lead'));
    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: cookieHeader(cookies), 'x-csrf-token': cookies.ld_csrf! },
    });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'ld_session')?.value).toBe('');
    const after = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${cookies.ld_session}` },
    });
    expect(after.statusCode).toBe(401);
  });

  it('expires sessions on the injected clock', async () => {
    const auth = await bearer('district.leader');
    clock.advance(12 * 3600_000);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: auth } })).statusCode,
    ).toBe(401);
  });

  it('throttles wrong passwords with 429 + Retry-After, and lets the right one in after the cool-down', async () => {
    clock.set('2026-04-01T02:00:00Z');
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++)
      statuses.push((await login('chengguan.handler', `wrong-${i}-password`, '10.1.1.1')).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
    const refused = await login('chengguan.handler', DEMO_PASSWORD, '10.1.1.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.json()).toMatchObject({ code: 'rate_limited', retryAfter: 30 });
    clock.advance(31_000);
    expect((await login('chengguan.handler', DEMO_PASSWORD, '10.1.1.1')).statusCode).toBe(200);
  });

  it('sends security headers with a CSP that admits the SPA and maplibre workers', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
  });

  it('rejects oversized bodies with 413 problem+json', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'x', password: 'y'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('rate-limits the login endpoint per address', async () => {
    let last = await login('flood', 'x', '10.2.2.2');
    for (let i = 0; i < 30; i++) last = await login(`flood${i}`, 'x', '10.2.2.2');
    expect(last.statusCode).toBe(429);
    // the HTTP limiter (per process), not the database throttle, answered
    expect(last.json<{ detail: string }>().detail).toMatch(/^Too many requests/);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('lets admins administer users and read the audit log; others get 403', async () => {
    const admin = await bearer('admin');
    const dispatcher = await bearer('gumei.dispatcher');
    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/users?role=dispatcher',
      headers: { authorization: admin },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: { username: string }[] }>().items.map((u) => u.username)).toEqual(
      expect.arrayContaining(['district.dispatcher', 'gumei.dispatcher', 'xinhong.dispatcher']),
    );
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization: dispatcher } }))
        .statusCode,
    ).toBe(403);

    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: admin },
      payload: {
        username: 'xinhong.patroller',
        displayName: '王五',
        role: 'patroller',
        unit: '31011200800101',
        phone: '13812345678',
      },
    });
    expect(created.statusCode).toBe(201);
    const { user, generatedPassword } = created.json<{ user: { id: string }; generatedPassword: string }>();
    expect(generatedPassword).toBeTruthy();

    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: admin },
      payload: { username: 'bad.one', role: 'dispatcher', unit: '310112006001' },
    });
    expect(bad.statusCode).toBe(400);

    const moved = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: { authorization: admin },
      payload: { unit: '31011200800102' },
    });
    expect(moved.json()).toMatchObject({ unit: { code: '31011200800102' } });
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/v1/users/${user.id}/disable`,
          headers: { authorization: admin },
        })
      ).json(),
    ).toMatchObject({
      disabled: true,
    });
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/v1/users/${user.id}/reset-password`,
          headers: { authorization: dispatcher },
          payload: {},
        })
      ).statusCode,
    ).toBe(403);
    const reset = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${user.id}/reset-password`,
      headers: { authorization: admin },
      payload: {},
    });
    expect(reset.json<{ generatedPassword: string }>().generatedPassword).toBeTruthy();

    const audit = await app.inject({
      method: 'GET',
      url: `/api/v1/audit?target=user:${user.id}`,
      headers: { authorization: admin },
    });
    expect(audit.json<{ items: { action: string }[] }>().items.map((a) => a.action)).toEqual([
      'user.reset_password',
      'user.disable',
      'user.update',
      'user.create',
    ]);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/audit', headers: { authorization: dispatcher } }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: { authorization: admin } })
      ).json(),
    ).toMatchObject({ ok: true });
    expect(actors.size).toBeGreaterThan(10);
  });
});
