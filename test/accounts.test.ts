/**
 * Accounts (issue 11, item 3): the password rules, the forced change after an admin reset or a generated
 * first password (enforced by the API: only me, change password and logout answer such a session), and
 * the list of one's own sessions with sign-out of one or of all the others. Every change is audited.
 * Runs on PGlite and, with TEST_DATABASE_URL, on the PostgreSQL server.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPasswordPolicy } from '../src/app/identity/passwords.ts';
import { maskAddress } from '../src/app/identity/session-address.ts';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import { DEMO_PASSWORD } from '../src/demo/accounts.ts';
import { buildTestApp } from './support/compilers.ts';
import { createTestDatabase } from './support/database.ts';
import { seedIdentityFixture, testClock } from './support/identity.ts';

const STRONG = 'brisk-lantern-harbour-42';

describe('password rules', () => {
  const refusedFor = (password: string, username = 'gumei.dispatcher', name?: string) => {
    try {
      assertPasswordPolicy(password, username, name);
      return null;
    } catch (e) {
      return (e as { code: string; details: { reason: string; rule: string } }).details;
    }
  };

  it('refuses short, username-like and guessable passwords with reason weak_password and the rule', () => {
    expect(refusedFor('short-1')).toMatchObject({ reason: 'weak_password', rule: 'length' });
    expect(refusedFor('x'.repeat(257))).toMatchObject({ reason: 'weak_password', rule: 'length' });
    expect(refusedFor('Gumei.Dispatcher')).toMatchObject({ rule: 'username' });
    for (const guessable of ['Password1234', 'qwertyuiop123', '1234567890', 'aaaaaaaaaaaa'])
      expect(refusedFor(guessable), guessable).toMatchObject({ rule: 'guessable' });
    expect(refusedFor('gumei.dispatcher2x')).toMatchObject({ rule: 'guessable' });
    expect(refusedFor('李四李四李四李四李四李四', 'someone', '李四李四')).toMatchObject({
      rule: 'guessable',
    });
  });

  it('accepts long phrases and generated passwords', () => {
    expect(refusedFor(STRONG)).toBeNull();
    expect(refusedFor('correct horse battery staple')).toBeNull();
    expect(refusedFor('q8Zk2-Vt9wPx_4rB')).toBeNull();
    // the demo history creates its accounts through the same rules
    expect(refusedFor(DEMO_PASSWORD, 'qibao.dispatcher', '七宝受理员')).toBeNull();
  });

  it('masks session addresses to the network', () => {
    expect(maskAddress('203.0.113.57')).toBe('203.0.113.*');
    expect(maskAddress('::ffff:10.1.2.3')).toBe('10.1.2.*');
    expect(maskAddress('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:*');
    expect(maskAddress('2001:db8::1')).toBe('2001:db8:*');
    expect(maskAddress('::1')).toBe('*');
    expect(maskAddress('proxy-label')).toBe('*');
  });
});

describe('HTTP: forced password change and one’s own sessions', () => {
  let database: Database;
  let app: FastifyInstance;
  const clock = testClock('2026-03-02T02:00:00Z');

  const call = (token: string, options: InjectOptions) =>
    app.inject({
      ...options,
      remoteAddress: options.remoteAddress ?? '127.0.0.1',
      headers: { ...(options.headers ?? {}), authorization: `Bearer ${token}` },
    });
  const login = async (username: string, password: string, ip = '127.0.0.1', userAgent = 'vitest') => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password },
      remoteAddress: ip,
      headers: { 'user-agent': userAgent },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{
      token: string;
      csrfToken: string;
      user: { id: string; mustChangePassword: boolean };
    }>();
  };
  const auditOf = async (userId: string) =>
    (
      await database.db
        .selectFrom('audit_log')
        .select(['action', 'payload'])
        .where('target', '=', `user:${userId}`)
        .orderBy('seq')
        .execute()
    ).map((r) => ({ action: r.action, payload: r.payload as Record<string, unknown> }));

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedIdentityFixture(database);
    app = await buildTestApp({ database, config: loadConfig({}), demo: true, now: clock.now });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('after an admin reset, the session reaches only me, change password and logout until it changes', async () => {
    const admin = (await login('admin', DEMO_PASSWORD)).token;
    const target = (await login('gumei.patroller', DEMO_PASSWORD)).user.id;
    const reset = await call(admin, {
      method: 'POST',
      url: `/api/v1/users/${target}/reset-password`,
      payload: {},
    });
    expect(reset.statusCode).toBe(200);
    const temporary = reset.json<{ generatedPassword: string }>().generatedPassword;

    const session = await login('gumei.patroller', temporary);
    expect(session.user.mustChangePassword).toBe(true);
    const me = await call(session.token, { method: 'GET', url: '/api/v1/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { mustChangePassword: true } });

    // everything else, reading and writing, public reference data included, is refused with the reason
    for (const [method, url] of [
      ['GET', '/api/v1/cases'],
      ['GET', '/api/v1/notifications'],
      ['GET', '/api/v1/me/sessions'],
      ['GET', '/api/v1/categories'],
      ['POST', '/api/v1/cases'],
      ['GET', '/api/v1/no-such-route'],
    ] as const) {
      const res = await call(session.token, { method, url, payload: method === 'POST' ? {} : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json(), `${method} ${url}`).toMatchObject({
        code: 'forbidden',
        reason: 'password_change_required',
      });
    }
    // the same by cookie (the web app), where the page itself still loads
    const byCookie = await app.inject({
      method: 'GET',
      url: '/api/v1/stats/queues',
      cookies: { ld_session: session.token },
    });
    expect(byCookie.json()).toMatchObject({ reason: 'password_change_required' });

    // a weak new password is refused with the rule; the state stays
    const weak = await call(session.token, {
      method: 'POST',
      url: '/api/v1/me/password',
      payload: { currentPassword: temporary, newPassword: 'Password1234' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({
      code: 'validation_failed',
      reason: 'weak_password',
      rule: 'guessable',
    });
    expect((await call(session.token, { method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(403);

    const changed = await call(session.token, {
      method: 'POST',
      url: '/api/v1/me/password',
      payload: { currentPassword: temporary, newPassword: STRONG },
    });
    expect(changed.statusCode, changed.body).toBe(204);
    expect((await call(session.token, { method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(200);
    expect((await call(session.token, { method: 'GET', url: '/api/v1/me' })).json()).toMatchObject({
      user: { mustChangePassword: false },
    });
    const audit = await auditOf(target);
    expect(audit.map((a) => a.action)).toContain('user.reset_password');
    expect(audit.at(-1)).toMatchObject({ action: 'auth.password_change', payload: { forced: true } });

    // a second reset ends the session and the old password with it
    await call(admin, { method: 'POST', url: `/api/v1/users/${target}/reset-password`, payload: {} });
    expect((await call(session.token, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
  });

  it('a user created without a password must change it at the first login', async () => {
    const admin = (await login('admin', DEMO_PASSWORD)).token;
    const created = await call(admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: 'gumei.newcomer', displayName: '新人', role: 'dispatcher', unit: '310112006' },
    });
    expect(created.statusCode).toBe(201);
    const { generatedPassword } = created.json<{ generatedPassword: string }>();
    const first = await login('gumei.newcomer', generatedPassword);
    expect(first.user.mustChangePassword).toBe(true);
    expect((await call(first.token, { method: 'GET', url: '/api/v1/stats/queues' })).statusCode).toBe(403);
    const out = await call(first.token, { method: 'POST', url: '/api/v1/auth/logout' });
    expect(out.statusCode).toBe(204);
    expect((await call(first.token, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
  });

  it('a user created with a password the admin chose must change it at the first login too', async () => {
    const admin = (await login('admin', DEMO_PASSWORD)).token;
    const created = await call(admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        username: 'gumei.chosen',
        role: 'dispatcher',
        unit: '310112006',
        password: 'Initial-Pass-2026!',
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json<{ user: { mustChangePassword: boolean } }>().user.mustChangePassword).toBe(true);
    const first = await login('gumei.chosen', 'Initial-Pass-2026!');
    expect(first.user.mustChangePassword).toBe(true);
    expect((await call(first.token, { method: 'GET', url: '/api/v1/stats/queues' })).statusCode).toBe(403);
  });

  it('lists one’s sessions, masked, and signs out one or all the others, audited', async () => {
    const a = await login('gumei.lead', DEMO_PASSWORD, '203.0.113.57', 'Mozilla/5.0 (X11; Linux) Chrome/131');
    clock.advance(60_000);
    const b = await login('gumei.lead', DEMO_PASSWORD, '198.51.100.9', 'Mozilla/5.0 (iPhone) Safari/604');
    clock.advance(60_000);
    const c = await login('gumei.lead', DEMO_PASSWORD, '2001:db8:1:2::7', 'curl/8');
    const other = await login('gumei.dispatcher', DEMO_PASSWORD);

    // a request more than five minutes later marks the session as seen
    clock.advance(10 * 60_000);
    const seenAt = clock.now().toISOString();
    const list = await call(a.token, { method: 'GET', url: '/api/v1/me/sessions' });
    expect(list.statusCode).toBe(200);
    const items = list.json<{ items: Record<string, unknown>[] }>().items;
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({
      current: true,
      address: '203.0.113.*',
      userAgent: 'Mozilla/5.0 (X11; Linux) Chrome/131',
      lastSeenAt: seenAt,
    });
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(items.map((s) => s.address).sort()).toEqual(['198.51.100.*', '2001:db8:1:*', '203.0.113.*']);
    expect(JSON.stringify(items)).not.toMatch(/203\.0\.113\.57|198\.51\.100\.9|token/);
    const idOf = (ua: string) => items.find((s) => s.userAgent === ua)!.id as string;

    // another user cannot sign out this user's session: it does not exist for them
    const foreign = await call(other.token, {
      method: 'DELETE',
      url: `/api/v1/me/sessions/${idOf('curl/8')}`,
    });
    expect(foreign.statusCode).toBe(404);
    expect((await call(c.token, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);

    const one = await call(a.token, { method: 'DELETE', url: `/api/v1/me/sessions/${idOf('curl/8')}` });
    expect(one.statusCode).toBe(204);
    expect((await call(c.token, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    expect(
      (await call(a.token, { method: 'DELETE', url: `/api/v1/me/sessions/${idOf('curl/8')}` })).statusCode,
    ).toBe(404);

    const others = await call(a.token, { method: 'POST', url: '/api/v1/me/sessions/revoke-others' });
    expect(others.json()).toEqual({ revoked: 1 });
    expect((await call(b.token, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await call(a.token, { method: 'GET', url: '/api/v1/me/sessions' })).json()).toMatchObject({
      items: [{ current: true }],
    });
    expect((await call(other.token, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);

    // signing out the current session by id clears its cookies too
    const self = await call(a.token, {
      method: 'DELETE',
      url: `/api/v1/me/sessions/${items[0]!.id as string}`,
    });
    expect(self.statusCode).toBe(204);
    expect(self.cookies.find((k) => k.name === 'ld_session')?.value).toBe('');
    expect((await call(a.token, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);

    const audit = await auditOf((await login('gumei.lead', DEMO_PASSWORD)).user.id);
    const actions = audit.map((x) => x.action);
    expect(actions.filter((x) => x === 'auth.session_revoke')).toHaveLength(2);
    expect(audit.find((x) => x.action === 'auth.sessions_revoke_others')).toMatchObject({
      payload: { revoked: 1, sessionIds: [idOf('Mozilla/5.0 (iPhone) Safari/604')] },
    });
  });
});
