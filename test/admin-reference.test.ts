import { describe, expect, it } from 'vitest';
import { caseClock, seedCaseFixture, T } from './support/cases.ts';
import { sessionsForAllUsers, useCaseApi } from './support/harness.ts';

/**
 * Issue 11 §2: administration of the reference data through the API — a category's time limits (checked,
 * audited, and the next case gets them: no cache), its police linkage and public flag, departments with
 * their coverage, the responsibility matrix and its preview by the routing code of intake. On PGlite and,
 * with TEST_DATABASE_URL, on PostgreSQL.
 */
describe('reference-data administration', () => {
  const clock = caseClock();
  const t = useCaseApi({
    clock,
    seed: async (database) => {
      await seedCaseFixture(database);
      await database.db
        .insertInto('users')
        .values({
          username: 'admin',
          display_name: '管理员',
          password_hash: 'not-a-hash',
          role: 'admin',
          unit_kind: 'region',
          unit_code: T.district,
          department_id: null,
          phone: null,
        })
        .execute();
      return sessionsForAllUsers(database, clock.now());
    },
  });
  const admin = () => t.api('admin');
  const auditOf = async (action: string) =>
    (await admin().GET('/api/v1/audit', { params: { query: { action, entity: 'category' } } })).data?.items ??
    [];

  it('lists every category with its effective limits and where they come from', async () => {
    const { data } = await admin().GET('/api/v1/categories/policy');
    const q = data!.items.find((c) => c.code === '0101')!;
    expect(q).toMatchObject({ policeMode: 'assist', public: true });
    expect(q.limits).toHaveLength(14);
    expect(q.limits.find((l) => l.stage === 'handle' && l.urgency === 'normal')).toMatchObject({
      amount: 5,
      unit: 'work_day',
      source: 'category 0101',
      own: false,
    });
    expect(data!.items.find((c) => c.code === '0602')!.public).toBe(false);
    const refused = await t.api('dispatcher.a').GET('/api/v1/categories/policy');
    expect(refused.response.status).toBe(403);
  });

  it('refuses 0, negative and too long limits with one reason, writing nothing', async () => {
    for (const amount of [0, -2, 91]) {
      const res = await admin().PUT('/api/v1/categories/{code}/limits', {
        params: { path: { code: '0101' } },
        body: { limits: [{ stage: 'register', urgency: 'normal', amount, unit: 'work_day' }] },
      });
      expect(res.response.status, String(amount)).toBe(400);
      expect(res.error).toMatchObject({ code: 'validation_failed', reason: 'invalid_time_limit' });
    }
    expect(await auditOf('category.limits_set')).toHaveLength(0);
  });

  it('gives the next case the new limit, audited with before and after', async () => {
    const before = await t.report('patroller.a', {
      category: '0501',
      description: '暴露垃圾一堆',
      location: T.inGumeiC1,
    });
    const firstClock = (await t.detail('dispatcher.a', before.case.id)).deadlines[0]!;
    const set = await admin().PUT('/api/v1/categories/{code}/limits', {
      params: { path: { code: '0501' } },
      body: { limits: [{ stage: firstClock.stage, urgency: 'normal', amount: 3.5, unit: 'work_hour' }] },
    });
    expect(set.response.status, JSON.stringify(set.error)).toBe(200);
    expect(
      set.data!.limits.find((l) => l.stage === firstClock.stage && l.urgency === 'normal'),
    ).toMatchObject({
      amount: 3.5,
      unit: 'work_hour',
      own: true,
      source: 'policy 0501',
    });
    const after = await t.report('patroller.a', {
      category: '0501',
      description: '又一堆暴露垃圾',
      location: T.inGumeiC1,
    });
    const clockAfter = (await t.detail('dispatcher.a', after.case.id)).deadlines[0]!;
    expect(clockAfter.stage).toBe(firstClock.stage);
    expect(clockAfter.limit).toMatchObject({ amount: 3.5, unit: 'work_hour' });
    // the earlier case keeps its limit
    expect((await t.detail('dispatcher.a', before.case.id)).deadlines[0]!.limit).toEqual(firstClock.limit);
    const [record] = await auditOf('category.limits_set');
    expect(record).toMatchObject({ target: 'category:0501', actor: { name: 'admin' } });
    expect(record!.payload).toMatchObject({ before: [], after: [{ amount: 3.5, unit: 'work_hour' }] });
    // stages left out inherit again
    const reset = await admin().PUT('/api/v1/categories/{code}/limits', {
      params: { path: { code: '0501' } },
      body: { limits: [] },
    });
    expect(reset.data!.limits.every((l) => !l.own)).toBe(true);
  });

  it('changes police linkage and the public flag, never making a stability category public', async () => {
    const res = await admin().PATCH('/api/v1/categories/{code}', {
      params: { path: { code: '0102' } },
      body: { policeMode: 'notify', public: false },
    });
    expect(res.data).toMatchObject({ policeMode: 'notify', public: false });
    const stability = await admin().PATCH('/api/v1/categories/{code}', {
      params: { path: { code: '0603' } },
      body: { public: true },
    });
    expect(stability.response.status).toBe(400);
    expect(await auditOf('category.update')).toHaveLength(1);
  });

  it('saves a department with its coverage, and refuses unknown regions', async () => {
    const body = {
      name: '古美市容所',
      type: 'sanitation' as const,
      level: 'street' as const,
      regionCode: T.gumei,
      coverage: [T.gumeiC1, T.gumeiC2],
    };
    const res = await admin().PUT('/api/v1/departments/{id}', {
      params: { path: { id: 'sanitation-310112006' } },
      body,
    });
    expect(res.data).toMatchObject({ id: 'sanitation-310112006', coverage: [T.gumeiC1, T.gumeiC2] });
    const bad = await admin().PUT('/api/v1/departments/{id}', {
      params: { path: { id: 'sanitation-310112006' } },
      body: { ...body, coverage: ['310112999'] },
    });
    expect(bad.response.status).toBe(400);
    expect(bad.error).toMatchObject({ reason: 'unknown_region' });
    const audit = await admin().GET('/api/v1/audit', { params: { query: { entity: 'department' } } });
    expect(audit.data!.items.map((r) => r.action)).toEqual(['department.create']);
  });

  it('previews routing as intake routes, before and after a matrix change', async () => {
    const preview = async (region: string) =>
      (
        await admin().GET('/api/v1/responsibility-matrix/preview', {
          params: { query: { category: '0101', region } },
        })
      ).data!;
    expect(await preview(T.gumeiG1)).toMatchObject({
      leadDepartmentId: 'housing-310112006',
      policeMode: 'assist',
      policeDepartmentId: 'police-310112006',
      matchedRule: `0101@${T.gumei}`,
      limits: { handle: { amount: 5, unit: 'work_day' } },
    });
    const set = await admin().PUT('/api/v1/responsibility-matrix', {
      body: {
        categoryCode: '0101',
        regionCode: T.gumeiC1,
        leadDepartmentId: 'chengguan-310112006',
        assistingDepartmentIds: ['housing-310112006'],
        policeMode: 'lead',
      },
    });
    expect(set.response.status, JSON.stringify(set.error)).toBe(200);
    expect(await preview(T.gumeiG1)).toMatchObject({
      leadDepartmentId: 'chengguan-310112006',
      policeMode: 'lead',
      matchedRule: `0101@${T.gumeiC1}`,
    });
    // a case reported there is routed the same way
    const created = await t.report('patroller.a', {
      category: '0101',
      description: '群租',
      location: T.inGumeiC1,
    });
    const detail = await t.detail('dispatcher.a', created.case.id);
    expect(detail).toMatchObject({ policeMode: 'lead', policeDepartmentId: 'police-310112006' });
    const list = await admin().GET('/api/v1/responsibility-matrix', {
      params: { query: { category: '0101', region: T.gumei } },
    });
    expect(list.data!.items.map((r) => r.regionCode)).toEqual([T.gumei, T.gumeiC1]);
    const removed = await admin().DELETE('/api/v1/responsibility-matrix/{id}', {
      params: { path: { id: set.data!.id } },
    });
    expect(removed.response.status).toBe(204);
    expect((await preview(T.gumeiG1)).matchedRule).toBe(`0101@${T.gumei}`);
    const audit = await admin().GET('/api/v1/audit', { params: { query: { entity: 'matrix' } } });
    expect(audit.data!.items.map((r) => r.action)).toEqual(['matrix.remove', 'matrix.set']);
  });

  it('filters the audit log by period', async () => {
    const today = clock.now().toISOString().slice(0, 10);
    const inPeriod = await admin().GET('/api/v1/audit', { params: { query: { from: today, to: today } } });
    expect(inPeriod.data!.items.length).toBeGreaterThan(0);
    const before = await admin().GET('/api/v1/audit', {
      params: { query: { from: '2001-01-01', to: '2001-01-02' } },
    });
    expect(before.data!.items).toHaveLength(0);
  });
});
