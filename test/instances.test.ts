import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/app/audit/verify-audit-chain.ts';
import { serveCluster } from '../src/cli/cluster.ts';
import { loadConfig } from '../src/config.ts';
import { createWebhookSubscription } from '../src/app/webhooks/create-webhook-subscription.ts';
import { ESCALATION_ACTION } from '../src/app/deadlines/sweep-deadlines.ts';
import type { Actor } from '../src/core/actor.ts';
import type { Database } from '../src/db/database.ts';
import { caseApp, caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase, onServer, TEST_AUDIT_KEY_TEXT } from './support/database.ts';
import { startReceiver } from './support/webhooks.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OVERDUE_CASES = 6;
const ADMIN: Actor = {
  userId: 'instances-admin',
  username: 'admin',
  displayName: '系统管理员',
  role: 'admin',
  unit: { kind: 'region', level: 'district', code: T.district },
};

interface Server {
  child: ChildProcess;
  url: string;
  out: () => string;
}

/**
 * `liandong serve` in its own node process on a free port (PORT=0), with the test's audit key; resolves
 * once every expected banner printed its address (a `--workers N` server prints one per worker).
 */
function startServer(env: Record<string, string>, args: string[] = [], banners = 1): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'liandong-instance-')),
      AUDIT_KEY: TEST_AUDIT_KEY_TEXT,
      PII_KEY: 'liandong instances test pii key not a secret',
      WEBHOOKS_ALLOW_LOCAL: 'true',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const urls = [...out.matchAll(/is running on (http:\/\/\S+)/g)].map((m) => m[1]!);
      if (urls.length >= banners) {
        clearInterval(timer);
        resolve({ child, url: urls[0]!, out: () => out });
      }
    }, 100);
    child.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`serve exited ${code}: ${out}`));
    });
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null || child.signalCode ? resolve(child.exitCode) : child.on('exit', resolve),
  );

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function call(
  server: Server,
  method: string,
  url: string,
  options: { auth?: { authorization: string }; body?: unknown } = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(server.url + url, {
    method,
    headers: {
      ...options.auth,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

// Two real `liandong serve` processes on one PostgreSQL behind an imagined load balancer (issue 10 §4):
// sessions, live updates, jobs, login throttle and rate limits hold across them; a third process reads the
// heavy counts from a replica; `serve --workers 2` runs two workers on one port. PGlite is one process's
// database by construction: this runs only against a server (TEST_DATABASE_URL; CI's PostgreSQL pass).
describe.skipIf(!onServer())('several server processes over one PostgreSQL', () => {
  let database: Database & { url?: string };
  let replica: Database & { url?: string };
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  let a: Server;
  let b: Server;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const children: ChildProcess[] = [];
  const auth = (who: string) => users.get(who)!.auth;

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    // a "replica" that lags: the same territory and accounts, none of the cases below
    replica = await createTestDatabase();
    await seedCaseFixture(replica);
    receiver = await startReceiver();
    await createWebhookSubscription({ database, now: () => new Date(), allowLocal: true }, ADMIN, {
      name: 'hotline',
      url: receiver.url,
    });
    // cases reported in March: by now every deadline is long past, for the servers' sweepers
    const clock = caseClock();
    app = await caseApp(database, clock.now);
    for (let i = 0; i < OVERDUE_CASES; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: auth('patroller.a'),
        payload: { category: '0501', description: `暴露垃圾 #${i}`, location: T.inGumeiC1 },
      });
      expect(res.statusCode).toBe(201);
    }
    [a, b] = await Promise.all([
      startServer({ DATABASE_URL: database.url! }),
      startServer({ DATABASE_URL: database.url!, DATABASE_READ_URL: replica.url! }),
    ]);
    children.push(a.child, b.child);
  }, 240_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && !c.signalCode) c.kill('SIGTERM');
    await Promise.all(children.map(exited));
    await receiver?.close();
    await app?.close();
    await replica?.close();
    await database?.close();
  }, 60_000);

  it('accepts a session on every instance, and a logout on one ends it on the other', async () => {
    expect((await call(a, 'GET', '/api/v1/me', { auth: auth('citizen2') })).status).toBe(200);
    expect((await call(b, 'GET', '/api/v1/me', { auth: auth('citizen2') })).status).toBe(200);
    expect((await call(a, 'POST', '/api/v1/auth/logout', { auth: auth('citizen2') })).status).toBe(204);
    expect((await call(b, 'GET', '/api/v1/me', { auth: auth('citizen2') })).status).toBe(401);
  });

  it('streams a change made on A to a listener on B', async () => {
    let text = '';
    const request = http.get(`${b.url}/api/v1/events`, { headers: auth('dispatcher.a') });
    const response = await new Promise<http.IncomingMessage>((resolve) => request.on('response', resolve));
    try {
      expect(response.statusCode).toBe(200);
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      await until(() => text.includes('retry:'), 10_000);
      const created = await call(a, 'POST', '/api/v1/cases', {
        auth: auth('patroller.a'),
        body: { category: '0501', description: '跨实例的实时更新', location: T.inGumeiC1 },
      });
      expect(created.status).toBe(201);
      const caseNo = (created.body as { case: { caseNo: string } }).case.caseNo;
      await until(() => text.includes(caseNo), 15_000);
      expect(text).toMatch(/event: case/);
    } finally {
      request.destroy();
    }
  });

  it('runs the sweeper and the webhook deliveries exactly once across both', async () => {
    // both sweepers make their first pass a few seconds after start: every overdue case escalates once
    // per level, whoever claimed it
    const escalations = () =>
      database.db
        .selectFrom('case_events')
        .select(['case_id', 'payload'])
        .where('action', '=', ESCALATION_ACTION)
        .execute();
    await until(
      async () => new Set((await escalations()).map((e) => e.case_id)).size >= OVERDUE_CASES,
      120_000,
    );
    // a further pass on each instance must add nothing: wait, then count
    await new Promise((r) => setTimeout(r, 3000));
    const rows = await escalations();
    const keys = rows.map((r) => `${r.case_id}:${(r.payload as { level: number }).level}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(rows.map((r) => r.case_id)).size).toBe(OVERDUE_CASES);

    // every case event, the servers' included, reaches the receiver exactly once
    const events = async () =>
      (await database.db.selectFrom('case_events').select('id').execute()).map((e) => `evt_${e.id}`).sort();
    await until(
      async () => new Set(receiver.received.map((r) => r.id)).size >= (await events()).length,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 3000));
    const ids = receiver.received.map((r) => r.id);
    expect(ids.sort()).toEqual(await events());

    // and the audit chain both processes and this test wrote to is whole
    const verified = await verifyAuditChain(database.db);
    expect(verified.ok).toBe(true);
  }, 240_000);

  it('shares the login throttle: failures on A and B count together', async () => {
    const login = (server: Server) =>
      call(server, 'POST', '/api/v1/auth/login', {
        body: { username: 'lead.b', password: 'not the password' },
      });
    // PAIR_THROTTLE: five free tries per (account, address), wherever they land
    for (const server of [a, b, a, b, a]) expect((await login(server)).status).toBe(401);
    expect((await login(b)).status).toBe(429);
    expect((await login(a)).status).toBe(429);
  });

  it('shares the HTTP rate limits: 60 public lookups a minute per address across A and B', async () => {
    const lookup = (server: Server) =>
      call(server, 'POST', '/api/v1/public/cases/lookup', {
        body: { caseNo: '310112-2026-999999', code: 'NONE-0000' },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await lookup(i % 2 ? a : b)).status);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect((await lookup(a)).status).toBe(429);
    expect((await lookup(b)).status).toBe(429);
  });

  it('reads queue counts from DATABASE_READ_URL on B, from the primary on A', async () => {
    const counts = async (server: Server) => {
      const res = await call(server, 'GET', '/api/v1/stats/queues', { auth: auth('dispatcher.a') });
      expect(res.status).toBe(200);
      return (res.body as { open: number }).open;
    };
    expect(await counts(a)).toBeGreaterThanOrEqual(OVERDUE_CASES);
    // the replica holds the territory and accounts but none of the cases: the count proves where B read
    expect(await counts(b)).toBe(0);
  });

  it('serves from N workers on one port with --workers, and stops them all on SIGTERM', async () => {
    const cluster = await startServer({ DATABASE_URL: database.url! }, ['--workers', '2'], 2);
    children.push(cluster.child);
    const workers = [...cluster.out().matchAll(/Process: +worker \d+ \(pid (\d+)\)/g)].map((m) => m[1]);
    expect(new Set(workers).size).toBe(2);
    const ports = [...cluster.out().matchAll(/is running on http:\/\/\S+:(\d+)/g)].map((m) => m[1]);
    expect(new Set(ports).size).toBe(1);
    for (let i = 0; i < 4; i++)
      expect((await call(cluster, 'GET', '/api/v1/me', { auth: auth('leader') })).status).toBe(200);

    // a worker that dies (after its first seconds) is replaced by a new one
    await new Promise((r) => setTimeout(r, 10_000));
    process.kill(Number(workers[0]), 'SIGKILL');
    await until(() => [...cluster.out().matchAll(/Process: +worker \d+/g)].length === 3, 120_000);
    const replacement = [...cluster.out().matchAll(/Process: +worker \d+ \(pid (\d+)\)/g)].map(
      (m) => m[1],
    )[2]!;
    expect(workers).not.toContain(replacement);
    workers.push(replacement);
    for (let i = 0; i < 4; i++)
      expect((await call(cluster, 'GET', '/api/v1/me', { auth: auth('leader') })).status).toBe(200);

    cluster.child.kill('SIGTERM');
    expect(await exited(cluster.child)).toBe(0);
    for (const pid of workers) expect(() => process.kill(Number(pid), 0)).toThrow();
  }, 300_000);
});

describe('serve --workers', () => {
  it('refuses several workers on the embedded database, and --demo with workers', async () => {
    const config = loadConfig({ DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'liandong-workers-')) });
    const options = { demo: false, sweeper: true };
    await expect(serveCluster(config, options, 2)).rejects.toThrow(/--workers 2 needs DATABASE_URL/);
    const onServer = { ...config, databaseUrl: 'postgres://nobody@127.0.0.1:1/none' };
    await expect(serveCluster(onServer, { ...options, demo: true }, 2)).rejects.toThrow(
      /--demo with --workers/,
    );
  });
});
