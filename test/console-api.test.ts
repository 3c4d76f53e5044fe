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
import { apiClient, ok, performAction, type Schemas, type TransitionAction } from './support/api.ts';
import { createTestDatabase } from './support/database.ts';

/**
 * What the web console reads besides the case API: queue counts and the leader overview (stats), the
 * context around a case (duplicates, police notices, assignable patrollers), the public lookup by case
 * number and the map's territory layer — each within the caller's scope.
 */
describe('console API', () => {
  let database: Database;
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock('2026-03-04T02:00:00Z'); // Wednesday 10:00 in Shanghai
  const as = (name: string) => users.get(name)!.auth;
  const api = (who: string | null) => apiClient(app, who ? as(who) : {});
  /** The status of a GET the typed client would not send (malformed on purpose, or signed out). */
  const status = async (who: string | null, url: string) =>
    (await app.inject({ method: 'GET', url, headers: who ? as(who) : {} })).statusCode;
  const report = async (body: Schemas['CreateCaseBody']) =>
    ok(await api('patroller.a').POST('/api/v1/cases', { body })).case;
  const step = async (who: string, id: string, action: TransitionAction) => {
    const { version } = ok(await api(who).GET('/api/v1/cases/{id}', { params: { path: { id } } }));
    return ok(await performAction(api(who), id, action, { version }));
  };
  const queues = async (who: string, query: { text?: string; category?: string; department?: string } = {}) =>
    ok(await api(who).GET('/api/v1/stats/queues', { params: { query } }));
  const overview = async (who: string) => ok(await api(who).GET('/api/v1/stats/overview'));
  const context = async (who: string, id: string) =>
    ok(await api(who).GET('/api/v1/cases/{id}/context', { params: { path: { id } } }));
  const regions = async (query: { level: 'street' | 'grid'; within?: string }) =>
    ok(await api(null).GET('/api/v1/map/regions', { params: { query } }));
  const upload = async (who: string) => {
    const body = multipartBody(TINY_JPEG, 'photo.jpg');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...as(who), ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };

  let first: Schemas['CaseSummary']; // group renting in 古美, dispatched (police assist)
  let second: Schemas['CaseSummary']; // group renting next to it: a duplicate candidate
  let selfHandled: Schemas['CaseSummary']; // fixed on the spot, then closed

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);

    first = await report({ category: '0101', description: '群租 一号楼', location: T.inGumeiC1 });
    clock.advance(60_000);
    second = await report({ category: '0101', description: '群租 隔壁', location: T.inGumeiC1 });
    await step('dispatcher.a', first.id, 'register');
    await step('dispatcher.a', first.id, 'dispatch');
    const before = await upload('patroller.a');
    const after = await upload('patroller.a');
    selfHandled = await report({
      category: '0101',
      description: '楼道堆物已清理',
      location: T.inGumeiC2,
      photos: [before],
      selfHandled: { result: '现场清理完毕', afterPhotos: [after] },
    });
    await step('lead.a', selfHandled.id, 'close');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  describe('GET /api/v1/stats/queues', () => {
    it('counts cases per state in the caller’s scope', async () => {
      const c = await queues('dispatcher.a');
      expect(c.byState).toMatchObject({ reported: 1, dispatched: 1, closed: 1, registered: 0 });
      expect(c.open).toBe(2);
      expect(c.overdue).toBe(0);
    });

    it('counts nothing of another street', async () => {
      const c = await queues('dispatcher.b');
      expect(Object.values(c.byState).reduce((a, b) => a + b, 0)).toBe(0);
      expect(c.open).toBe(0);
    });

    it('applies the list filters (text, category, department)', async () => {
      expect((await queues('dispatcher.a', { text: '隔壁' })).open).toBe(1);
      expect((await queues('dispatcher.a', { category: '06' })).open).toBe(0);
      const department = first.leadDepartmentId ?? 'housing-310112006';
      expect((await queues('dispatcher.a', { department })).open).toBe(1);
      expect(await status('dispatcher.a', '/api/v1/stats/queues?source=nonsense')).toBe(400);
    });

    it('counts open cases past due as overdue', async () => {
      clock.advance(3 * 24 * 3600_000);
      const c = await queues('dispatcher.a');
      expect(c.overdue).toBe(2);
      clock.advance(-3 * 24 * 3600_000);
    });
  });

  describe('GET /api/v1/stats/overview', () => {
    it('gives the district leader today’s intake, open cases by state and street, closures and the trend', async () => {
      const o = await overview('leader');
      expect(o.scope.level).toBe('district');
      expect(o.today.intake).toBe(3);
      expect(o.today.bySource).toEqual({ patrol: 3 });
      expect(o.today.closed).toBe(1);
      expect(o.openByState).toMatchObject({ reported: 1, dispatched: 1 });
      expect(o.openByState).not.toHaveProperty('closed');
      const gumei = o.openByStreet.find((s) => s.code === T.gumei);
      expect(gumei).toMatchObject({ name: '古美街道', open: 2, overdue: 0 });
      expect(o.openByStreet.find((s) => s.code === T.xinhong)).toMatchObject({ open: 0 });
      expect(o.onTimeByStreet.find((s) => s.code === T.gumei)).toMatchObject({
        closed: 1,
        onTime: 1,
        rate: 1,
      });
      expect(o.trend).toHaveLength(30);
      expect(o.trend.at(-1)).toEqual({ date: '2026-03-04', intake: 3, closed: 1 });
    });

    it('shows another street nothing of 古美', async () => {
      const o = await overview('dispatcher.b');
      expect(o.scope).toMatchObject({ level: 'street', code: T.xinhong });
      expect(o.today.intake).toBe(0);
      expect(o.openByStreet.every((s) => s.code === T.xinhong || s.open === 0)).toBe(true);
      expect(o.trend.every((d) => d.intake === 0 && d.closed === 0)).toBe(true);
    });

    it('needs a signed-in caller', async () => {
      expect(await status(null, '/api/v1/stats/overview')).toBe(401);
    });
  });

  describe('GET /api/v1/cases/{id}/context', () => {
    it('gives intake the duplicates nearby, the police notices and the grid’s patrollers first', async () => {
      const c = await context('dispatcher.a', second.id);
      expect(c.duplicates.map((d) => d.id)).toEqual([first.id]);
      expect(c.patrollers.map((p) => p.username)).toEqual(['patroller.a', 'patroller.a2']);
      const notices = (await context('dispatcher.a', first.id)).policeNotices;
      expect(notices.length).toBeGreaterThan(0);
      expect(notices[0]).toMatchObject({ recipientName: expect.stringContaining('派出所'), readAt: null });
    });

    it('records the read receipt when the police read the notice', async () => {
      const list = ok(
        await api('police.a').GET('/api/v1/notifications', { params: { query: { caseId: first.id } } }),
      );
      const id = String(list.items[0]!.id);
      ok(await api('police.a').POST('/api/v1/notifications/{id}/read', { params: { path: { id } } }));
      const notices = (await context('dispatcher.a', first.id)).policeNotices;
      expect(notices.some((n) => n.readAt && n.readByName === '古美社区民警')).toBe(true);
    });

    it('lists no patrollers for departments and is 404 outside the caller’s scope', async () => {
      expect((await context('police.a', first.id)).patrollers).toEqual([]);
      expect(await status('dispatcher.b', `/api/v1/cases/${first.id}/context`)).toBe(404);
      expect(await status('police.b', `/api/v1/cases/${first.id}/context`)).toBe(404);
      expect(await status(null, `/api/v1/cases/${first.id}/context`)).toBe(401);
    });
  });

  // the public lookup (number + follow-up code) is tested in public-lookup.test.ts

  describe('GET /api/v1/map/regions', () => {
    it('gives one level’s polygons as GeoJSON, optionally within a region', async () => {
      const streets = await regions({ level: 'street' });
      expect(streets.type).toBe('FeatureCollection');
      expect(streets.features.map((f) => f.properties.code).sort()).toEqual([T.gumei, T.xinhong]);
      expect(streets.features[0]!.geometry?.type).toBe('Polygon');
      const grids = await regions({ level: 'grid', within: T.gumei });
      expect(grids.features.map((f) => f.properties.code).sort()).toEqual([T.gumeiG1, T.gumeiG2]);
      expect(await status(null, '/api/v1/map/regions?level=grid&within=31%25')).toBe(400);
    });

    it('gives the console its settings', async () => {
      expect(ok(await api(null).GET('/api/v1/map/config'))).toMatchObject({ tileUrl: null, demo: false });
    });
  });
});
