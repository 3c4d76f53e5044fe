import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { caseApp, caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Issue 9 finding 7: notifications follow the case scope of *now*. A department taken off a case keeps
 * its notices (what happened, when) but no longer reads the case's number, category or summary in them.
 */
describe('notifications follow the case scope of now', () => {
  let database: Database;
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock();
  const as = (name: string) => users.get(name)!.auth;

  const step = async (who: string, caseId: string, action: string, payload: Json = {}) => {
    const detail = await app.inject({
      method: 'GET',
      url: `/api/v1/cases/${caseId}`,
      headers: as('dist.lead'),
    });
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/actions/${action}`,
      headers: as(who),
      payload: { version: detail.json<Json>().version, ...payload },
    });
    expect(res.statusCode, `${who} ${action}: ${res.body}`).toBe(200);
  };
  const inbox = async (who: string, query = '') => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/notifications${query}`, headers: as(who) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Json>().items as Json[];
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('redacts the case from a department’s notices once the case is taken off it', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as('patroller.a'),
      payload: { category: '0101', description: '群租隔断 秘密细节', location: T.inGumeiC1 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { id, caseNo } = res.json<Json>().case as { id: string; caseNo: string };
    await step('dispatcher.a', id, 'register');
    await step('dispatcher.a', id, 'dispatch');

    const before = (await inbox('housing.a')).filter((n) => n.caseId === id);
    expect(before.length).toBeGreaterThan(0);
    expect(before[0]!.payload).toMatchObject({ caseNo, summary: expect.stringContaining('秘密') });

    await step('housing.a', id, 'return', { reason: '不属于房管办职责' });
    await step('dispatcher.a', id, 'dispatch', { leadDepartmentId: 'chengguan-310112006' });

    const all = await inbox('housing.a');
    const text = JSON.stringify(all);
    expect(text).not.toContain(caseNo);
    expect(text).not.toContain('秘密');
    expect(text).not.toContain(id);
    // the notice itself stays: what happened, without the case
    const dispatched = all.find((n) => n.kind === 'dispatch' && n.payload.redacted === true);
    expect(dispatched).toMatchObject({ caseId: null, payload: { redacted: true } });
    expect(dispatched!.payload.categoryCode).toBeUndefined();
    // asking by case is asking about the case
    expect(await inbox('housing.a', `?caseId=${id}`)).toEqual([]);
    // the department now responsible still reads it all
    const current = (await inbox('chengguan.a')).find((n) => n.caseId === id);
    expect(current?.payload).toMatchObject({ caseNo });
    // and reading a redacted notice does not reveal the case either
    const read = await app.inject({
      method: 'POST',
      url: `/api/v1/notifications/${dispatched!.id}/read`,
      headers: as('housing.a'),
    });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.body).not.toContain(caseNo);
  });
});
