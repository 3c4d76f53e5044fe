import { describe, expect, it } from 'vitest';
import { caseClock } from './support/cases.ts';
import { sessionsForAllUsers, useCaseApi } from './support/harness.ts';
import { GUMEI, pointIn, seedDemoSlice, XINHONG } from './support/demo-slice.ts';

const QIBAO = '310112102'; // 七宝镇

/**
 * Issue 9 §6: a department receives a case only if it covers the case's territory. 古美's shift lead
 * dispatching a 古美 case to 七宝房管办 or with 七宝派出所 assisting is refused (422, reason
 * `outside_coverage`) and 七宝's units never see it; the matrix's departments still work; the district's
 * ruling may cross, with its ruling as the reason. On the demo's own territory and organisation.
 */
describe('dispatch stays within department coverage', () => {
  const clock = caseClock();
  let gumeiPoint: { lon: number; lat: number };
  const t = useCaseApi({
    clock,
    seed: async (database) => {
      const { grids } = await seedDemoSlice(database, [GUMEI, XINHONG, QIBAO]);
      gumeiPoint = pointIn(grids.find((g) => g.code.startsWith(GUMEI))!);
      // 七宝's units get accounts of their own, to check they never see the case
      await database.db
        .insertInto('users')
        .values(
          ['housing', 'police'].map((kind) => ({
            username: `qibao.${kind}`,
            display_name: `七宝${kind}`,
            password_hash: 'not-a-hash',
            role: kind === 'police' ? ('police' as const) : ('dept_handler' as const),
            unit_kind: 'department' as const,
            unit_code: null,
            department_id: `${kind}-${QIBAO}`,
            phone: null,
          })),
        )
        .execute();
      return sessionsForAllUsers(database, clock.now());
    },
  });
  /** The status of GET /api/v1/cases/{id} as `who`. */
  const visible = async (who: string, id: string) =>
    (await t.api(who).GET('/api/v1/cases/{id}', { params: { path: { id } } })).response.status;
  /** A registered 群租 case in 古美 (matrix: 古美房管办 leads, 古美派出所 assists). */
  const registeredCase = async (): Promise<string> => {
    const created = await t.report('gumei.patroller', {
      category: '0101',
      description: '疑似群租，隔成 8 间',
      location: gumeiPoint,
    });
    await t.step('gumei.lead', created.case.id, 'register');
    return created.case.id;
  };

  it('refuses 七宝房管办 as lead and 七宝派出所 as assisting police for a 古美 case', async () => {
    const id = await registeredCase();
    const lead = await t.act('gumei.lead', id, 'dispatch', { leadDepartmentId: `housing-${QIBAO}` });
    expect(lead.response.status, JSON.stringify(lead.error)).toBe(422);
    expect(lead.response.headers.get('content-type')).toContain('application/problem+json');
    expect(lead.error).toMatchObject({
      code: 'unprocessable',
      reason: 'outside_coverage',
      departments: [`housing-${QIBAO}`],
    });
    const police = await t.act('gumei.lead', id, 'dispatch', {
      leadDepartmentId: `housing-${GUMEI}`,
      assistingDepartmentIds: [`police-${QIBAO}`],
    });
    expect(police.response.status, JSON.stringify(police.error)).toBe(422);
    expect(police.error).toMatchObject({ reason: 'outside_coverage', departments: [`police-${QIBAO}`] });
    // nothing happened: still registered, and 七宝's units cannot see it
    expect((await t.detail('gumei.lead', id)).state).toBe('registered');
    for (const who of ['qibao.housing', 'qibao.police']) expect(await visible(who, id), who).toBe(404);
  });

  it('dispatches to the matrix’s departments, by default or named, and to district bureaus', async () => {
    const byMatrix = await t.step('gumei.lead', await registeredCase(), 'dispatch');
    expect(byMatrix.case).toMatchObject({
      state: 'dispatched',
      leadDepartmentId: `housing-${GUMEI}`,
      assistingDepartmentIds: [`police-${GUMEI}`],
    });
    const named = await t.step('gumei.dispatcher', await registeredCase(), 'dispatch', {
      leadDepartmentId: `housing-${GUMEI}`,
      assistingDepartmentIds: [`police-${GUMEI}`, 'dist-housing'],
    });
    expect(named.case).toMatchObject({
      state: 'dispatched',
      leadDepartmentId: `housing-${GUMEI}`,
      assistingDepartmentIds: expect.arrayContaining([`police-${GUMEI}`, 'dist-housing']),
    });
  });

  it('lets the district rule across coverage, recording who was outside it', async () => {
    const id = await registeredCase();
    await t.step('gumei.lead', id, 'escalate', { reason: '职责争议，提请区中心裁定' });
    const refused = await t.act('district.lead', id, 'dispatch', { leadDepartmentId: `housing-${QIBAO}` });
    expect(refused.response.status, JSON.stringify(refused.error)).toBe(422);
    await t.step('district.lead', id, 'arbitrate', {
      leadDepartmentId: `housing-${QIBAO}`,
      ruling: '产权单位在七宝，由七宝房管办牵头',
    });
    const timeline = (await t.detail('district.lead', id)).events;
    expect(timeline.find((e) => e.action === 'arbitrate')?.payload).toMatchObject({
      outsideCoverage: [`housing-${QIBAO}`],
    });
    expect(await visible('qibao.housing', id)).toBe(200);
  });
});
