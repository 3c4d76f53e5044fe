import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSessionToken, tokenHash } from '../src/app/identity/tokens.ts';
import type { Database } from '../src/db/database.ts';
import { caseApp, caseClock } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';
import { GUMEI, pointIn, seedDemoSlice, XINHONG } from './support/demo-slice.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const QIBAO = '310112102'; // 七宝镇

/**
 * Issue 9 §6: a department receives a case only if it covers the case's territory. 古美's shift lead
 * dispatching a 古美 case to 七宝房管办 or with 七宝派出所 assisting is refused (422, reason
 * `outside_coverage`) and 七宝's units never see it; the matrix's departments still work; the district's
 * ruling may cross, with its ruling as the reason. On the demo's own territory and organisation.
 */
describe('dispatch stays within department coverage', () => {
  let database: Database;
  let app: FastifyInstance;
  const tokens = new Map<string, string>();
  const clock = caseClock();
  const as = (who: string) => ({ authorization: `Bearer ${tokens.get(who)!}` });
  let gumeiPoint: { lon: number; lat: number };

  beforeAll(async () => {
    database = await createTestDatabase();
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
    const users = await database.db.selectFrom('users').select(['id', 'username']).execute();
    for (const u of users) {
      const token = newSessionToken();
      tokens.set(u.username, token);
      await database.db
        .insertInto('sessions')
        .values({
          token_hash: tokenHash(token),
          user_id: u.id,
          created_at: clock.now(),
          expires_at: new Date('2099-01-01T00:00:00Z'),
          address: null,
          user_agent: null,
        })
        .execute();
    }
    app = await caseApp(database, clock.now);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const detail = async (who: string, id: string) =>
    app.inject({ method: 'GET', url: `/api/v1/cases/${id}`, headers: as(who) });
  const act = async (who: string, id: string, action: string, payload: Json = {}) => {
    const current = (await detail(who, id)).json<Json>();
    return app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/actions/${action}`,
      headers: as(who),
      payload: { version: current.version, ...payload },
    });
  };
  /** A registered 群租 case in 古美 (matrix: 古美房管办 leads, 古美派出所 assists). */
  const registeredCase = async (): Promise<string> => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as('gumei.patroller'),
      payload: { category: '0101', description: '疑似群租，隔成 8 间', location: gumeiPoint },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<Json>().case.id as string;
    expect((await act('gumei.lead', id, 'register')).statusCode).toBe(200);
    return id;
  };

  it('refuses 七宝房管办 as lead and 七宝派出所 as assisting police for a 古美 case', async () => {
    const id = await registeredCase();
    const lead = await act('gumei.lead', id, 'dispatch', { leadDepartmentId: `housing-${QIBAO}` });
    expect(lead.statusCode, lead.body).toBe(422);
    expect(lead.headers['content-type']).toContain('application/problem+json');
    expect(lead.json()).toMatchObject({
      code: 'unprocessable',
      reason: 'outside_coverage',
      departments: [`housing-${QIBAO}`],
    });
    const police = await act('gumei.lead', id, 'dispatch', {
      leadDepartmentId: `housing-${GUMEI}`,
      assistingDepartmentIds: [`police-${QIBAO}`],
    });
    expect(police.statusCode, police.body).toBe(422);
    expect(police.json()).toMatchObject({ reason: 'outside_coverage', departments: [`police-${QIBAO}`] });
    // nothing happened: still registered, and 七宝's units cannot see it
    expect((await detail('gumei.lead', id)).json<Json>().state).toBe('registered');
    for (const who of ['qibao.housing', 'qibao.police'])
      expect((await detail(who, id)).statusCode, who).toBe(404);
  });

  it('dispatches to the matrix’s departments, by default or named, and to district bureaus', async () => {
    const byMatrix = await act('gumei.lead', await registeredCase(), 'dispatch');
    expect(byMatrix.statusCode, byMatrix.body).toBe(200);
    expect(byMatrix.json<Json>().case).toMatchObject({
      state: 'dispatched',
      leadDepartmentId: `housing-${GUMEI}`,
      assistingDepartmentIds: [`police-${GUMEI}`],
    });
    const named = await act('gumei.dispatcher', await registeredCase(), 'dispatch', {
      leadDepartmentId: `housing-${GUMEI}`,
      assistingDepartmentIds: [`police-${GUMEI}`, 'dist-housing'],
    });
    expect(named.statusCode, named.body).toBe(200);
  });

  it('lets the district rule across coverage, recording who was outside it', async () => {
    const id = await registeredCase();
    expect((await act('gumei.lead', id, 'escalate', { reason: '职责争议，提请区中心裁定' })).statusCode).toBe(
      200,
    );
    const refused = await act('district.lead', id, 'dispatch', { leadDepartmentId: `housing-${QIBAO}` });
    expect(refused.statusCode, refused.body).toBe(422);
    const ruled = await act('district.lead', id, 'arbitrate', {
      leadDepartmentId: `housing-${QIBAO}`,
      ruling: '产权单位在七宝，由七宝房管办牵头',
    });
    expect(ruled.statusCode, ruled.body).toBe(200);
    const timeline = (await detail('district.lead', id)).json<Json>().events as Json[];
    expect(timeline.find((e) => e.action === 'arbitrate')?.payload).toMatchObject({
      outsideCoverage: [`housing-${QIBAO}`],
    });
    expect((await detail('qibao.housing', id)).statusCode).toBe(200);
  });
});
