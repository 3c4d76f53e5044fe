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
import { createTestDatabase } from './support/database.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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
  const get = async (who: string | null, url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: who ? as(who) : {} });
    return { status: res.statusCode, body: res.json<Json>() };
  };
  const ok = async (who: string | null, url: string) => {
    const r = await get(who, url);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const post = async (who: string, url: string, payload: Json, headers: Json = {}) => {
    const res = await app.inject({ method: 'POST', url, headers: { ...as(who), ...headers }, payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<Json>();
  };
  const step = async (who: string, id: string, action: string, payload: Json = {}) => {
    const { version } = await ok(who, `/api/v1/cases/${id}`);
    return post(who, `/api/v1/cases/${id}/actions/${action}`, { version, ...payload });
  };
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

  let first: Json; // group renting in 古美, dispatched (police assist)
  let second: Json; // group renting next to it: a duplicate candidate
  let selfHandled: Json; // fixed on the spot, then closed

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);

    first = (
      await post('patroller.a', '/api/v1/cases', {
        category: '0101',
        description: '群租 一号楼',
        location: T.inGumeiC1,
      })
    ).case;
    clock.advance(60_000);
    second = (
      await post('patroller.a', '/api/v1/cases', {
        category: '0101',
        description: '群租 隔壁',
        location: T.inGumeiC1,
      })
    ).case;
    await step('dispatcher.a', first.id, 'register');
    await step('dispatcher.a', first.id, 'dispatch');
    const before = await upload('patroller.a');
    const after = await upload('patroller.a');
    selfHandled = (
      await post('patroller.a', '/api/v1/cases', {
        category: '0101',
        description: '楼道堆物已清理',
        location: T.inGumeiC2,
        photos: [before],
        selfHandled: { result: '现场清理完毕', afterPhotos: [after] },
      })
    ).case;
    await step('lead.a', selfHandled.id, 'close');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  describe('GET /api/v1/stats/queues', () => {
    it('counts cases per state in the caller’s scope', async () => {
      const c = await ok('dispatcher.a', '/api/v1/stats/queues');
      expect(c.byState).toMatchObject({ reported: 1, dispatched: 1, closed: 1, registered: 0 });
      expect(c.open).toBe(2);
      expect(c.overdue).toBe(0);
    });

    it('counts nothing of another street', async () => {
      const c = await ok('dispatcher.b', '/api/v1/stats/queues');
      expect(Object.values(c.byState).reduce((a: number, b) => a + (b as number), 0)).toBe(0);
      expect(c.open).toBe(0);
    });

    it('applies the list filters (text, category, department)', async () => {
      expect((await ok('dispatcher.a', `/api/v1/stats/queues?text=${encodeURIComponent('隔壁')}`)).open).toBe(
        1,
      );
      expect((await ok('dispatcher.a', '/api/v1/stats/queues?category=06')).open).toBe(0);
      expect(
        (
          await ok(
            'dispatcher.a',
            `/api/v1/stats/queues?department=${first.leadDepartmentId ?? 'housing-310112006'}`,
          )
        ).open,
      ).toBe(1);
      expect((await get('dispatcher.a', '/api/v1/stats/queues?source=nonsense')).status).toBe(400);
    });

    it('counts open cases past due as overdue', async () => {
      clock.advance(3 * 24 * 3600_000);
      const c = await ok('dispatcher.a', '/api/v1/stats/queues');
      expect(c.overdue).toBe(2);
      clock.advance(-3 * 24 * 3600_000);
    });
  });

  describe('GET /api/v1/stats/overview', () => {
    it('gives the district leader today’s intake, open cases by state and street, closures and the trend', async () => {
      const o = await ok('leader', '/api/v1/stats/overview');
      expect(o.scope.level).toBe('district');
      expect(o.today.intake).toBe(3);
      expect(o.today.bySource).toEqual({ patrol: 3 });
      expect(o.today.closed).toBe(1);
      expect(o.openByState).toMatchObject({ reported: 1, dispatched: 1 });
      expect(o.openByState).not.toHaveProperty('closed');
      const gumei = o.openByStreet.find((s: Json) => s.code === T.gumei);
      expect(gumei).toMatchObject({ name: '古美街道', open: 2, overdue: 0 });
      expect(o.openByStreet.find((s: Json) => s.code === T.xinhong)).toMatchObject({ open: 0 });
      expect(o.onTimeByStreet.find((s: Json) => s.code === T.gumei)).toMatchObject({
        closed: 1,
        onTime: 1,
        rate: 1,
      });
      expect(o.trend).toHaveLength(30);
      expect(o.trend.at(-1)).toEqual({ date: '2026-03-04', intake: 3, closed: 1 });
    });

    it('shows another street nothing of 古美', async () => {
      const o = await ok('dispatcher.b', '/api/v1/stats/overview');
      expect(o.scope).toMatchObject({ level: 'street', code: T.xinhong });
      expect(o.today.intake).toBe(0);
      expect(o.openByStreet.every((s: Json) => s.code === T.xinhong || s.open === 0)).toBe(true);
      expect(o.trend.every((d: Json) => d.intake === 0 && d.closed === 0)).toBe(true);
    });

    it('needs a signed-in caller', async () => {
      expect((await get(null, '/api/v1/stats/overview')).status).toBe(401);
    });
  });

  describe('GET /api/v1/cases/{id}/context', () => {
    it('gives intake the duplicates nearby, the police notices and the grid’s patrollers first', async () => {
      const c = await ok('dispatcher.a', `/api/v1/cases/${second.id}/context`);
      expect(c.duplicates.map((d: Json) => d.id)).toEqual([first.id]);
      expect(c.patrollers.map((p: Json) => p.username)).toEqual(['patroller.a', 'patroller.a2']);
      const notices = (await ok('dispatcher.a', `/api/v1/cases/${first.id}/context`)).policeNotices;
      expect(notices.length).toBeGreaterThan(0);
      expect(notices[0]).toMatchObject({ recipientName: expect.stringContaining('派出所'), readAt: null });
    });

    it('records the read receipt when the police read the notice', async () => {
      const list = await ok('police.a', `/api/v1/notifications?caseId=${first.id}`);
      await post('police.a', `/api/v1/notifications/${list.items[0].id}/read`, {});
      const notices = (await ok('dispatcher.a', `/api/v1/cases/${first.id}/context`)).policeNotices;
      expect(notices.some((n: Json) => n.readAt && n.readByName === '古美社区民警')).toBe(true);
    });

    it('lists no patrollers for departments and is 404 outside the caller’s scope', async () => {
      expect((await ok('police.a', `/api/v1/cases/${first.id}/context`)).patrollers).toEqual([]);
      expect((await get('dispatcher.b', `/api/v1/cases/${first.id}/context`)).status).toBe(404);
      expect((await get('police.b', `/api/v1/cases/${first.id}/context`)).status).toBe(404);
      expect((await get(null, `/api/v1/cases/${first.id}/context`)).status).toBe(401);
    });
  });

  // the public lookup (number + follow-up code) is tested in public-lookup.test.ts

  describe('GET /api/v1/map/regions', () => {
    it('gives one level’s polygons as GeoJSON, optionally within a region', async () => {
      const streets = await ok(null, '/api/v1/map/regions?level=street');
      expect(streets.type).toBe('FeatureCollection');
      expect(streets.features.map((f: Json) => f.properties.code).sort()).toEqual([T.gumei, T.xinhong]);
      expect(streets.features[0].geometry.type).toBe('Polygon');
      const grids = await ok(null, `/api/v1/map/regions?level=grid&within=${T.gumei}`);
      expect(grids.features.map((f: Json) => f.properties.code).sort()).toEqual([T.gumeiG1, T.gumeiG2]);
      expect((await get(null, '/api/v1/map/regions?level=grid&within=31%25')).status).toBe(400);
    });

    it('gives the console its settings', async () => {
      expect(await ok(null, '/api/v1/map/config')).toMatchObject({ tileUrl: null, demo: false });
    });
  });
});
