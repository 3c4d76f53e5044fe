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
import type { Schemas } from './support/api.ts';
import { createTestDatabase } from './support/database.ts';

type Payload = Record<string, unknown>;

/** The exception paths of DESIGN §4 through the API: return, rework, extension, suspension, escalation… */
describe('exception paths through the API', () => {
  let database: Database;
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock();
  const HOUR = 3_600_000;
  const as = (name: string) => users.get(name)!.auth;
  const id = (name: string) => users.get(name)!.id;

  const detail = async (who: string, caseId: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: as(who) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Schemas['CaseDetail']>();
  };
  // payloads stay untyped here: these paths also send what the workflow must refuse
  const step = async (who: string, caseId: string, action: string, payload: Payload = {}) => {
    const { version } = await detail('dist.lead', caseId);
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/actions/${action}`,
      headers: as(who),
      payload: { version, ...payload },
    });
    expect(res.statusCode, `${who} ${action}: ${res.body}`).toBe(200);
    return res.json<Schemas['CaseActionResult']>().case;
  };
  const photo = async (who: string) => {
    const body = multipartBody(TINY_JPEG, 'p.jpg');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...as(who), ...body.headers },
      payload: body.payload,
    });
    return res.json<{ id: string }>().id;
  };
  const newCase = async (category = '0101', location: { lon: number; lat: number } = T.inGumeiC1) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as('patroller.a'),
      payload: { category, description: '测试', location },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Schemas['CreateCaseResult']>().case.id;
  };
  const dispatched = async () => {
    const c = await newCase();
    await step('dispatcher.a', c, 'register');
    await step('dispatcher.a', c, 'dispatch');
    return c;
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

  it('returns a wrong dispatch to the centre, which dispatches again (counted)', async () => {
    const c = await dispatched();
    const back = await step('housing.a', c, 'return', { reason: '不属于房管办职责' });
    expect(back).toMatchObject({ state: 'registered', leadDepartmentId: null });
    // the housing office no longer sees it
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/cases/${c}`, headers: as('housing.a') })).statusCode,
    ).toBe(404);
    await step('dispatcher.a', c, 'dispatch', { leadDepartmentId: 'chengguan-310112006' });
    const d = await detail('chengguan.a', c);
    expect(d.counters.returns).toBe(1);
    expect(d.deadlines.filter((x) => x.stage === 'dispatch')).toHaveLength(2);
  });

  it('sends failed work back for rework and counts it', async () => {
    const c = await dispatched();
    await step('housing.a', c, 'sign');
    await step('housing.a', c, 'handle', { result: '已处理', photos: [await photo('housing.a')] });
    await step('dispatcher.a', c, 'assign_check', { patrollerId: id('patroller.a') });
    const failed = await step('patroller.a', c, 'submit_check', { passed: false, note: '仍有隔断' });
    expect(failed.state).toBe('in_progress');
    const d = await detail('housing.a', c);
    expect(d.counters.reworks).toBe(1);
    expect(d.deadlines.filter((x) => x.stage === 'handle').map((x) => x.status)).toEqual([
      'stopped',
      'running',
    ]);
  });

  it('moves the handling deadline on an approved extension and stops the clock while suspended', async () => {
    const c = await dispatched();
    await step('housing.a', c, 'sign');
    const before = (await detail('housing.a', c)).deadline!.dueAt!;
    const asked = new Date(Date.parse(before) + 3 * 24 * HOUR).toISOString();
    await step('housing.a', c, 'request_extension', { reason: '需联系产权人', requestedDueAt: asked });
    await step('lead.a', c, 'approve_extension');
    const extended = await detail('housing.a', c);
    expect(Date.parse(extended.deadline!.dueAt!)).toBeGreaterThan(Date.parse(before));
    expect(extended.deadlines.find((x) => x.stage === 'handle')!.limit.extension).toBeGreaterThan(0);

    await step('housing.a', c, 'request_suspension', { reason: '待规划认定' });
    const suspended = await step('lead.a', c, 'approve_suspension');
    expect(suspended).toMatchObject({ state: 'suspended', deadline: { stage: 'handle', dueAt: null } });
    clock.advance(10 * 24 * HOUR);
    const resumed = await step('lead.a', c, 'resume');
    // ten calendar days suspended: the due date moved by the working time skipped
    expect(Date.parse(resumed.deadline!.dueAt!)).toBeGreaterThan(
      Date.parse(extended.deadline!.dueAt!) + 7 * 24 * HOUR,
    );
    const clockRow = (await detail('housing.a', c)).deadlines.find((x) => x.stage === 'handle');
    expect(clockRow!.pausedMs).toBe(10 * 24 * HOUR);
  });

  it('escalates a jurisdiction dispute to the district, which arbitrates', async () => {
    const c = await dispatched();
    const escalated = await step('lead.a', c, 'escalate', { reason: '房管与城管职责争议' });
    expect(escalated).toMatchObject({ owner: { level: 'district', code: T.district }, escalated: true });
    // the street still follows it; the district now owns it
    expect((await detail('dispatcher.a', c)).allowedActions).not.toContain('arbitrate');
    expect((await detail('dist.lead', c)).allowedActions).toContain('arbitrate');
    const ruled = await step('dist.lead', c, 'arbitrate', {
      leadDepartmentId: 'chengguan-310112006',
      ruling: '由城管牵头',
      handBack: true,
    });
    expect(ruled).toMatchObject({
      state: 'dispatched',
      leadDepartmentId: 'chengguan-310112006',
      owner: { level: 'street' },
    });
    const d = await detail('chengguan.a', c);
    expect(d.allowedActions).toContain('sign');
    expect(d.allowedActions).not.toContain('return');
  });

  it('lets a leader supervise (督办), raising the priority and notifying', async () => {
    const c = await dispatched();
    const s = await step('leader', c, 'supervise', { note: '尽快办理' });
    expect(s).toMatchObject({ supervised: true, priority: 'high' });
    const inbox = await app.inject({
      method: 'GET',
      url: `/api/v1/notifications?caseId=${c}`,
      headers: as('housing.a'),
    });
    expect(
      inbox
        .json<Schemas['NotificationList']>()
        .items.some((n) => n.kind === 'supervise' && n.payload?.urgent === true),
    ).toBe(true);
  });

  it('rejects, cancels and reopens with reasons', async () => {
    const r = await newCase();
    expect(
      await step('lead.a', r, 'reject', { reasonCode: 'invalid', reason: '现场无此情况' }),
    ).toMatchObject({ state: 'rejected' });
    const c = await dispatched();
    expect(await step('lead.a', c, 'cancel', { reason: '重复立案' })).toMatchObject({
      state: 'cancelled',
      deadline: null,
    });
    clock.set('2026-03-05T01:00:00Z'); // Thursday 09:00 Beijing time
    const closed = await newCase('0501');
    await step('dispatcher.a', closed, 'register');
    await step('dispatcher.a', closed, 'dispatch');
    await step('greening', closed, 'sign');
    await step('greening', closed, 'handle', { result: '已清运', photos: [await photo('greening')] });
    await step('dispatcher.a', closed, 'assign_check', { patrollerId: id('patroller.a') });
    clock.advance(3 * HOUR);
    await step('patroller.a', closed, 'submit_check', { passed: true });
    const done = await step('lead.a', closed, 'close');
    expect(done.state).toBe('closed');
    const reopened = await step('lead.a', closed, 'reopen', { reason: '市民回访不满意' });
    expect(reopened).toMatchObject({ state: 'registered', closedAt: null, closureType: null });
    const d = await detail('lead.a', closed);
    expect(d.counters.reopens).toBe(1);
    // the check took 09:00–12:00, 3 working hours against a limit of 2: the event says it was late
    const check = d.events.find((e) => e.action === 'submit_check');
    expect(check).toMatchObject({ stage: 'check', onTime: false });
  });

  it('lets a committee work station solve a minor case itself (小事不出居村)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as('station.a1'),
      payload: { category: '0501', description: '楼道堆物', location: T.inGumeiC1 },
    });
    const c = res.json<Schemas['CreateCaseResult']>().case;
    expect(c.owner).toEqual({ level: 'committee', code: T.gumeiC1 });
    await step('station.a1', c.id, 'register');
    const handled = await step('station.a1', c.id, 'handle_locally', {
      result: '已清理',
      photos: [await photo('station.a1')],
    });
    expect(handled.state).toBe('handled');
  });
});
