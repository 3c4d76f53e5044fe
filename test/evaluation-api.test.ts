import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { sweepDeadlines } from '../src/app/deadlines/sweep-deadlines.ts';
import { getEvaluation } from '../src/app/evaluation/get-evaluation.ts';
import { listEvaluationCases } from '../src/app/evaluation/list-evaluation-cases.ts';
import { compactEvaluationRollups, rebuildEvaluationRollups } from '../src/app/evaluation/rollups.ts';
import { UNIT_KINDS } from '../src/core/evaluation/index.ts';
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
 * The evaluation API over cases driven through the real use cases and the deadline sweeper: the table,
 * the drill-down (its lengths equal the numbers), the scope of each role, the settings (admins, audited).
 */
describe('evaluation API', () => {
  let database: Database;
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock('2026-03-04T02:00:00Z'); // Wednesday 10:00 in Shanghai
  const MIN = 60_000;
  const as = (name: string) => users.get(name)!.auth;
  const api = (who: string) => apiClient(app, as(who));
  const status = async (who: string, url: string, method: 'GET' | 'PUT' = 'GET', payload?: unknown) =>
    (await app.inject({ method, url, headers: as(who), ...(payload ? { payload: payload as object } : {}) }))
      .statusCode;
  const report = async (body: Schemas['CreateCaseBody']) =>
    ok(await api('patroller.a').POST('/api/v1/cases', { body })).case;
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
  const table = async (who: string, query: { period?: string; unitKind?: Schemas['EvaluationUnitKind'] }) =>
    ok(await api(who).GET('/api/v1/evaluation', { params: { query } }));

  async function addUser(username: string, role: string, unit: { region?: string; department?: string }) {
    const row = await database.db
      .insertInto('users')
      .values({
        username,
        display_name: username,
        password_hash: 'not-a-hash',
        role: role as never,
        unit_kind: unit.region ? 'region' : 'department',
        unit_code: unit.region ?? null,
        department_id: unit.department ?? null,
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
    users.set(username, {
      id: row.id,
      token,
      actor: actorOfRow(row),
      auth: { authorization: `Bearer ${token}` },
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    await addUser('admin', 'admin', { region: T.district });
    await addUser('leader.gumei', 'leader', { region: T.gumei });
    await addUser('lead.housing', 'dept_lead', { department: 'housing-310112006' });
    app = await caseApp(database, clock.now);

    // A: the whole loop on time
    const a = await report({ category: '0101', description: '群租 一号楼', location: T.inGumeiC1 });
    await step('dispatcher.a', a.id, 'register');
    await step('dispatcher.a', a.id, 'dispatch');
    await step('housing.a', a.id, 'sign');
    await step('housing.a', a.id, 'handle', { result: '已整改', photos: [await upload('housing.a')] });
    await step('dispatcher.a', a.id, 'assign_check', { patrollerId: users.get('patroller.a')!.id });
    await step('patroller.a', a.id, 'submit_check', { passed: true });
    await step('lead.a', a.id, 'close');
    // B: signed, then left: the sweeper finds the handling clock overdue ten days later
    const b = await report({ category: '0101', description: '群租 二号楼', location: T.inGumeiC1 });
    await step('dispatcher.a', b.id, 'register');
    await step('dispatcher.a', b.id, 'dispatch');
    await step('housing.a', b.id, 'sign');
    // C: self-handled on the spot, closed
    const c = await report({
      category: '0101',
      description: '楼道堆物已清理',
      location: T.inGumeiC2,
      photos: [await upload('patroller.a')],
      selfHandled: { result: '现场清理完毕', afterPhotos: [await upload('patroller.a')] },
    });
    await step('lead.a', c.id, 'close');
    clock.advance(10 * 24 * 60 * MIN);
    await sweepDeadlines({ database, now: clock.now });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('gives the district leader every street with numerators and denominators from the event log', async () => {
    const t = await table('leader', { period: '2026-03', unitKind: 'street' });
    expect(t.period).toMatchObject({ key: '2026-03', from: '2026-02-28T16:00:00.000Z' });
    expect(t.previousPeriod).toBe('2026-02');
    expect(t.kinds).toContain('department');
    const gumei = t.units.find((u) => u.unit === T.gumei)!;
    expect(gumei.name).toBe('古美街道');
    // A closed on time, C self-handled and closed, B overdue and open; 3 patrol reports
    expect(Object.fromEntries(gumei.indicators.map((v) => [v.id, [v.numerator, v.denominator]]))).toEqual({
      public_report_rate: [0, 3],
      closure_rate: [2, 3],
      on_time_closure_rate: [2, 3],
      satisfaction_rate: [0, 0],
    });
    // no follow-up, so 满意率 (weight 20) is left out: (16·100 + 24·2/3 + 40·2/3) / 80 = 73.33 → C;
    // 3 cases < 10: flagged, not ranked
    expect(gumei).toMatchObject({ composite: 73.33, grade: 'C', small: true, rank: null, size: 3 });
    const xinhong = t.units.find((u) => u.unit === T.xinhong)!;
    expect(xinhong).toMatchObject({ composite: null, grade: null, size: 0 });
    // the same log gives the same figures
    expect(await table('leader', { period: '2026-03', unitKind: 'street' })).toEqual(t);
  });

  it('opens the cases behind every number: the list length is the number shown', async () => {
    const t = await table('leader', { period: '2026-03', unitKind: 'street' });
    const gumei = t.units.find((u) => u.unit === T.gumei)!;
    for (const v of gumei.indicators) {
      for (const part of ['numerator', 'denominator'] as const) {
        const list = ok(
          await api('leader').GET('/api/v1/evaluation/cases', {
            params: { query: { indicator: v.id, unit: T.gumei, part, period: '2026-03' } },
          }),
        );
        expect(list.items.length, `${v.id} ${part}`).toBe(part === 'numerator' ? v.numerator : v.denominator);
        expect(list.total).toBe(list.items.length);
      }
    }
    const due = ok(
      await api('leader').GET('/api/v1/evaluation/cases', {
        params: {
          query: { indicator: 'on_time_closure_rate', unit: T.gumei, part: 'denominator', period: '2026-03' },
        },
      }),
    );
    expect(due.items.map((i) => [i.description, i.reason]).sort()).toEqual([
      ['楼道堆物已清理', 'closed_on_time'],
      ['群租 一号楼', 'closed_on_time'],
      ['群租 二号楼', 'overdue_open'],
    ]);
  });

  it('counts the department: one handled on time, one overdue and unhandled', async () => {
    const t = await table('leader', { period: '2026-03', unitKind: 'department' });
    const housing = t.units.find((u) => u.unit === 'housing-310112006')!;
    expect(housing.indicators.find((v) => v.id === 'on_time_handling_rate')).toMatchObject({
      numerator: 1,
      denominator: 2,
    });
    const dept = await table('lead.housing', { period: '2026-03' });
    expect(dept.kinds).toEqual(['department']);
    expect(dept.units.map((u) => u.unit)).toEqual(['housing-310112006']);
  });

  it('keeps each role to its scope', async () => {
    const street = await table('leader.gumei', { period: '2026-03', unitKind: 'committee' });
    expect(street.kinds).not.toContain('department');
    expect(street.units.map((u) => u.unit).sort()).toEqual([T.gumeiC1, T.gumeiC2]);
    expect(await status('leader.gumei', '/api/v1/evaluation?unitKind=department')).toBe(403);
    expect(
      await status(
        'leader.gumei',
        `/api/v1/evaluation/cases?indicator=closure_rate&unit=${T.xinhong}&part=numerator`,
      ),
    ).toBe(404);
    expect(await status('patroller.a', '/api/v1/evaluation')).toBe(403);
    expect(await status('dispatcher.a', '/api/v1/evaluation/definitions')).toBe(403);
    expect(await status('lead.housing', '/api/v1/evaluation?unitKind=street')).toBe(403);
  });

  it('refuses what is not a period, with a 400', async () => {
    for (const bad of ['2026-13', '2026-W60', 'x', '2026-01-01..2030-01-01', '2026-03%00']) {
      expect(await status('leader', `/api/v1/evaluation?period=${bad}`), bad).toBe(400);
    }
    expect(await status('leader', '/api/v1/evaluation?from=2026-02-30')).toBe(400);
    expect(
      await status(
        'leader',
        '/api/v1/evaluation/cases?indicator=rework_rate&unit=31011200600101&part=numerator',
      ),
    ).toBe(404);
    expect(
      await status(
        'leader',
        `/api/v1/evaluation/cases?indicator=rework_rate&unit=${T.gumei}&part=numerator&unitKind=street`,
      ),
    ).toBe(400);
  });

  it('exports the table and a drill-down list as CSV with Chinese headers, audited', async () => {
    const t = await table('leader', { period: '2026-03', unitKind: 'street' });
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/evaluation/export.csv?period=2026-03&unitKind=street',
      headers: as('leader'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('综合评价-街道-2026-03.csv'));
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/^排名,单位代码,单位,监督举报率\(%\),监督举报率分子,监督举报率分母,结案率/);
    expect(lines).toHaveLength(1 + t.units.length);
    expect(lines.find((l) => l.includes(T.gumei))).toContain(',2,3,'); // 结案率 2/3
    const cases = await app.inject({
      method: 'GET',
      url: `/api/v1/evaluation/cases/export.csv?period=2026-03&indicator=on_time_closure_rate&unit=${T.gumei}&part=denominator`,
      headers: as('leader'),
    });
    const rows = cases.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows[0]).toBe('案件编号,计入原因,计入时间,当前状态,描述');
    expect(
      rows
        .slice(1)
        .map((r) => r.split(',')[1])
        .sort(),
    ).toEqual(['按期结案', '按期结案', '超期未结']);
    expect(await status('patroller.a', '/api/v1/evaluation/export.csv')).toBe(403);
    const audit = ok(
      await api('admin').GET('/api/v1/audit', { params: { query: { action: 'evaluation.export' } } }),
    );
    expect(audit.items[0]!.payload).toMatchObject({
      period: '2026-03',
      unitKind: 'street',
      rows: t.units.length,
    });
  });

  it('lets the district admin set weights and the threshold, audited; nobody else', async () => {
    const body = {
      weights: {
        street: { on_time_closure_rate: 100, closure_rate: 0, public_report_rate: 0, satisfaction_rate: 0 },
      },
      minDenominator: 2,
      followUpDays: 3,
    };
    expect(await status('leader', '/api/v1/evaluation/settings', 'PUT', body)).toBe(403);
    expect(
      await status('admin', '/api/v1/evaluation/settings', 'PUT', {
        weights: { street: { rework_rate: 1 } },
        minDenominator: 2,
      }),
    ).toBe(400);
    expect(await status('admin', '/api/v1/evaluation/settings', 'PUT', { ...body, minDenominator: 0 })).toBe(
      400,
    );
    // the weights of a kind add up to 100 (the defaults fill what is not given); each 0–100; 1–30 days
    expect(
      await status('admin', '/api/v1/evaluation/settings', 'PUT', {
        weights: { street: { on_time_closure_rate: 50 } },
        minDenominator: 2,
      }),
    ).toBe(400);
    expect(
      await status('admin', '/api/v1/evaluation/settings', 'PUT', {
        weights: { street: { on_time_closure_rate: 140, closure_rate: -40 } },
        minDenominator: 2,
      }),
    ).toBe(400);
    expect(await status('admin', '/api/v1/evaluation/settings', 'PUT', { ...body, followUpDays: 31 })).toBe(
      400,
    );
    // a valid edit that leaves other kinds to their defaults
    expect(
      await status('admin', '/api/v1/evaluation/settings', 'PUT', {
        weights: { street: { on_time_closure_rate: 24, closure_rate: 40 } },
        minDenominator: 2,
      }),
    ).toBe(200);
    const saved = ok(await api('admin').PUT('/api/v1/evaluation/settings', { body }));
    expect(saved).toEqual(body);
    const t = await table('leader', { period: '2026-03', unitKind: 'street' });
    expect(t.units.find((u) => u.unit === T.gumei)).toMatchObject({
      composite: 66.67,
      grade: 'C',
      small: false,
      rank: 1,
    });
    const audit = ok(
      await api('admin').GET('/api/v1/audit', { params: { query: { action: 'evaluation.settings' } } }),
    );
    expect(audit.items[0]!.payload).toMatchObject({ after: body });
    const defs = ok(await api('leader').GET('/api/v1/evaluation/definitions'));
    expect(defs.indicators.find((d) => d.id === 'on_time_closure_rate')!.name.zh).toBe('按期结案率');
    expect(defs.grades.at(-1)).toEqual({ grade: 'E', min: 0 });
  });

  it('keeps the day roll-ups equal to a rebuild from the log, and every table and list equal to the log', async () => {
    // more paths first, through the use cases (each action refreshes its case's roll-ups in its transaction):
    // a follow-up, a return and a re-dispatch, a rejection, a cancellation, a failed check
    const cases = await database.db
      .selectFrom('cases')
      .select(['id', 'state'])
      .orderBy('reported_at')
      .execute();
    const closed = cases.find((c) => c.state === 'closed')!;
    await step('dispatcher.a', closed.id, 'follow_up', { satisfaction: 'unsatisfied', note: '又堆起来了' });
    await step('dispatcher.a', closed.id, 'follow_up', { satisfaction: 'satisfied' });
    const d = await report({ category: '0101', description: '群租 三号楼', location: T.inGumeiC2 });
    await step('dispatcher.a', d.id, 'register');
    await step('dispatcher.a', d.id, 'dispatch');
    await step('housing.a', d.id, 'return', { reason: '不属于房管办职责' });
    await step('dispatcher.a', d.id, 'dispatch');
    await step('housing.a', d.id, 'sign');
    await step('housing.a', d.id, 'handle', { result: '已整改', photos: [await upload('housing.a')] });
    await step('dispatcher.a', d.id, 'assign_check', { patrollerId: users.get('patroller.a')!.id });
    await step('patroller.a', d.id, 'submit_check', { passed: false, note: '仍有堆物' });
    const r = await report({ category: '0101', description: '群租 四号楼', location: T.inGumeiC1 });
    await step('lead.a', r.id, 'reject', { reasonCode: 'invalid', reason: '现场无此情况' });
    const x = await report({ category: '0101', description: '群租 五号楼', location: T.inGumeiC1 });
    await step('dispatcher.a', x.id, 'register');
    await step('lead.a', x.id, 'cancel', { reason: '重复立案' });
    clock.advance(6 * 24 * 60 * MIN);
    await sweepDeadlines({ database, now: clock.now });

    const snapshot = async () => ({
      items: (
        await sql`select case_id, kind, unit, indicator, street, case_no, event_id::text, at, prev_at, valid_from,
            valid_to, numerator, denominator, reason from evaluation_items
          order by case_id, kind, unit, indicator, event_id, valid_from`.execute(database.db)
      ).rows,
      rollups: (
        await sql`select kind, to_char(a_day, 'YYYY-MM-DD') as a, unit, indicator, street,
            to_char(b_day, 'YYYY-MM-DD') as b, sum(numerator)::text as n, sum(denominator)::text as d
          from evaluation_rollups group by kind, a_day, unit, indicator, street, b_day
          having sum(numerator) <> 0 or sum(denominator) <> 0
          order by kind, a_day, unit, indicator, street, b_day`.execute(database.db)
      ).rows,
    });
    const incremental = await snapshot();
    expect(incremental.items.length).toBeGreaterThan(50);
    // folding the appended deltas changes no sum, and leaves one row per key
    expect(await compactEvaluationRollups(database.db)).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(incremental);
    const duplicates = await sql<{
      n: number;
    }>`select count(*)::int as n from (select 1 from evaluation_rollups
      group by kind, a_day, unit, indicator, street, b_day having count(*) > 1) k`.execute(database.db);
    expect(duplicates.rows[0]!.n).toBe(0);
    expect(await rebuildEvaluationRollups(database)).toMatchObject({ cases: cases.length + 3 });
    expect(await snapshot()).toEqual(incremental);

    const actorOf = async (username: string) =>
      actorOfRow(
        await database.db
          .selectFrom('users')
          .selectAll()
          .where('username', '=', username)
          .executeTakeFirstOrThrow(),
      );
    const fromLog = async <T>(fn: () => Promise<T>): Promise<T> => {
      await database.db.updateTable('evaluation_rollup_state').set({ built: false }).execute();
      try {
        return await fn();
      } finally {
        await database.db.updateTable('evaluation_rollup_state').set({ built: true }).execute();
      }
    };
    const deps = { database, now: clock.now };
    const past = { database, now: () => new Date('2026-03-05T02:00:00Z') }; // later events exist: the log answers
    for (const who of ['leader', 'leader.gumei']) {
      const actor = await actorOf(who);
      for (const period of ['2026-03', '2026-W11', '2026-Q1', '2026-03-01..2026-03-06']) {
        for (const unitKind of who === 'leader' ? UNIT_KINDS : UNIT_KINDS.filter((k) => k !== 'department')) {
          for (const d of [deps, past]) {
            const rolled = await getEvaluation(d, actor, { period, unitKind });
            expect(rolled, `${who} ${period} ${unitKind}`).toEqual(
              await fromLog(() => getEvaluation(d, actor, { period, unitKind })),
            );
            if (d !== deps || !['2026-03', '2026-W11'].includes(period)) continue;
            for (const unit of rolled.units.slice(0, 2)) {
              for (const v of unit.indicators) {
                for (const part of ['numerator', 'denominator'] as const) {
                  const q = { period, unitKind, unit: unit.unit, indicator: v.id, part };
                  const list = await listEvaluationCases(d, actor, q);
                  expect(list.total, `${period} ${unit.unit} ${v.id} ${part}`).toBe(v[part]);
                  expect(list).toEqual(await fromLog(() => listEvaluationCases(d, actor, q)));
                }
              }
            }
          }
        }
      }
    }
  }, 300_000);
});
