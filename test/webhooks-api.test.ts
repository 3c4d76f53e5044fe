import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSessionToken, tokenHash } from '../src/app/identity/tokens.ts';
import { verifyAuditChain } from '../src/app/audit/verify-audit-chain.ts';
import type { Database } from '../src/db/database.ts';
import { caseApp, caseClock, seedCaseFixture, T } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';

/** The webhook administration over HTTP: refusals, the secret shown once, filters, audit. */
describe('webhook administration API', () => {
  let database: Database & { url?: string };
  let app: FastifyInstance;
  let admin: { authorization: string };
  const clock = caseClock();

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedCaseFixture(database);
    const row = await database.db
      .insertInto('users')
      .values({
        username: 'wh.admin',
        display_name: '管理员',
        password_hash: 'x',
        role: 'admin',
        unit_kind: 'region',
        unit_code: T.district,
        department_id: null,
        phone: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = newSessionToken();
    await database.db
      .insertInto('sessions')
      .values({
        token_hash: tokenHash(token),
        user_id: row.id,
        created_at: new Date('2020-01-01T00:00:00Z'),
        expires_at: new Date('2099-01-01T00:00:00Z'),
        address: null,
        user_agent: null,
      })
      .execute();
    admin = { authorization: `Bearer ${token}` };
    app = await caseApp(database, clock.now);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const create = (payload: object) =>
    app.inject({ method: 'POST', url: '/api/v1/webhooks/subscriptions', headers: admin, payload });

  it('refuses endpoints that are not https on a public address, with a stable reason', async () => {
    for (const url of [
      'http://hooks.example.com/x',
      'https://127.0.0.1/x',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/x',
      'https://user:pw@hooks.example.com/x',
      'https://localhost:8080/x',
    ]) {
      const res = await create({ name: 'x', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ code: 'validation_failed', reason: 'webhook_url_refused' });
    }
    const none = await database.db.selectFrom('webhook_subscriptions').select('id').execute();
    expect(none).toEqual([]);
  });

  it('refuses unknown regions and categories, unknown event types and hostile text without a 500', async () => {
    const bad = [
      { name: 'x', url: 'https://hooks.example.com/x', regionCodes: ['310112999'] },
      { name: 'x', url: 'https://hooks.example.com/x', categoryCodes: ['99'] },
      { name: 'x', url: 'https://hooks.example.com/x', eventTypes: ['case.exploded'] },
      { name: 'a\u0000b', url: 'https://hooks.example.com/x' },
      { name: '\ud800', url: 'https://hooks.example.com/x' },
      { name: 'x', url: 'https://hooks.example.com/' + 'a'.repeat(3000) },
    ];
    for (const payload of bad) expect((await create(payload)).statusCode, JSON.stringify(payload)).toBe(400);
    const huge = await app.inject({
      method: 'GET',
      url: '/api/v1/webhooks/deliveries/99999999999999999999',
      headers: admin,
    });
    expect(huge.statusCode).toBe(400);
  });

  it('shows the secret once, lists without it, rotates, filters deliveries, and audits every change', async () => {
    const res = await create({
      name: '12345 热线',
      url: 'https://hooks.example.com/liandong',
      eventTypes: ['case.created', 'case.closed'],
      regionCodes: [T.gumei],
      categoryCodes: ['01'],
    });
    expect(res.statusCode).toBe(201);
    const { subscription, secret } = res.json<{ subscription: { id: string }; secret: string }>();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const list = await app.inject({ method: 'GET', url: '/api/v1/webhooks/subscriptions', headers: admin });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(secret);
    expect(list.json()).toMatchObject({
      items: [
        {
          id: subscription.id,
          name: '12345 热线',
          enabled: true,
          includePersonal: false,
          previousSecretUntil: null,
        },
      ],
    });

    const rotated = await app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/subscriptions/${subscription.id}/rotate-secret`,
      headers: admin,
    });
    expect(rotated.statusCode).toBe(200);
    const next = rotated.json<{ secret: string; subscription: { previousSecretUntil: string } }>();
    expect(next.secret).not.toBe(secret);
    expect(next.subscription.previousSecretUntil).not.toBeNull();

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/webhooks/subscriptions/${subscription.id}`,
      headers: admin,
      payload: { enabled: false, url: 'https://10.0.0.1/x' },
    });
    expect(patched.statusCode).toBe(400); // nothing changed: the refusal comes first
    const disabled = await app.inject({
      method: 'PATCH',
      url: `/api/v1/webhooks/subscriptions/${subscription.id}`,
      headers: admin,
      payload: { enabled: false },
    });
    expect(disabled.json()).toMatchObject({ enabled: false, url: 'https://hooks.example.com/liandong' });

    const deliveries = await app.inject({
      method: 'GET',
      url: `/api/v1/webhooks/deliveries?subscriptionId=${subscription.id}&status=failed&eventType=case.closed`,
      headers: admin,
    });
    expect(deliveries.json()).toEqual({ items: [], nextBefore: null });

    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/v1/webhooks/subscriptions/${subscription.id}`,
      headers: admin,
    });
    expect(removed.statusCode).toBe(204);
    const audit = await database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target', '=', `webhook:${subscription.id}`)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'webhook.create',
      'webhook.rotate_secret',
      'webhook.update',
      'webhook.delete',
    ]);
    expect(
      JSON.stringify(await database.db.selectFrom('audit_log').select('payload').execute()),
    ).not.toContain(secret);
    expect((await verifyAuditChain(database.db)).broken).toBeNull();
  });
});
