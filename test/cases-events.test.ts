import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseChangeBus, type CaseChange } from '../src/app/cases/events.ts';
import type { Database } from '../src/db/database.ts';
import { caseApp, caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase, onServer } from './support/database.ts';

/** Waits until `check` holds, polling; fails after `ms`. */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('live case changes', () => {
  let database: Database & { url?: string };
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock();

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);
    await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('streams changes of cases in the listener’s scope only (SSE)', async () => {
    const { port } = app.server.address() as AddressInfo;
    let text = '';
    const request = http.get({
      host: '127.0.0.1',
      port,
      path: '/api/v1/events',
      headers: users.get('dispatcher.a')!.auth,
    });
    const response = await new Promise<http.IncomingMessage>((resolve) => request.on('response', resolve));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/event-stream');
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    await until(() => text.includes('retry:'));

    const report = (location: { lon: number; lat: number }, description: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: users.get('patroller.a')!.auth,
        payload: { category: '0501', description, location },
      });
    const elsewhere = (await report(T.inXinhong, '新虹')).json<{ case: { id: string } }>().case;
    const here = (await report(T.inGumeiC1, '古美')).json<{ case: { id: string; caseNo: string } }>().case;
    await until(() => text.includes(here.id));
    const events = text
      .split('\n\n')
      .filter((block) => block.startsWith('event: case'))
      .map(
        (block) =>
          JSON.parse(
            block
              .split('\n')
              .find((l) => l.startsWith('data: '))!
              .slice(6),
          ) as Record<string, unknown>,
      );
    expect(events).toEqual([
      expect.objectContaining({ caseId: here.id, caseNo: here.caseNo, action: 'report', state: 'reported' }),
    ]);
    expect(text).not.toContain(elsewhere.id);
    expect(JSON.stringify(events)).not.toContain('reporter');
    request.destroy();
  });

  it.runIf(onServer())('carries changes between server instances by LISTEN/NOTIFY', async () => {
    const a = createCaseChangeBus(database, { databaseUrl: database.url });
    const b = createCaseChangeBus(database, { databaseUrl: database.url });
    const seenByA: CaseChange[] = [];
    const seenByB: CaseChange[] = [];
    a.subscribe((c) => seenByA.push(c));
    b.subscribe((c) => seenByB.push(c));
    await Promise.all([a.ready(), b.ready()]);
    const change: CaseChange = {
      caseId: 'c1',
      caseNo: '310112-2026-000001',
      action: 'register',
      state: 'registered',
      version: 2,
      at: new Date().toISOString(),
      scope: {
        street_code: T.gumei,
        committee_code: null,
        grid_code: null,
        owner_level: 'street',
        owner_code: T.gumei,
        lead_department_id: null,
        assisting_department_ids: [],
        police_department_id: null,
        police_mode: 'none',
        reporter_user_id: null,
        reporter_ids: [],
        assignee_user_id: null,
        escalated: false,
      },
    };
    a.publish([change]);
    await until(() => seenByB.length === 1);
    expect(seenByB[0]).toEqual(change);
    // the publisher got it once, locally — not a second time back from the server: a change from b,
    // which the server delivers after a's own, arrives alone
    const second = { ...change, action: 'dispatch', state: 'dispatched', version: 3 };
    b.publish([second]);
    await until(() => seenByA.length >= 2);
    await until(() => seenByB.length >= 2);
    expect(seenByA).toEqual([change, second]);
    expect(seenByB).toEqual([change, second]);
    await a.close();
    await b.close();
  });
});
