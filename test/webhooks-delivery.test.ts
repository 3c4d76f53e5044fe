import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueWebhooks, leaseMs } from '../src/app/webhooks/deliver-webhooks.ts';
import type { WebhookDeps } from '../src/app/webhooks/deps.ts';
import { createWebhookSubscription } from '../src/app/webhooks/create-webhook-subscription.ts';
import { fanOutWebhookEvents } from '../src/app/webhooks/fan-out-webhook-events.ts';
import { replayWebhookDelivery } from '../src/app/webhooks/replay-webhook-delivery.ts';
import { rotateWebhookSecret } from '../src/app/webhooks/rotate-webhook-secret.ts';
import { startWebhookWorker } from '../src/app/webhooks/run-webhook-worker.ts';
import { updateWebhookSubscription } from '../src/app/webhooks/update-webhook-subscription.ts';
import type { Actor } from '../src/core/actor.ts';
import type { Database } from '../src/db/database.ts';
import { caseApp, caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';
import { startReceiver, verifyStandardWebhook, walkCaseToClosure } from './support/webhooks.ts';

const ADMIN: Actor = {
  userId: 'webhook-admin',
  username: 'admin',
  displayName: '系统管理员',
  role: 'admin',
  unit: { kind: 'region', level: 'district', code: T.district },
};

describe('webhook delivery', () => {
  let database: Database & { url?: string };
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock();
  const auth = (who: string) => users.get(who)!.auth;
  const deps = (): WebhookDeps => ({
    database,
    now: clock.now,
    allowLocal: true,
    timeoutMs: 300,
    random: () => 0.5, // no jitter: the retry times are the nominal ones
  });
  const pass = async () => {
    await fanOutWebhookEvents(deps());
    return deliverDueWebhooks(deps());
  };
  const subscriptions: string[] = [];
  const subscribe = async (url: string, extra: object = {}) => {
    const created = await createWebhookSubscription(deps(), ADMIN, { name: 'test', url, ...extra });
    subscriptions.push(created.subscription.id);
    return created;
  };
  /** Subscriptions of earlier tests stop receiving, so each test counts only its own. */
  const disableOthers = async () => {
    for (const id of subscriptions) await updateWebhookSubscription(deps(), ADMIN, id, { enabled: false });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);
    // events written before any subscription are fanned out to nobody
    await fanOutWebhookEvents(deps());
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('retries a failing endpoint with backoff through a timeout, then delivers, every attempt recorded and signed', async () => {
    const receiver = await startReceiver([500, 503, 'hang']);
    try {
      const { secret, subscription } = await subscribe(receiver.url, { eventTypes: ['case.created'] });
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: auth('patroller.a'),
        payload: { category: '0501', description: '暴露垃圾', location: T.inGumeiC1 },
      });
      expect(created.statusCode).toBe(201);

      expect((await pass()).attempted).toBe(1); // 500
      expect((await pass()).attempted).toBe(0); // not due before the backoff
      clock.advance(10_000); // first retry: 10 s
      expect((await pass()).attempted).toBe(1); // 503
      clock.advance(19_000);
      expect((await pass()).attempted).toBe(0);
      clock.advance(1_000); // second retry: 20 s
      expect(await pass()).toMatchObject({ attempted: 1, retrying: 1 }); // hangs: timeout
      clock.advance(40_000);
      expect(await pass()).toMatchObject({ attempted: 1, delivered: 1 });
      clock.advance(3_600_000);
      expect((await pass()).attempted).toBe(0); // delivered once, never again

      expect(receiver.received.map((r) => r.answer)).toEqual([500, 503, 'hang', 200]);
      const ids = new Set(receiver.received.map((r) => r.id));
      expect(ids.size).toBe(1); // the same webhook-id on every retry
      for (const r of receiver.received) expect(verifyStandardWebhook(secret, r), r.signature).toBe(true);
      const body = JSON.parse(receiver.received[0]!.body) as { type: string; data: Record<string, unknown> };
      expect(body.type).toBe('case.created');
      expect(receiver.received[0]!.body).not.toContain('巡管员甲'); // no personal data by default

      const delivery = await database.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('subscription_id', '=', subscription.id)
        .executeTakeFirstOrThrow();
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 4, last_status_code: 200 });
      const attempts = await database.db
        .selectFrom('webhook_attempts')
        .select(['attempt', 'outcome', 'status_code'])
        .where('delivery_id', '=', delivery.id)
        .orderBy('id')
        .execute();
      expect(attempts).toEqual([
        { attempt: 1, outcome: 'http_error', status_code: 500 },
        { attempt: 2, outcome: 'http_error', status_code: 503 },
        { attempt: 3, outcome: 'timeout', status_code: null },
        { attempt: 4, outcome: 'success', status_code: 200 },
      ]);

      // a manual replay sends the same message again, once
      await replayWebhookDelivery(deps(), ADMIN, Number(delivery.id));
      expect(await pass()).toMatchObject({ attempted: 1, delivered: 1 });
      expect(receiver.received).toHaveLength(5);
      expect(receiver.received[4]!.id).toBe(receiver.received[0]!.id);
      expect(receiver.received[4]!.body).toBe(receiver.received[0]!.body);
    } finally {
      await receiver.close();
    }
  });

  it('gives up after a day of failures', async () => {
    await disableOthers();
    const receiver = await startReceiver(Array.from({ length: 100 }, () => 500));
    try {
      const { subscription } = await subscribe(receiver.url, { eventTypes: ['case.created'] });
      await app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: auth('patroller.a'),
        payload: { category: '0501', description: '暴露垃圾二', location: T.inGumeiC1 },
      });
      for (let i = 0; i < 60; i++) {
        await pass();
        clock.advance(3_600_000);
      }
      const delivery = await database.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('subscription_id', '=', subscription.id)
        .executeTakeFirstOrThrow();
      expect(delivery.status).toBe('failed');
      // backoff 10 s, 20 s … capped at an hour: about 30 attempts in a day, not 60
      expect(delivery.attempts).toBeGreaterThan(20);
      expect(delivery.attempts).toBeLessThan(40);
      expect(receiver.received).toHaveLength(delivery.attempts);
    } finally {
      await receiver.close();
    }
  });

  it('sends every event of a case’s life once, filtered, and signs with both secrets during a rotation', async () => {
    await disableOthers();
    const receiver = await startReceiver();
    const other = await startReceiver();
    try {
      const { secret, subscription } = await subscribe(receiver.url, { regionCodes: [T.gumei] });
      // elsewhere / another category: nothing
      await subscribe(other.url, { regionCodes: [T.xinhong] });
      await subscribe(other.url, { categoryCodes: ['05'] });
      let rotated: string | null = null;
      const c = await walkCaseToClosure(
        app,
        auth,
        users.get('patroller.a')!.id,
        clock.advance,
        async (step) => {
          await pass();
          if (step === 'handle') rotated = (await rotateWebhookSecret(deps(), ADMIN, subscription.id)).secret;
        },
      );
      await pass();
      const events = await database.db
        .selectFrom('case_events')
        .select('id')
        .where('case_id', '=', c.id)
        .orderBy('seq')
        .execute();
      expect(receiver.received.map((r) => r.id)).toEqual(events.map((e) => `evt_${e.id}`));
      expect(receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual([
        'case.created',
        'case.registered',
        'case.dispatched',
        'case.signed',
        'case.handled',
        'case.updated', // assign_check
        'case.updated', // submit_check
        'case.closed',
      ]);
      expect(other.received).toHaveLength(0);
      const afterRotation = receiver.received.slice(4);
      for (const r of afterRotation) {
        expect(r.signature.split(' ')).toHaveLength(2);
        expect(verifyStandardWebhook(secret, r)).toBe(true);
        expect(verifyStandardWebhook(rotated!, r)).toBe(true);
      }
      for (const r of receiver.received.slice(0, 4)) expect(verifyStandardWebhook(rotated!, r)).toBe(false);
      // a day later the old secret no longer signs
      clock.advance(25 * 3_600_000);
      await replayWebhookDelivery(
        deps(),
        ADMIN,
        Number(
          (
            await database.db
              .selectFrom('webhook_deliveries')
              .select('id')
              .where('subscription_id', '=', subscription.id)
              .orderBy('id')
              .executeTakeFirstOrThrow()
          ).id,
        ),
      );
      await pass();
      const last = receiver.received.at(-1)!;
      expect(last.signature.split(' ')).toHaveLength(1);
      expect(verifyStandardWebhook(rotated!, last)).toBe(true);
      expect(verifyStandardWebhook(secret, last)).toBe(false);
    } finally {
      await receiver.close();
      await other.close();
    }
  });

  it('a delivery whose process died mid-attempt is sent again after its lease; de-duplicated, nothing lost across a restart', async () => {
    await disableOthers();
    const receiver = await startReceiver();
    try {
      const { secret } = await subscribe(receiver.url, { includePersonal: true });
      // the first worker runs on the real clock in the background, like a server
      const realDeps = { ...deps(), now: () => new Date(clock.now().getTime() + (Date.now() % 1)) };
      let worker = startWebhookWorker(realDeps, { intervalMs: 20 });
      const c = await walkCaseToClosure(
        app,
        auth,
        users.get('patroller.a')!.id,
        clock.advance,
        async (step) => {
          if (step === 'sign') {
            // a restart in the middle of the case's life
            await worker.stop();
            worker = startWebhookWorker(realDeps, { intervalMs: 20 });
          }
          if (step === 'handle') {
            await worker.stop();
            // a process claims what is due and dies before sending: the claim is all it leaves behind
            await fanOutWebhookEvents(deps());
            await database.db
              .updateTable('webhook_deliveries')
              .set((eb) => ({
                attempts: eb('attempts', '+', 1),
                next_attempt_at: new Date(clock.now().getTime() + leaseMs(300)),
              }))
              .where('status', '=', 'pending')
              .execute();
            clock.advance(leaseMs(300) + 1);
            worker = startWebhookWorker(realDeps, { intervalMs: 20 });
          }
        },
      );
      const events = await database.db
        .selectFrom('case_events')
        .select('id')
        .where('case_id', '=', c.id)
        .orderBy('seq')
        .execute();
      const expected = events.map((e) => `evt_${e.id}`);
      const end = Date.now() + 10_000;
      while (new Set(receiver.received.map((r) => r.id)).size < expected.length && Date.now() < end)
        await new Promise((r) => setTimeout(r, 20));
      await worker.stop();
      expect([...new Set(receiver.received.map((r) => r.id))].sort()).toEqual([...expected].sort());
      for (const r of receiver.received) expect(verifyStandardWebhook(secret, r)).toBe(true);
      // personal data allowed: the reporter is there
      expect(receiver.received.some((r) => r.body.includes('"reporter"'))).toBe(true);
    } finally {
      await receiver.close();
    }
  });
});
