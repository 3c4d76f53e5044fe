import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSessionToken, tokenHash } from '../src/app/identity/tokens.ts';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import { buildTestApp } from './support/compilers.ts';
import { caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';

/** Waits until `check` holds, polling; fails after `ms`. */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Stream {
  text: () => string;
  ended: () => boolean;
  caseIds: () => string[];
  close: () => void;
}

/**
 * Issue 9 §5: an open `/api/v1/events` stream lives no longer than its session and follows the scope of
 * now. Real streams over a listening server; the session re-check runs every 100 ms here (10 s by default)
 * and a delivery trusts a session read for 50 ms (2 s by default).
 */
describe('live streams follow the session', () => {
  let database: Database & { url?: string };
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  let port: number;
  const clock = caseClock();

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await buildTestApp({
      database,
      config: loadConfig({
        DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'liandong-events-')),
        ...(database.url ? { DATABASE_URL: database.url } : {}),
      }),
      demo: false,
      now: clock.now,
      liveSessionCheckMs: 100,
      liveSessionCacheMs: 50,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  /** A new session of `username`, ending at `expiresAt`. */
  async function session(username: string, expiresAt = new Date('2099-01-01T00:00:00Z')): Promise<string> {
    const token = newSessionToken();
    await database.db
      .insertInto('sessions')
      .values({
        token_hash: tokenHash(token),
        user_id: users.get(username)!.id,
        created_at: clock.now(),
        expires_at: expiresAt,
        address: null,
        user_agent: null,
      })
      .execute();
    return token;
  }

  async function listen(token: string): Promise<Stream> {
    let text = '';
    let ended = false;
    const request = http.get({
      host: '127.0.0.1',
      port,
      path: '/api/v1/events',
      headers: { authorization: `Bearer ${token}` },
    });
    const response = await new Promise<http.IncomingMessage>((resolve) => request.on('response', resolve));
    expect(response.statusCode).toBe(200);
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.on('end', () => (ended = true));
    response.on('close', () => (ended = true));
    await until(() => text.includes('retry:'));
    return {
      text: () => text,
      ended: () => ended,
      caseIds: () =>
        text
          .split('\n\n')
          .filter((b) => b.startsWith('event: case'))
          .map(
            (b) =>
              (
                JSON.parse(
                  b
                    .split('\n')
                    .find((l) => l.startsWith('data: '))!
                    .slice(6),
                ) as { caseId: string }
              ).caseId,
          ),
      close: () => request.destroy(),
    };
  }

  const report = async (where: { lon: number; lat: number }, description: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: users.get('patroller.a')!.auth,
      payload: { category: '0501', description, location: where },
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ case: { id: string } }>().case.id;
  };

  it('ends the stream at logout, and delivers nothing after it', async () => {
    const token = await session('dispatcher.a');
    const stream = await listen(token);
    const before = await report(T.inGumeiC1, '登出前');
    await until(() => stream.caseIds().includes(before));
    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.statusCode).toBe(204);
    await until(stream.ended);
    const after = await report(T.inGumeiC1, '登出后');
    await new Promise((r) => setTimeout(r, 100));
    expect(stream.caseIds()).toEqual([before]);
    expect(stream.text()).not.toContain(after);
  });

  it('ends the stream when the session expires', async () => {
    const stream = await listen(await session('dispatcher.a', new Date(clock.now().getTime() + 3_600_000)));
    const before = await report(T.inGumeiC1, '过期前');
    await until(() => stream.caseIds().includes(before));
    clock.advance(3_600_001);
    const after = await report(T.inGumeiC1, '过期后');
    await until(stream.ended);
    expect(stream.text()).not.toContain(after);
  });

  it('ends the stream of a disabled account (its session row still there)', async () => {
    const stream = await listen(await session('lead.a'));
    await database.db.updateTable('users').set({ disabled: true }).where('username', '=', 'lead.a').execute();
    try {
      await until(stream.ended);
    } finally {
      await database.db
        .updateTable('users')
        .set({ disabled: false })
        .where('username', '=', 'lead.a')
        .execute();
    }
  });

  it('applies the unit of now: a moved dispatcher no longer gets the old street’s changes', async () => {
    const stream = await listen(await session('dispatcher.b')); // 新虹
    const first = await report(T.inXinhong, '新虹一');
    await until(() => stream.caseIds().includes(first));
    await database.db
      .updateTable('users')
      .set({ unit_code: T.gumei })
      .where('username', '=', 'dispatcher.b')
      .execute();
    await new Promise((r) => setTimeout(r, 300)); // past the cache and a periodic re-read
    const oldScope = await report(T.inXinhong, '新虹二');
    const newScope = await report(T.inGumeiC1, '古美');
    await until(() => stream.caseIds().includes(newScope));
    expect(stream.caseIds()).toEqual([first, newScope]);
    expect(stream.text()).not.toContain(oldScope);
    expect(stream.ended()).toBe(false);
    stream.close();
  });
});
