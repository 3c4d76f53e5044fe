import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookSubscription } from '../src/app/webhooks/create-webhook-subscription.ts';
import type { Actor } from '../src/core/actor.ts';
import type { Database } from '../src/db/database.ts';
import { caseApp, caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase, onServer, TEST_AUDIT_KEY_TEXT } from './support/database.ts';
import { startReceiver, verifyStandardWebhook, walkCaseToClosure } from './support/webhooks.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ADMIN: Actor = {
  userId: 'webhook-admin',
  username: 'admin',
  displayName: '系统管理员',
  role: 'admin',
  unit: { kind: 'region', level: 'district', code: T.district },
};

/** `liandong webhooks deliver --watch` in its own node process (no npx in between: kill -9 must hit it). */
function deliveryProcess(databaseUrl: string): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'webhooks', 'deliver', '--watch', '--interval', '100'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        AUDIT_KEY: TEST_AUDIT_KEY_TEXT,
        WEBHOOKS_ALLOW_LOCAL: 'true',
        WEBHOOK_TIMEOUT_MS: '2000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  child.stderr!.on('data', () => undefined);
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode ? resolve() : child.on('exit', () => resolve()),
  );

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Several delivery processes over one PostgreSQL, one killed -9 in the middle of its attempts (issue 15,
// requirement 3). PGlite is one process by construction: this runs only against a server.
describe.skipIf(!onServer())('webhook delivery processes over one PostgreSQL', () => {
  let database: Database & { url?: string };
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock();
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && !c.signalCode) c.kill('SIGKILL');
    await app?.close();
    await database?.close();
  });

  it('loses nothing when a process is killed between commit and delivery; each event is seen once by id', async () => {
    // a slow receiver, so the first process is caught in the middle of its requests
    const receiver = await startReceiver([], { delayMs: 1500 });
    try {
      const { secret } = await createWebhookSubscription(
        { database, now: () => new Date(), allowLocal: true },
        ADMIN,
        { name: 'hotline', url: receiver.url },
      );
      // committed case events, nobody delivering yet: the outbox holds them
      const c = await walkCaseToClosure(
        app,
        (w) => users.get(w)!.auth,
        users.get('patroller.a')!.id,
        clock.advance,
      );
      for (let i = 0; i < 6; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/cases',
          headers: users.get('patroller.a')!.auth,
          payload: { category: '0501', description: `暴露垃圾 #${i}`, location: T.inGumeiC1 },
        });
        expect(res.statusCode).toBe(201);
      }
      const events = await database.db.selectFrom('case_events').select(['id', 'case_id']).execute();
      const expected = events.map((e) => `evt_${e.id}`).sort();
      expect(expected.length).toBe(8 + 6);

      const first = deliveryProcess(database.url!);
      children.push(first);
      await until(() => receiver.received.length > 0, 60_000);
      first.kill('SIGKILL');
      await exited(first);
      const seenBeforeKill = receiver.received.length;

      const others = [deliveryProcess(database.url!), deliveryProcess(database.url!)];
      children.push(...others);
      const unique = () => new Set(receiver.received.map((r) => r.id));
      await until(() => unique().size === expected.length, 90_000);
      // let anything still in flight land before counting
      await new Promise((r) => setTimeout(r, 2000));
      for (const o of others) o.kill('SIGTERM');
      await Promise.all(others.map(exited));

      expect([...unique()].sort()).toEqual(expected);
      for (const r of receiver.received) expect(verifyStandardWebhook(secret, r)).toBe(true);
      // at least once: only what the killed process had in flight may arrive twice
      const counts = new Map<string, number>();
      for (const r of receiver.received) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
      expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
      expect(receiver.received.length - unique().size).toBeLessThanOrEqual(seenBeforeKill + 4);
      const states = await database.db
        .selectFrom('webhook_deliveries')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      expect(states.map((s) => [s.status, Number(s.n)])).toEqual([['delivered', expected.length]]);
      // the life of the walked case, in order of its events, all there
      const lifeIds = events.filter((e) => e.case_id === c.id).map((e) => `evt_${e.id}`);
      expect(lifeIds.every((id) => unique().has(id))).toBe(true);
    } finally {
      await receiver.close();
    }
  }, 180_000);
});
