import { describe, expect, it } from 'vitest';
import { caseClock, seedCaseFixture, T } from './support/cases.ts';
import { sessionsForAllUsers, useCaseApi } from './support/harness.ts';

/**
 * Issue 11 §2 (remainder): a department can be disabled and re-enabled. Disabled, it keeps its records but
 * leaves the pickers (the default department list), the routing (its matrix rows give way to the next rule,
 * src/core/organisation/routing.ts) and dispatch (refused: `department_disabled`). Every change audited. On
 * PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
 */
describe('disabling a department', () => {
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
  const housing = `housing-${T.gumei}`;
  const setActive = (id: string, active: boolean, who = 'admin') =>
    t.api(who).PATCH('/api/v1/departments/{id}', { params: { path: { id } }, body: { active } });
  const preview = async () =>
    (
      await admin().GET('/api/v1/responsibility-matrix/preview', {
        params: { query: { category: '0101', region: T.gumeiG1 } },
      })
    ).data!;

  it('is for admins only, and 404 for an unknown department', async () => {
    expect((await setActive(housing, false, 'dispatcher.a')).response.status).toBe(403);
    expect((await setActive('no-such-dept', false)).response.status).toBe(404);
    const audit = await admin().GET('/api/v1/audit', { params: { query: { entity: 'department' } } });
    expect(audit.data!.items).toHaveLength(0);
  });

  it('leaves the pickers and the routing when disabled, and comes back when enabled, audited', async () => {
    expect(await preview()).toMatchObject({ leadDepartmentId: housing, matchedRule: `0101@${T.gumei}` });
    const off = await setActive(housing, false);
    expect(off.response.status, JSON.stringify(off.error)).toBe(200);
    expect(off.data).toMatchObject({ id: housing, active: false });
    // a second disable changes nothing and is not audited again
    expect((await setActive(housing, false)).data).toMatchObject({ active: false });

    const listed = await admin().GET('/api/v1/departments');
    expect(listed.data!.items.map((d) => d.id)).not.toContain(housing);
    const all = await admin().GET('/api/v1/departments', { params: { query: { includeDisabled: true } } });
    expect(all.data!.items.find((d) => d.id === housing)).toMatchObject({ active: false });

    // the matrix row it leads gives way: no other row for 0101 here, so no lead (the centre dispatches)
    expect(await preview()).toMatchObject({
      leadDepartmentId: null,
      matchedRule: null,
      assistingDepartmentIds: [`police-${T.gumei}`],
    });
    // a new case there is not sent to it
    const created = await t.report('patroller.a', {
      category: '0101',
      description: '群租',
      location: T.inGumeiC1,
    });
    expect((await t.detail('dispatcher.a', created.case.id)).leadDepartmentId ?? null).toBeNull();

    const on = await setActive(housing, true);
    expect(on.data).toMatchObject({ active: true });
    expect(await preview()).toMatchObject({ leadDepartmentId: housing, matchedRule: `0101@${T.gumei}` });
    const audit = await admin().GET('/api/v1/audit', { params: { query: { entity: 'department' } } });
    expect(audit.data!.items.map((r) => r.action)).toEqual(['department.enable', 'department.disable']);
  });

  it('refuses a matrix row or a dispatch naming a disabled department with department_disabled', async () => {
    await setActive(`chengguan-${T.gumei}`, false);
    const row = await admin().PUT('/api/v1/responsibility-matrix', {
      body: {
        categoryCode: '0101',
        regionCode: T.gumeiC1,
        leadDepartmentId: `chengguan-${T.gumei}`,
        assistingDepartmentIds: [],
        policeMode: null,
      },
    });
    expect(row.response.status).toBe(400);
    expect(row.error).toMatchObject({ code: 'validation_failed', reason: 'department_disabled' });

    const c = await t.report('patroller.a', { category: '0102', description: '搭建', location: T.inGumeiC1 });
    await t.step('dispatcher.a', c.case.id, 'register');
    const before = await t.detail('dispatcher.a', c.case.id);
    const refused = await t.act('dispatcher.a', c.case.id, 'dispatch', {
      leadDepartmentId: `chengguan-${T.gumei}`,
    });
    expect(refused.response.status).toBe(400);
    expect(refused.error).toMatchObject({ reason: 'department_disabled' });
    expect((await t.detail('dispatcher.a', c.case.id)).version).toBe(before.version);
    // an unknown one keeps its own reason
    const unknown = await t.act('dispatcher.a', c.case.id, 'dispatch', { leadDepartmentId: 'nope' });
    expect(unknown.error).toMatchObject({ reason: 'unknown_department' });
    await setActive(`chengguan-${T.gumei}`, true);
  });

  it('keeps a disabled department disabled when its details are edited', async () => {
    await setActive(housing, false);
    const edited = await admin().PUT('/api/v1/departments/{id}', {
      params: { path: { id: housing } },
      body: {
        name: '古美房管办',
        type: 'housing',
        level: 'street',
        regionCode: T.gumei,
        coverage: [T.gumei],
      },
    });
    expect(edited.data).toMatchObject({ active: false, name: '古美房管办' });
    await setActive(housing, true);
  });
});
