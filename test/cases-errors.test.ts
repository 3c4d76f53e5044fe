import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import {
  caseApp,
  caseClock,
  multipartBody,
  seedCaseFixture,
  T,
  TINY_JPEG,
  type TestUser,
} from './support/cases.ts';
import type { Schemas } from './support/api.ts';
import { createTestDatabase } from './support/database.ts';

/** Bodies sent here are often wrong on purpose: they stay plain JSON; answers are read through the contract. */
type Json = Record<string, unknown>;

/** Every error class of the case API, scope across streets, and "no partly written case". */
describe('case API errors and boundaries', () => {
  let database: Database;
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock();
  const as = (name: string) => users.get(name)!.auth;
  let gumeiCase: Schemas['CaseSummary'];
  const totals = async () => {
    const { rows } = await sql<Json>`select
      (select count(*) from cases) as cases, (select count(*) from case_events) as events,
      (select count(*) from case_deadlines) as deadlines, (select count(*) from notifications) as notifications,
      (select count(*) from case_counters) as counters, (select coalesce(sum(value), 0) from case_counters) as numbers,
      (select count(*) from audit_log) as audit, (select count(*) from idempotency_keys) as keys`.execute(
      database.db,
    );
    return rows[0];
  };
  const report = (who: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { ...as(who), ...headers },
      payload: payload as Json,
    });
  const act = (who: string, id: string, action: string, payload: unknown) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/actions/${action}`,
      headers: as(who),
      payload: payload as Json,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);
    const res = await report('patroller.a', { category: '0101', description: '群租', location: T.inGumeiC1 });
    gumeiCase = res.json<Schemas['CreateCaseResult']>().case;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('401 without a session', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/cases' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('400 for bad bodies, never 500', async () => {
    const bodies: unknown[] = [
      {},
      { description: 'x' },
      { description: 'x', location: { lon: 'a', lat: 1 } },
      { description: 'x', location: { lon: 500, lat: 1 } },
      { description: '   ', location: T.inGumeiC1 },
      { description: 'x', location: T.inGumeiC1, extra: 1 },
      { description: 'x', location: T.inGumeiC1, category: '9999' },
      { description: 'x', location: T.inGumeiC1, category: 'abc' },
      { description: 'x', location: T.outside },
      { description: 'x', location: T.inGumeiC1, photos: ['no-such-photo'] },
      { description: 'x', location: T.inGumeiC1, source: 'hotline' },
      { description: 'x'.repeat(5000), location: T.inGumeiC1 },
      { description: 'x', location: T.inGumeiC1, selfHandled: { result: 'done', afterPhotos: [] } },
      [1, 2, 3],
    ];
    for (const body of bodies) {
      const res = await report('patroller.a', body);
      expect([400, 403], `${JSON.stringify(body).slice(0, 80)} → ${res.body}`).toContain(res.statusCode);
    }
    expect((await report('patroller.a', 'plain')).statusCode).toBe(415);
    const notJson = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { ...as('patroller.a'), 'content-type': 'application/json' },
      payload: '{"description":',
    });
    expect(notJson.statusCode).toBe(400);
    const badKey = await report(
      'patroller.a',
      { description: 'x', location: T.inGumeiC1 },
      { 'idempotency-key': 'a b' },
    );
    expect(badKey.statusCode).toBe(400);
    const actionBodies: unknown[] = [{}, { version: 'one' }, { version: 1, unknown: true }, { version: 0 }];
    for (const body of actionBodies) {
      const res = await act('dispatcher.a', gumeiCase.id, 'register', body);
      expect(res.statusCode, res.body).toBe(400);
    }
  });

  it('writes nothing when any part of a report fails (bad attachment id, wrong role for the source)', async () => {
    const before = await totals();
    const photo = multipartBody(TINY_JPEG, 'a.jpg');
    const uploaded = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...as('patroller.a2'), ...photo.headers },
      payload: photo.payload,
    });
    const foreignPhoto = uploaded.json<Schemas['Attachment']>().id;
    const failing = [
      report(
        'patroller.a',
        { category: '0101', description: 'x', location: T.inGumeiC1, photos: ['missing'] },
        { 'idempotency-key': 'k-fail' },
      ),
      // someone else's upload cannot be attached
      report('patroller.a', {
        category: '0101',
        description: 'x',
        location: T.inGumeiC1,
        photos: [foreignPhoto],
      }),
      report('patroller.a', { category: '0101', description: 'x', location: T.inGumeiC1, source: 'hotline' }),
    ];
    for (const res of await Promise.all(failing)) expect([400, 403]).toContain(res.statusCode);
    expect(await totals()).toEqual(before);
    // and the key was not used up: the corrected request succeeds with it
    const fixed = await report(
      'patroller.a',
      { category: '0101', description: 'x', location: T.inGumeiC1 },
      { 'idempotency-key': 'k-fail' },
    );
    expect(fixed.statusCode).toBe(201);
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();
  });

  it('422 for an action the state does not allow, 403 for a role that may not take it', async () => {
    const wrongState = await act('lead.a', gumeiCase.id, 'close', { version: gumeiCase.version });
    expect(wrongState.statusCode).toBe(422);
    expect(wrongState.json()).toMatchObject({ code: 'invalid_transition' });
    const wrongRole = await act('patroller.a', gumeiCase.id, 'register', { version: gumeiCase.version });
    expect(wrongRole.statusCode).toBe(403);
    expect(wrongRole.json()).toMatchObject({ code: 'forbidden' });
    const unknownAction = await act('dispatcher.a', gumeiCase.id, 'fly_away', { version: 1 });
    expect(unknownAction.statusCode).toBe(404);
  });

  it('404 for unknown cases and for cases outside the caller’s territory — for reading and acting', async () => {
    for (const ref of ['00000000-0000-0000-0000-000000000000', '310112-2026-999999', 'nonsense']) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/cases/${ref}`,
        headers: as('dispatcher.a'),
      });
      expect(res.statusCode).toBe(404);
      const unmask = await app.inject({
        method: 'POST',
        url: `/api/v1/cases/${ref}/reporter/unmask`,
        headers: as('dispatcher.a'),
        payload: { reason: 'call back' },
      });
      expect(unmask.statusCode).toBe(404);
    }
    const read = await app.inject({
      method: 'GET',
      url: `/api/v1/cases/${gumeiCase.id}`,
      headers: as('dispatcher.b'),
    });
    expect(read.statusCode).toBe(404);
    const byNumber = await app.inject({
      method: 'GET',
      url: `/api/v1/cases/${gumeiCase.caseNo}`,
      headers: as('dispatcher.b'),
    });
    expect(byNumber.statusCode).toBe(404);
    const acted = await act('lead.b', gumeiCase.id, 'register', { version: gumeiCase.version });
    expect(acted.statusCode).toBe(404);
    // a department not on the case does not see it either
    const dept = await app.inject({
      method: 'GET',
      url: `/api/v1/cases/${gumeiCase.id}`,
      headers: as('chengguan.a'),
    });
    expect(dept.statusCode).toBe(404);
    // the district sees everything
    const district = await app.inject({
      method: 'GET',
      url: `/api/v1/cases/${gumeiCase.id}`,
      headers: as('dist.dispatcher'),
    });
    expect(district.statusCode).toBe(200);
    // …but acting belongs to the owning centre (古美): the district may only comment until escalated
    expect(district.json<Schemas['CaseDetail']>().allowedActions).toEqual(['comment']);
  });

  it('409 for a stale version, with the current version', async () => {
    const res = await act('dispatcher.a', gumeiCase.id, 'register', { version: gumeiCase.version + 5 });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'version_conflict', currentVersion: gumeiCase.version });
  });

  it('400 for references to unknown departments or patrollers, leaving the case untouched', async () => {
    const c = (
      await report('patroller.a', { category: '0102', description: '搭建', location: T.inGumeiC1 })
    ).json<Schemas['CreateCaseResult']>().case;
    const reg = await act('dispatcher.a', c.id, 'register', { version: 1 });
    expect(reg.statusCode).toBe(200);
    const before = await totals();
    const cases = [
      act('dispatcher.a', c.id, 'dispatch', { version: 2, leadDepartmentId: 'nope' }),
      act('dispatcher.a', c.id, 'dispatch', {
        version: 2,
        leadDepartmentId: 'chengguan-310112006',
        assistingDepartmentIds: ['ghost'],
      }),
      act('dispatcher.a', c.id, 'dispatch', {
        version: 2,
        leadDepartmentId: 'chengguan-310112006',
        assistingDepartmentIds: ['chengguan-310112006'],
      }),
      act('dispatcher.a', c.id, 'merge', {
        version: 2,
        masterCaseId: gumeiCase.id.replace(/.$/, (last) => (last === '0' ? '1' : '0')),
      }),
    ];
    for (const res of await Promise.all(cases)) expect(res.statusCode, res.body).toBe(400);
    expect(await totals()).toEqual(before);
    const rejectedPatroller = await act('dispatcher.a', gumeiCase.id, 'request_verification', {
      version: gumeiCase.version,
      patrollerId: users.get('dispatcher.b')!.id,
    });
    expect(rejectedPatroller.statusCode).toBe(400);
  });

  it('checks uploads by content and size (415, 413)', async () => {
    const text = multipartBody(Buffer.from('just text, named like a photo'), 'photo.jpg', 'image/jpeg');
    const r1 = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...as('patroller.a'), ...text.headers },
      payload: text.payload,
    });
    expect(r1.statusCode).toBe(415);
    const big = multipartBody(Buffer.concat([TINY_JPEG, Buffer.alloc(10 * 1024 * 1024 + 10)]), 'big.jpg');
    const r2 = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...as('patroller.a'), ...big.headers },
      payload: big.payload,
    });
    expect(r2.statusCode).toBe(413);
    const json = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: as('patroller.a'),
      payload: { a: 1 },
    });
    expect(json.statusCode).toBe(415);
    const missing = await app.inject({
      method: 'GET',
      url: '/api/v1/attachments/nope',
      headers: as('patroller.a'),
    });
    expect(missing.statusCode).toBe(404);
  });

  it('lists only cases in scope, with filters and stable cursor pagination by deadline', async () => {
    await report('patroller.a', { category: '0501', description: '新虹的垃圾', location: T.inXinhong });
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      await report('patroller.a', { category: '0501', description: `垃圾堆 ${i}`, location: T.inGumeiC1 });
    }
    const page = async (who: string, query: string) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/cases?${query}`, headers: as(who) });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Schemas['CaseList']>();
    };
    const all = await page('dispatcher.a', 'limit=200');
    expect(all.items.every((i) => i.streetCode === T.gumei)).toBe(true);
    const b = await page('dispatcher.b', 'limit=200');
    expect(b.items.map((i) => i.description)).toEqual(['新虹的垃圾']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p: Schemas['CaseList'] = await page(
        'dispatcher.a',
        `limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...p.items.map((i) => i.id));
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((i) => i.id));
    const dues = all.items.map((i) => (i.deadline?.dueAt ? Date.parse(i.deadline.dueAt) : Infinity));
    expect([...dues].sort((x, y) => x - y)).toEqual(dues);

    expect((await page('dispatcher.a', 'category=05&text=垃圾堆')).items).toHaveLength(5);
    expect(
      (await page('dispatcher.a', 'state=registered,dispatched')).items.every((i) =>
        ['registered', 'dispatched'].includes(i.state),
      ),
    ).toBe(true);
    expect((await page('dispatcher.a', `committee=${T.gumeiC2}`)).items).toHaveLength(0);
    expect((await page('dispatcher.a', 'source=patrol&sort=newest&limit=1')).items[0]!.description).toBe(
      '垃圾堆 4',
    );
    expect((await page('dispatcher.a', 'colour=red')).items).toHaveLength(0);
    clock.advance(3 * 24 * 3_600_000);
    const red = await page('dispatcher.a', 'colour=red&limit=200');
    expect(red.items.length).toBeGreaterThan(0);
    expect(red.items.every((i) => i.deadline?.colour === 'red')).toBe(true);
    expect((await page('dispatcher.a', 'overdue=true&limit=200')).items).toHaveLength(red.items.length);
    expect((await page('housing.a', 'limit=200')).items).toHaveLength(0);
    for (const bad of ['state=flying', 'cursor=garbage', 'limit=0', 'colour=blue', 'street=12']) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/cases?${bad}`,
        headers: as('dispatcher.a'),
      });
      expect(res.statusCode, bad).toBe(400);
    }
  });

  it('shows notifications only to their recipients; reading someone else’s is 404', async () => {
    const mine = await app.inject({
      method: 'GET',
      url: '/api/v1/notifications',
      headers: as('dispatcher.a'),
    });
    const item = mine.json<Schemas['NotificationList']>().items[0]!;
    const theirs = await app.inject({
      method: 'POST',
      url: `/api/v1/notifications/${item.id}/read`,
      headers: as('dispatcher.b'),
    });
    expect(theirs.statusCode).toBe(404);
    const unread = await app.inject({
      method: 'GET',
      url: '/api/v1/notifications?unread=true',
      headers: as('dispatcher.b'),
    });
    expect(
      unread.json<Schemas['NotificationList']>().items.every((n) => n.recipient.regionCode === T.xinhong),
    ).toBe(true);
  });
});
