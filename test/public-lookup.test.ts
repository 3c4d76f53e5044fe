import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOLLOW_UP_ALPHABET } from '../src/app/public/follow-up-code.ts';
import type { Database } from '../src/db/database.ts';
import { caseApp, caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const CODE = new RegExp(`^[${FOLLOW_UP_ALPHABET}]{8}$`);

/**
 * Issue 9 §8: the public page cannot be walked. Following a case needs its number and the follow-up
 * code (查询码) given to the reporter; a wrong code and an unknown number answer alike; sensitive
 * categories are never public; the rate limit stays.
 */
describe('POST /api/v1/public/cases/lookup', () => {
  let database: Database;
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock();
  const as = (who: string) => users.get(who)!.auth;

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  // every lookup from its own address, so the tests do not spend one another's rate limit
  let address = 0;
  const lookup = (body: unknown, remoteAddress = `10.0.0.${++address}`) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/public/cases/lookup',
      payload: body as object,
      remoteAddress,
    });
  const report = async (who: string, body: Json) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/cases', headers: as(who), payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Json>();
  };
  const act = async (who: string, id: string, action: string, payload: Json = {}) => {
    const current = await app.inject({ method: 'GET', url: `/api/v1/cases/${id}`, headers: as(who) });
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/actions/${action}`,
      headers: as(who),
      payload: { version: current.json<Json>().version, ...payload },
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  it('gives the reporter a follow-up code, and shows the public status only to number + code', async () => {
    const created = await report('patroller.a', {
      category: '0501',
      description: '楼道口垃圾堆放',
      location: T.inGumeiC1,
    });
    expect(created.followUpCode).toMatch(CODE);
    const { caseNo } = created.case as { caseNo: string };
    const res = await lookup({ caseNo, code: created.followUpCode });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json<Json>();
    expect(p).toMatchObject({ caseNo, status: 'received', categoryCode: '0501', categoryName: '暴露垃圾' });
    expect(Object.keys(p).sort()).toEqual([
      'caseNo',
      'categoryCode',
      'categoryName',
      'closedAt',
      'history',
      'reportedAt',
      'status',
    ]);
    expect(JSON.stringify(p)).not.toMatch(/楼道|巡管员|lon|lat|followUp/);
    // as typed by a person: lower case, with a dash or spaces
    const code = created.followUpCode as string;
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4)} `;
    expect((await lookup({ caseNo, code: typed })).statusCode).toBe(200);
  });

  it('answers a wrong code, an unknown number and a missing code alike: no walking, no oracle', async () => {
    const created = await report('patroller.a', {
      category: '0501',
      description: '垃圾',
      location: T.inGumeiC1,
    });
    const { caseNo } = created.case as { caseNo: string };
    const wrong = await lookup({
      caseNo,
      code: 'ABCDEFGH' === created.followUpCode ? 'ABCDEFGJ' : 'ABCDEFGH',
    });
    const unknown = await lookup({ caseNo: '310112-2026-999999', code: created.followUpCode });
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json<Json>().detail).not.toContain(caseNo);
    // the number alone is not enough, by any route
    expect((await lookup({ caseNo })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: `/api/v1/public/cases/${caseNo}` })).statusCode).toBe(404);
    // a case without a code (reported before codes existed) cannot be followed
    await database.db
      .updateTable('cases')
      .set({ follow_up_code: null })
      .where('case_no', '=', caseNo)
      .execute();
    expect((await lookup({ caseNo, code: created.followUpCode })).json()).toEqual(unknown.json());
  });

  it('never shows sensitive categories: 矛盾纠纷, 不稳定因素, flagged ones, or a case recategorised as one', async () => {
    const refusal = (await lookup({ caseNo: '310112-2026-999998', code: 'ABCDEFGH' })).json();
    const dispute = await report('patroller.a', {
      category: '0603',
      description: '邻里纠纷',
      location: T.inGumeiC1,
    });
    expect(dispute.followUpCode).toMatch(CODE);
    const hidden = await lookup({ caseNo: dispute.case.caseNo, code: dispute.followUpCode });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toEqual(refusal);

    const building = await report('patroller.a', {
      category: '0102',
      description: '违法搭建',
      location: T.inGumeiC1,
    });
    const follow = () => lookup({ caseNo: building.case.caseNo, code: building.followUpCode });
    expect((await follow()).statusCode).toBe(200);
    await database.db.updateTable('categories').set({ sensitive: true }).where('code', '=', '0102').execute();
    expect((await follow()).statusCode).toBe(404);
    await database.db
      .updateTable('categories')
      .set({ sensitive: false })
      .where('code', '=', '0102')
      .execute();

    const recategorised = await report('patroller.a', {
      category: '0501',
      description: '聚集',
      location: T.inGumeiC1,
    });
    await act('dispatcher.a', recategorised.case.id, 'register', { category: '0602' });
    expect(
      (await lookup({ caseNo: recategorised.case.caseNo, code: recategorised.followUpCode })).statusCode,
    ).toBe(404);
  });

  it('lets the reporter and the owning centre’s intake staff read the code, nobody else', async () => {
    const hotline = await report('dispatcher.a', {
      source: 'hotline',
      category: '0501',
      description: '市民来电反映垃圾',
      location: T.inGumeiC1,
      reporter: { name: '王先生', phone: '13800001111' },
    });
    expect(hotline.followUpCode).toMatch(CODE);
    const created = await report('patroller.a', {
      category: '0501',
      description: '垃圾',
      location: T.inGumeiC1,
    });
    const id = created.case.id as string;
    await act('dispatcher.a', id, 'register');
    await act('dispatcher.a', id, 'dispatch');
    const codeFor = async (who: string) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/cases/${id}`, headers: as(who) });
      expect(res.statusCode, `${who}: ${res.body}`).toBe(200);
      return res.json<Json>().followUpCode as string | null;
    };
    expect(await codeFor('patroller.a')).toBe(created.followUpCode);
    expect(await codeFor('dispatcher.a')).toBe(created.followUpCode);
    expect(await codeFor('lead.a')).toBe(created.followUpCode);
    expect(await codeFor('greening')).toBeNull(); // the department handling it
    expect(await codeFor('leader')).toBeNull();
    expect(await codeFor('dist.dispatcher')).toBeNull(); // sees the district, does not own the case
    // lists never carry it
    const list = await app.inject({ method: 'GET', url: '/api/v1/cases', headers: as('dispatcher.a') });
    expect(list.body).not.toContain(created.followUpCode);
  });

  it('keeps the rate limit: 60 lookups a minute per address', async () => {
    const from = '10.9.9.9';
    const body = { caseNo: '310112-2026-999997', code: 'ABCDEFGH' };
    for (let i = 0; i < 60; i++) expect((await lookup(body, from)).statusCode).toBe(404);
    const limited = await lookup(body, from);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
  });
});
