import type { FastifyInstance } from 'fastify';
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
import {
  apiClient,
  ok,
  performAction,
  type ActionBody,
  type Schemas,
  type TransitionAction,
} from './support/api.ts';
import { createTestDatabase } from './support/database.ts';

/** Issue 3, "What a user can do": a report walks from the street to closure through the API. */
describe('the linkage loop through the API', () => {
  let database: Database;
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock();
  const as = (name: string) => users.get(name)!.auth;
  const MINUTE = 60_000;

  const upload = async (who: string) => {
    const body = multipartBody(TINY_JPEG, 'photo.jpg');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...as(who), ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Schemas['Attachment']>();
  };
  const api = (who: string) => apiClient(app, as(who));
  /** Reports a case and expects 201. */
  const report = async (
    who: string,
    body: Schemas['CreateCaseBody'],
    headers: Record<string, string> = {},
  ) => {
    const res = await api(who).POST('/api/v1/cases', { body, headers });
    expect(res.response.status, JSON.stringify(res.error)).toBe(201);
    return ok(res);
  };
  const detail = async (who: string, id: string) =>
    ok(await api(who).GET('/api/v1/cases/{id}', { params: { path: { id } } }));
  /** Performs an action at the case's current version and expects 200. */
  const step = async <A extends TransitionAction>(
    who: string,
    id: string,
    action: A,
    payload: Omit<ActionBody<A>, 'version'> = {} as Omit<ActionBody<A>, 'version'>,
  ) => {
    const current = await detail(who, id);
    expect(current.allowedActions, `${who} may ${action} in ${current.state}`).toContain(action);
    const body = { version: current.version, ...payload } as ActionBody<A>;
    return ok(await performAction(api(who), id, action, body));
  };
  const notificationsOf = async (who: string) => ok(await api(who).GET('/api/v1/notifications'));

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('walks group renting in 古美 from the patroller’s report to closure, with a full timeline', async () => {
    const photo = await upload('patroller.a');
    const created = await report(
      'patroller.a',
      {
        category: '0101',
        description: '古美路某小区 12 号 601 室疑似群租，隔成 8 间',
        location: T.inGumeiC1,
        address: '古美路 12 号',
        photos: [photo.id],
      },
      { 'idempotency-key': 'walk-1' },
    );
    const c = created.case;
    expect(c).toMatchObject({
      state: 'reported',
      source: 'patrol',
      streetCode: T.gumei,
      committeeCode: T.gumeiC1,
      gridCode: T.gumeiG1,
      owner: { level: 'street', code: T.gumei },
      policeDepartmentId: 'police-310112006',
      policeMode: 'assist',
    });
    expect(c.caseNo).toMatch(/^310112-2026-\d{6}$/);
    expect(created.routing).toMatchObject({
      leadDepartmentId: 'housing-310112006',
      assistingDepartmentIds: ['police-310112006'],
    });

    // it lands in the 古美 sub-centre's queue, not in 新虹's
    const queue = ok(
      await api('dispatcher.a').GET('/api/v1/cases', {
        params: { query: { state: ['reported'], street: T.gumei } },
      }),
    );
    expect(queue.items.map((i) => i.id)).toContain(c.id);
    const other = ok(await api('dispatcher.b').GET('/api/v1/cases'));
    expect(other.items.map((i) => i.id)).not.toContain(c.id);
    expect(
      (await notificationsOf('dispatcher.a')).items.some((n) => n.caseId === c.id && n.kind === 'report'),
    ).toBe(true);

    clock.advance(20 * MINUTE);
    await step('dispatcher.a', c.id, 'register', { note: '属实，立案' });
    clock.advance(10 * MINUTE);
    // no lead given: the responsibility matrix decides (房管办 leads, 派出所 assists)
    const dispatched = await step('dispatcher.a', c.caseNo, 'dispatch');
    expect(dispatched.case).toMatchObject({
      state: 'dispatched',
      leadDepartmentId: 'housing-310112006',
      assistingDepartmentIds: ['police-310112006'],
    });
    const policeInbox = await notificationsOf('police.a');
    const notice = policeInbox.items.find((n) => n.caseId === c.id && n.kind === 'dispatch');
    expect(notice?.payload).toMatchObject({ receipt: true });
    const read = ok(
      await api('police.a').POST('/api/v1/notifications/{id}/read', {
        params: { path: { id: String(notice!.id) } },
      }),
    );
    expect(read).toMatchObject({
      readBy: users.get('police.a')!.id,
      readAt: clock.now().toISOString(),
    });

    clock.advance(30 * MINUTE);
    await step('housing.a', c.id, 'sign');
    await step('police.a', c.id, 'assist_feedback', { feedback: '已协同上门核查人员信息' });
    clock.advance(24 * 60 * MINUTE);
    const after = await upload('housing.a');
    await step('housing.a', c.id, 'handle', { result: '已责令整改，拆除隔断', photos: [after.id] });
    clock.advance(15 * MINUTE);
    await step('dispatcher.a', c.id, 'assign_check', { patrollerId: users.get('patroller.a')!.id });
    clock.advance(40 * MINUTE);
    await step('patroller.a', c.id, 'submit_check', { passed: true, note: '隔断已拆除' });
    clock.advance(30 * MINUTE);
    const closed = await step('lead.a', c.id, 'close', { note: '结案' });
    expect(closed.case).toMatchObject({ state: 'closed', closureType: 'normal' });

    const d = await detail('dispatcher.a', c.id);
    expect(d.events.map((e) => e.action)).toEqual([
      'report',
      'register',
      'dispatch',
      'sign',
      'assist_feedback',
      'handle',
      'assign_check',
      'submit_check',
      'close',
    ]);
    for (const e of d.events) {
      expect(e.actor.userId).toBeTruthy();
      expect(e.actor.role).toBeTruthy();
    }
    const byAction = Object.fromEntries(d.events.map((e) => [e.action, e]));
    // register finished the 1-working-hour registration stage in 20 minutes: on time
    expect(byAction.register).toMatchObject({
      stage: 'register',
      timeUnit: 'work_hour',
      timeLimit: 1,
      onTime: true,
    });
    expect(byAction.register!.timeUsed).toBeCloseTo(20 / 60, 5);
    expect(byAction.dispatch).toMatchObject({
      stage: 'dispatch',
      onTime: true,
      actor: { role: 'dispatcher', unit: T.gumei },
    });
    expect(byAction.sign).toMatchObject({
      stage: 'sign',
      onTime: true,
      actor: { role: 'dept_handler', unit: 'dept:housing-310112006' },
    });
    expect(byAction.handle).toMatchObject({
      stage: 'handle',
      timeUnit: 'work_day',
      timeLimit: 5,
      onTime: true,
    });
    expect(byAction.submit_check).toMatchObject({ stage: 'check', onTime: true });
    expect(byAction.close).toMatchObject({ stage: 'close', onTime: true, actor: { role: 'shift_lead' } });
    expect(d.deadlines.map((x) => x.stage)).toEqual([
      'register',
      'dispatch',
      'sign',
      'handle',
      'check',
      'close',
    ]);
    expect(d.deadlines.every((x) => x.status === 'stopped' && x.onTime === true)).toBe(true);
    expect(d.attachments.map((a) => a.purpose).sort()).toEqual(['after', 'evidence']);
    expect(d.allowedActions).toContain('follow_up');
    // the dispatcher of the owning centre sees the reporter's contact; the housing office does not
    expect(d.reporter).toMatchObject({ name: '巡管员甲', masked: false });
    const forDept = await detail('housing.a', c.id);
    expect(forDept.reporter.masked).toBe(true);

    // the photo is readable by those who see the case, not by another street
    const seen = await app.inject({
      method: 'GET',
      url: `/api/v1/attachments/${photo.id}`,
      headers: as('dispatcher.a'),
    });
    expect(seen.statusCode).toBe(200);
    expect(seen.headers['content-type']).toBe('image/jpeg');
    const hidden = await app.inject({
      method: 'GET',
      url: `/api/v1/attachments/${photo.id}`,
      headers: as('dispatcher.b'),
    });
    expect(hidden.statusCode).toBe(404);
  });

  it('verifies a citizen report on site before registration', async () => {
    const res = await report('citizen1', {
      description: '小区门口垃圾堆了三天',
      location: T.inGumeiC2,
      reporter: { phone: '13912345678' },
    });
    const c = res.case;
    expect(c).toMatchObject({ state: 'reported', source: 'citizen', categoryCode: null });
    const d = await detail('dispatcher.a', c.id);
    expect(d.allowedActions).not.toContain('register');
    await step('dispatcher.a', c.id, 'request_verification', { patrollerId: users.get('patroller.a2')!.id });
    // the assigned patroller now sees it, and the reporter's contact to call them
    const assigned = await detail('patroller.a2', c.id);
    expect(assigned.reporter).toMatchObject({ phone: '13912345678', masked: false });
    await step('patroller.a2', c.id, 'submit_verification', { confirmed: true, note: '属实' });
    const registered = await step('dispatcher.a', c.id, 'register', { category: '0501' });
    expect(registered.case).toMatchObject({ state: 'registered', categoryCode: '0501' });
    // the citizen follows their own report, and nobody else's
    expect((await detail('citizen1', c.id)).state).toBe('registered');
    const foreign = await api('citizen2').GET('/api/v1/cases/{id}', { params: { path: { id: c.id } } });
    expect(foreign.response.status).toBe(404);
    expect(foreign.error).toMatchObject({ code: 'not_found' });
  });

  it('refuses a citizen report in a stability category, and writes nothing (DESIGN §4)', async () => {
    const count = async () =>
      Number(
        (
          await database.db
            .selectFrom('cases')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    for (const category of ['0602', '0603']) {
      const res = await api('citizen1').POST('/api/v1/cases', {
        body: { description: '邻居吵架', location: T.inGumeiC2, category },
      });
      expect(res.response.status).toBe(400);
      expect(res.error).toMatchObject({ code: 'validation_failed', reason: 'stability_category_not_public' });
    }
    expect(await count()).toBe(before);
    // a dispatcher taking the same call may file it as a dispute
    const taken = await report('dispatcher.a', {
      description: '邻居吵架',
      location: T.inGumeiC2,
      category: '0603',
      reporter: { phone: '13912345678' },
    });
    expect(taken.case).toMatchObject({ source: 'hotline', categoryCode: '0603' });
  });

  it('closes a self-handled patroller report with before/after photos at once', async () => {
    const before = await upload('patroller.a');
    const after = await upload('patroller.a');
    const res = await report('patroller.a', {
      category: '0501',
      description: '路边散落垃圾，已清理',
      location: T.inGumeiC1,
      photos: [before.id],
      selfHandled: { result: '已清理', afterPhotos: [after.id] },
    });
    const c = res.case;
    expect(c).toMatchObject({ state: 'resolved', selfHandled: true, deadline: { stage: 'close' } });
    const closed = await step('lead.a', c.id, 'close');
    expect(closed.case).toMatchObject({ state: 'closed', closureType: 'self_handled' });
    const d = await detail('lead.a', c.id);
    expect(d.attachments.map((a) => a.purpose).sort()).toEqual(['after', 'before']);
  });

  it('tells the committee work station and the community police at once about a coordinator’s dispute report', async () => {
    const res = await report('coordinator.a1', {
      category: '0603',
      description: '楼上楼下漏水纠纷，双方情绪激动',
      location: T.inGumeiC1,
    });
    const c = res.case;
    expect(c).toMatchObject({ source: 'screening', owner: { level: 'committee', code: T.gumeiC1 } });
    const station = (await notificationsOf('station.a1')).items.find((n) => n.caseId === c.id);
    const police = (await notificationsOf('police.a')).items.find((n) => n.caseId === c.id);
    expect(station).toMatchObject({ kind: 'report', payload: { receipt: true }, readAt: null });
    expect(police).toMatchObject({
      kind: 'report',
      payload: { receipt: true },
      recipient: { departmentId: 'police-310112006', role: 'police' },
    });
    expect(station!.createdAt).toBe(police!.createdAt);
    // 新虹's police station is not told
    expect((await notificationsOf('police.b')).items.some((n) => n.caseId === c.id)).toBe(false);
  });

  it('sends an urgent 不稳定因素 report straight to the sub-centre and the police station on an urgent clock', async () => {
    const res = await report('patroller.a', {
      category: '0602',
      urgency: 'urgent',
      description: '十余名租户聚集，扬言集体上访',
      location: T.inGumeiC1,
    });
    const c = res.case;
    expect(c).toMatchObject({
      urgency: 'urgent',
      owner: { level: 'street', code: T.gumei },
      deadline: { stage: 'register' },
    });
    // the registration clock runs on clock hours (15 minutes), not working hours
    expect(new Date(c.deadline!.dueAt!).getTime() - clock.now().getTime()).toBe(15 * MINUTE);
    const police = (await notificationsOf('police.a')).items.find((n) => n.caseId === c.id);
    expect(police).toMatchObject({ payload: { urgent: true, receipt: true } });
    const centre = (await notificationsOf('dispatcher.a')).items.find((n) => n.caseId === c.id);
    expect(centre).toMatchObject({ payload: { urgent: true } });
    expect((await notificationsOf('station.a1')).items.some((n) => n.caseId === c.id)).toBe(false);
    // police lead: dispatch without a lead goes to the police station, on the urgent handling clock
    await step('lead.a', c.id, 'register');
    const dispatched = await step('lead.a', c.id, 'dispatch');
    expect(dispatched.case).toMatchObject({
      leadDepartmentId: 'police-310112006',
      assistingDepartmentIds: ['mediation-310112006'],
    });
    await step('police.a', c.id, 'sign');
    const d = await detail('police.a', c.id);
    const handle = d.deadlines.find((x) => x.stage === 'handle');
    expect(handle).toMatchObject({ limit: { amount: 2, unit: 'urgent_hour' }, status: 'running' });
  });

  it('suggests an open case of the same category nearby as a duplicate, and merges it', async () => {
    const first = await report('patroller.a', {
      category: '0102',
      description: '屋顶违法搭建',
      location: T.inGumeiC1,
    });
    const near = { lon: T.inGumeiC1.lon + 0.0003, lat: T.inGumeiC1.lat };
    const second = await report('patroller.a', {
      category: '0102',
      description: '同一处屋顶搭建',
      location: near,
    });
    expect(second.duplicates.map((x) => x.id)).toContain(first.case.id);
    expect(second.duplicates[0]!.distanceM).toBeLessThan(100);
    const far = await report('patroller.a2', {
      category: '0102',
      description: '另一处',
      location: T.inGumeiC2,
    });
    expect(far.duplicates.map((x) => x.id)).not.toContain(first.case.id);

    await step('dispatcher.a', second.case.id, 'merge', { masterCaseId: first.case.caseNo });
    const dup = await detail('dispatcher.a', second.case.id);
    expect(dup).toMatchObject({ state: 'rejected', mergedInto: first.case.id });
    const master = await detail('dispatcher.a', first.case.id);
    expect(master.events.map((e) => e.action)).toEqual(['report', 'merge']);
    expect(master.version).toBe(2);
  });
});
