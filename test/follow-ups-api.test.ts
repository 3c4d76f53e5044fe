import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOfRow } from '../src/app/identity/user-view.ts';
import { newSessionToken, tokenHash } from '../src/app/identity/tokens.ts';
import type { Database } from '../src/db/database.ts';
import { apiClient, ok, performAction, type Schemas, type TransitionAction } from './support/api.ts';
import {
  caseApp,
  caseClock,
  multipartBody,
  seedCaseFixture,
  T,
  TINY_JPEG,
  type TestUser,
} from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';

/**
 * 回访 (issue 14) through the API: a closed hotline case of 古美 becomes a follow-up task of 古美's intake
 * staff (masked contact, due in working days, overdue later); recording 不满意 takes it off the list and
 * puts it before the shift lead, who reopens it; 满意率 counts the result, its drill-down lists the case.
 */
describe('follow-up (回访) API', () => {
  let database: Database;
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock('2026-03-02T02:00:00Z'); // Monday 10:00 in Shanghai
  const MIN = 60_000;
  const as = (name: string) => users.get(name)!.auth;
  const api = (who: string) => apiClient(app, as(who));
  const step = async (
    who: string,
    id: string,
    action: TransitionAction,
    payload: Record<string, unknown> = {},
  ) => {
    const { version } = ok(await api(who).GET('/api/v1/cases/{id}', { params: { path: { id } } }));
    clock.advance(10 * MIN);
    return ok(await performAction(api(who), id, action, { version, ...payload } as never));
  };
  const list = async (who: string, query: { status?: 'all' | 'overdue' } = {}) =>
    ok(await api(who).GET('/api/v1/follow-ups', { params: { query } }));
  let hotlineId = '';
  const upload = async (who: string) => {
    const body = multipartBody(TINY_JPEG, 'photo.jpg');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...as(who), ...body.headers },
      payload: body.payload,
    });
    return res.json<{ id: string }>().id;
  };

  /** Drives a case to closed: from a public report (verified first), a patrol report, or a reopening. */
  const closeIt = async (id: string, from: 'public' | 'patrol' | 'reopened') => {
    if (from === 'public') {
      await step('dispatcher.a', id, 'request_verification', { patrollerId: users.get('patroller.a')!.id });
      await step('patroller.a', id, 'submit_verification', { confirmed: true, note: '属实' });
    }
    if (from !== 'reopened') await step('dispatcher.a', id, 'register', { category: '0501' });
    await step('dispatcher.a', id, 'dispatch');
    const detail = ok(await api('dispatcher.a').GET('/api/v1/cases/{id}', { params: { path: { id } } }));
    const handler = detail.leadDepartmentId === 'dist-greening' ? 'greening' : 'chengguan.a';
    await step(handler, id, 'sign');
    await step(handler, id, 'handle', { result: '已清理', photos: [await upload(handler)] });
    await step('dispatcher.a', id, 'assign_check', { patrollerId: users.get('patroller.a')!.id });
    await step('patroller.a', id, 'submit_check', { passed: true });
    await step('lead.a', id, 'close');
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    const row = await database.db
      .insertInto('users')
      .values({
        username: 'admin',
        display_name: 'admin',
        password_hash: 'not-a-hash',
        role: 'admin',
        unit_kind: 'region',
        unit_code: T.district,
        department_id: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const token = newSessionToken();
    await database.db
      .insertInto('sessions')
      .values({
        token_hash: tokenHash(token),
        user_id: row.id,
        created_at: new Date('2020-01-01T00:00:00Z'),
        expires_at: new Date('2099-01-01T00:00:00Z'),
        address: null,
        user_agent: null,
      })
      .execute();
    users.set('admin', {
      id: row.id,
      token,
      actor: actorOfRow(row),
      auth: { authorization: `Bearer ${token}` },
    });
    app = await caseApp(database, clock.now);

    // a hotline call with the caller's phone, and a patroller's own report: both closed the same day
    const body: Schemas['CreateCaseBody'] = {
      description: '小区门口垃圾堆了三天',
      location: T.inGumeiC1,
      reporter: { name: '王先生', phone: '13912345678' },
    };
    hotlineId = ok(await api('dispatcher.a').POST('/api/v1/cases', { body })).case.id;
    await closeIt(hotlineId, 'public');
    const patrol = ok(
      await api('patroller.a').POST('/api/v1/cases', {
        body: { category: '0501', description: '路边垃圾', location: T.inGumeiC1 },
      }),
    ).case.id;
    await closeIt(patrol, 'patrol');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('gives the owning centre a task per closed public case, contact masked, due in working days', async () => {
    const mine = await list('dispatcher.a');
    expect(mine).toMatchObject({ days: 3, pending: 1, overdue: 0, unsatisfied: [] });
    expect(mine.tasks).toHaveLength(1);
    const task = mine.tasks[0]!;
    expect(task).toMatchObject({
      caseId: hotlineId,
      source: 'hotline',
      status: 'pending',
      reporterName: '王**',
      reporterPhone: '139****5678',
    });
    // closed on Monday: due three working days later, Thursday at the same time
    expect(new Date(task.dueAt).getTime() - new Date(task.closedAt).getTime()).toBe(3 * 86_400_000);
    expect((await list('lead.a')).pending).toBe(1);
    // another street's centre and the district centre do not own it; others have no follow-ups
    expect((await list('dispatcher.b')).pending).toBe(0);
    expect((await list('dist.dispatcher')).pending).toBe(0);
    for (const who of ['leader', 'patroller.a', 'housing.a', 'citizen1', 'admin']) {
      expect((await api(who).GET('/api/v1/follow-ups')).response.status).toBe(403);
    }
  });

  it('shows it overdue after the due time, and the delay is a setting', async () => {
    clock.advance(4 * 24 * 60 * MIN); // Friday
    expect(await list('dispatcher.a')).toMatchObject({ pending: 1, overdue: 1 });
    expect((await list('dispatcher.a', { status: 'overdue' })).tasks[0]!.status).toBe('overdue');
    const settings = ok(await api('admin').GET('/api/v1/evaluation/settings'));
    ok(await api('admin').PUT('/api/v1/evaluation/settings', { body: { ...settings, followUpDays: 10 } }));
    expect(await list('dispatcher.a')).toMatchObject({ days: 10, pending: 1, overdue: 0 });
    ok(await api('admin').PUT('/api/v1/evaluation/settings', { body: { ...settings, followUpDays: 3 } }));
  });

  it('records 不满意: off the task list, before the shift lead, who reopens it; 满意率 counts it', async () => {
    await step('dispatcher.a', hotlineId, 'follow_up', {
      satisfaction: 'unsatisfied',
      note: '垃圾又堆起来了',
    });
    const after = await list('dispatcher.a');
    expect(after).toMatchObject({ pending: 0, overdue: 0, tasks: [] });
    expect(after.unsatisfied).toMatchObject([
      { caseId: hotlineId, by: '古美派遣员', note: '垃圾又堆起来了', canReopen: false },
    ]);
    expect((await list('lead.a')).unsatisfied).toMatchObject([{ caseId: hotlineId, canReopen: true }]);

    // 满意率 of 古美 for March: 0 of 1, and the drill-down lists the case as unsatisfied
    const table = ok(
      await api('leader').GET('/api/v1/evaluation', { params: { query: { period: '2026-03' } } }),
    );
    const gumei = table.units.find((u) => u.unit === T.gumei)!;
    expect(gumei.indicators.find((v) => v.id === 'satisfaction_rate')).toMatchObject({
      numerator: 0,
      denominator: 1,
      rate: 0,
    });
    const drill = ok(
      await api('leader').GET('/api/v1/evaluation/cases', {
        params: {
          query: { indicator: 'satisfaction_rate', unit: T.gumei, part: 'denominator', period: '2026-03' },
        },
      }),
    );
    expect(drill.items.map((i) => [i.caseId, i.reason, i.numerator])).toEqual([
      [hotlineId, 'unsatisfied', false],
    ]);

    // the shift lead reopens it: no longer waiting; closed again later, it owes a new follow-up
    await step('lead.a', hotlineId, 'reopen', { reason: '市民回访不满意' });
    expect((await list('lead.a')).unsatisfied).toEqual([]);
    await closeIt(hotlineId, 'reopened');
    expect(await list('dispatcher.a')).toMatchObject({ pending: 1, overdue: 0 });
    await step('lead.a', hotlineId, 'follow_up', { satisfaction: 'satisfied' });
    expect(await list('lead.a')).toMatchObject({ pending: 0, unsatisfied: [] });
    // the last result wins
    const again = ok(
      await api('leader').GET('/api/v1/evaluation', { params: { query: { period: '2026-03' } } }),
    );
    expect(
      again.units.find((u) => u.unit === T.gumei)!.indicators.find((v) => v.id === 'satisfaction_rate'),
    ).toMatchObject({ numerator: 1, denominator: 1 });
  });
});
