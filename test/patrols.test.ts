import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endIdlePatrols } from '../src/app/patrols/end-idle-patrols.ts';
import { purgePatrolTracks } from '../src/app/patrols/purge-patrol-tracks.ts';
import { rollUpCoverage } from '../src/app/patrols/roll-up-coverage.ts';
import type { Database } from '../src/db/database.ts';
import { apiClient, ok } from './support/api.ts';
import { caseApp, caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';

/** Issue 13: a patrol through the API — points, duplicates, check-ins, reports, coverage, the jobs. */
describe('patrols and coverage', () => {
  let database: Database;
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock('2026-03-04T02:00:00Z'); // 10:00 in Shanghai, a Wednesday
  const api = (who: string) => apiClient(app, users.get(who)!.auth);
  const deps = () => ({ database, now: clock.now });
  let patrolId = '';

  /** A walk north through grid 1 of 古美: a point every 30 s, ~1.5 m/s. */
  const walk = (fromSeq: number, count: number, startMs: number, lon = 121.385) =>
    Array.from({ length: count }, (_, i) => ({
      seq: fromSeq + i,
      at: new Date(startMs + i * 30_000).toISOString(),
      lon,
      lat: 31.141 + (fromSeq + i) * 0.0004,
      accuracy: 8,
    }));

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('starts one patrol per patroller; others may not start one', async () => {
    const started = await api('patroller.a').POST('/api/v1/patrols');
    expect(started.response.status).toBe(201);
    patrolId = ok(started).id;
    const again = await api('patroller.a').POST('/api/v1/patrols');
    expect(again.response.status).toBe(409);
    expect((again.error as { reason?: string }).reason).toBe('patrol_already_open');
    expect((await api('dispatcher.a').POST('/api/v1/patrols')).response.status).toBe(403);
    const current = ok(await api('patroller.a').GET('/api/v1/patrols/current'));
    expect(current.patrol?.id).toBe(patrolId);
  });

  it('stores points once, ignores bad ones for distance, and sums the walk', async () => {
    const start = clock.now().getTime();
    const points = walk(0, 41, start); // 20 minutes
    points[10] = { ...points[10]!, accuracy: 500 };
    points[20] = { ...points[20]!, lon: 121.395 }; // a jump of ~950 m in 30 s
    const send = (body: typeof points) =>
      api('patroller.a').POST('/api/v1/patrols/{id}/points', {
        params: { path: { id: patrolId } },
        body: { points: body },
      });
    clock.advance(21 * 60_000);
    const first = ok(await send(points.slice(0, 30)));
    expect(first).toMatchObject({ accepted: 30, duplicates: 0, ignored: 2, lastSeq: 29 });
    // the phone was offline and re-sends the whole queue
    const second = ok(await send(points));
    expect(second).toMatchObject({ accepted: 11, duplicates: 30, ignored: 0, lastSeq: 40 });
    // 40 steps of ~44.5 m, the ignored ones bridged by the next valid step
    expect(second.distanceM).toBeGreaterThan(1700);
    expect(second.distanceM).toBeLessThan(1850);
    const rows = await database.db
      .selectFrom('patrol_points')
      .select('seq')
      .where('patrol_id', '=', patrolId)
      .execute();
    expect(rows).toHaveLength(41);
  });

  it('shows the track to the patroller, their street centre and the district only', async () => {
    const path = { params: { path: { id: patrolId } } };
    for (const who of ['patroller.a', 'dispatcher.a', 'lead.a', 'dist.dispatcher', 'leader']) {
      const res = await api(who).GET('/api/v1/patrols/{id}', path);
      expect(res.response.status, who).toBe(200);
      expect(ok(res).track).toHaveLength(41);
    }
    for (const who of ['patroller.a2', 'dispatcher.b', 'police.a', 'housing.a', 'citizen1']) {
      expect((await api(who).GET('/api/v1/patrols/{id}', path)).response.status, who).toBe(404);
    }
    // nobody else feeds the patrol
    const foreign = await api('patroller.a2').POST('/api/v1/patrols/{id}/points', {
      ...path,
      body: { points: walk(100, 1, clock.now().getTime()) },
    });
    expect(foreign.response.status).toBe(404);
    const live = ok(await api('dispatcher.a').GET('/api/v1/patrols/live')).items;
    expect(live.map((p) => p.patrolId)).toEqual([patrolId]);
    expect(live[0]!.position?.ageS).toBe(60);
    expect(ok(await api('dispatcher.b').GET('/api/v1/patrols/live')).items).toEqual([]);
    expect((await api('patroller.a').GET('/api/v1/patrols/live')).response.status).toBe(403);
  });

  it('links a report made during the patrol, and sends the nearest patroller to verify a case', async () => {
    const created = ok(
      await api('patroller.a').POST('/api/v1/cases', {
        body: { category: '0501', description: '巡查中发现暴露垃圾', location: T.inGumeiC1 },
      }),
    );
    const detail = ok(
      await api('dispatcher.a').GET('/api/v1/patrols/{id}', { params: { path: { id: patrolId } } }),
    );
    expect(detail.reports.map((r) => r.id)).toEqual([created.case.id]);

    const citizen = ok(
      await api('citizen1').POST('/api/v1/cases', {
        body: { description: '小区门口有人占道经营', location: { lon: 121.386, lat: 31.151 } },
      }),
    );
    expect(citizen.case.state).toBe('reported');
    const sent = ok(
      await api('dispatcher.a').POST('/api/v1/patrols/verify-nearest', {
        body: { caseRef: citizen.case.id, version: citizen.case.version },
      }),
    );
    expect(sent.patroller.userId).toBe(users.get('patroller.a')!.id);
    expect(sent.case.state).toBe('verifying');
    // 新虹 has nobody on patrol
    const far = ok(
      await api('citizen2').POST('/api/v1/cases', {
        body: { description: '新虹某路口井盖缺失', location: T.inXinhong },
      }),
    );
    const none = await api('dispatcher.b').POST('/api/v1/patrols/verify-nearest', {
      body: { caseRef: far.case.id, version: far.case.version },
    });
    expect(none.response.status).toBe(422);
    expect((none.error as { reason?: string }).reason).toBe('no_patroller_on_duty');
  });

  it('a check-in covers its grid; a re-sent check-in is stored once', async () => {
    const body = {
      clientId: 'ci-1',
      at: clock.now().toISOString(),
      lon: 121.395,
      lat: 31.15,
      accuracy: 10,
      note: '二网格 小区门岗',
    };
    const path = { params: { path: { id: patrolId } } };
    const first = ok(await api('patroller.a').POST('/api/v1/patrols/{id}/checkins', { ...path, body }));
    expect(first).toMatchObject({ gridCode: T.gumeiG2, replayed: false });
    const again = ok(await api('patroller.a').POST('/api/v1/patrols/{id}/checkins', { ...path, body }));
    expect(again).toMatchObject({ id: first.id, replayed: true });
  });

  it('shows today’s coverage live: grid 1 by time inside, grid 2 by the check-in', async () => {
    const view = ok(
      await api('dispatcher.a').GET('/api/v1/coverage', {
        params: { query: { from: '2026-03-04', to: '2026-03-04' } },
      }),
    );
    expect(view.rolledUpTo).toBe('2026-03-03');
    const day = (code: string) => view.grids.find((g) => g.gridCode === code)!.days[0]!;
    expect(day(T.gumeiG1).status).toBe('covered');
    expect(day(T.gumeiG1).seconds).toBeGreaterThanOrEqual(15 * 60);
    expect(day(T.gumeiG2)).toMatchObject({ status: 'covered', checkins: 1 });
    expect(view.grids.map((g) => g.gridCode)).not.toContain(T.xinhongG1);
    expect(
      (
        await api('patroller.a').GET('/api/v1/coverage', {
          params: { query: { from: '2026-03-04', to: '2026-03-04' } },
        })
      ).response.status,
    ).toBe(403);
    const other = await api('dispatcher.a').GET('/api/v1/coverage', {
      params: { query: { from: '2026-03-04', to: '2026-03-04', street: T.xinhong } },
    });
    expect(other.response.status).toBe(404);
  });

  it('ends the patrol; the idle job ends a forgotten one at its last point', async () => {
    const ended = ok(
      await api('patroller.a').POST('/api/v1/patrols/{id}/end', { params: { path: { id: patrolId } } }),
    );
    expect(ended.endedAt).toBe(clock.now().toISOString());
    expect(ended.endReason).toBe('manual');
    const forgotten = ok(await api('patroller.a2').POST('/api/v1/patrols'));
    const at = clock.now().getTime();
    ok(
      await api('patroller.a2').POST('/api/v1/patrols/{id}/points', {
        params: { path: { id: forgotten.id } },
        body: { points: walk(0, 3, at, 121.395) },
      }),
    );
    // the last point was at +1 min: idle for exactly 30 minutes is not yet idle
    clock.advance(31 * 60_000);
    expect((await endIdlePatrols(deps())).ended).toBe(0);
    clock.advance(1);
    expect((await endIdlePatrols(deps())).ended).toBe(1);
    expect((await endIdlePatrols(deps())).ended).toBe(0);
    const row = await database.db
      .selectFrom('patrols')
      .selectAll()
      .where('id', '=', forgotten.id)
      .executeTakeFirstOrThrow();
    expect(row.end_reason).toBe('idle');
    expect(row.ended_at?.getTime()).toBe(at + 60_000);
  });

  it('rolls up a closed day once, again after late points, and keeps the summary after retention', async () => {
    expect((await rollUpCoverage(deps())).days).not.toContain('2026-03-04');
    clock.set('2026-03-05T00:05:00+08:00'); // within the grace after midnight
    expect((await rollUpCoverage(deps())).days).not.toContain('2026-03-04');
    clock.set('2026-03-05T08:00:00+08:00');
    const first = await rollUpCoverage(deps());
    expect(first.days).toContain('2026-03-04');
    expect((await rollUpCoverage(deps())).days).toEqual([]);
    const g1 = await database.db
      .selectFrom('coverage_days')
      .selectAll()
      .where('grid_code', '=', T.gumeiG1)
      .executeTakeFirstOrThrow();
    expect(g1.covered).toBe(true);
    expect(g1.patrollers).toEqual([users.get('patroller.a')!.id]);

    // a point of the 4th arrives late (taken before the patrol ended): the day is rolled up again
    const late = await database.db
      .selectFrom('patrols')
      .selectAll()
      .where('id', '=', patrolId)
      .executeTakeFirstOrThrow();
    ok(
      await api('patroller.a').POST('/api/v1/patrols/{id}/points', {
        params: { path: { id: patrolId } },
        body: {
          points: [
            {
              seq: 41,
              at: new Date(late.ended_at!.getTime() - 1000).toISOString(),
              lon: 121.385,
              lat: 31.158,
              accuracy: 5,
            },
          ],
        },
      }),
    );
    expect((await rollUpCoverage(deps())).days).toEqual(['2026-03-04']);
    const runs = await database.db
      .selectFrom('coverage_rollups')
      .select('runs')
      .where('day', '=', '2026-03-04')
      .executeTakeFirstOrThrow();
    expect(runs.runs).toBe(2);

    // the rolled-up view agrees with the live one, and the patroller's figures count the report
    const view = ok(
      await api('lead.a').GET('/api/v1/coverage', {
        params: { query: { from: '2026-03-04', to: '2026-03-05' } },
      }),
    );
    const g1view = view.grids.find((g) => g.gridCode === T.gumeiG1)!;
    expect(g1view.days.map((d) => d.status)).toEqual(['covered', 'due']);
    const figures = ok(
      await api('lead.a').GET('/api/v1/coverage/patrollers', {
        params: { query: { from: '2026-03-04', to: '2026-03-04' } },
      }),
    ).items;
    const a = figures.find((f) => f.userId === users.get('patroller.a')!.id)!;
    expect(a).toMatchObject({ patrols: 1, reports: 1, gridsCovered: 2 });
    expect(a.distanceKm).toBeGreaterThan(1.7);

    clock.set('2026-06-10T08:00:00+08:00'); // past the 90-day retention
    const purged = await purgePatrolTracks(deps());
    expect(purged.points).toBe(45);
    const after = ok(
      await api('dispatcher.a').GET('/api/v1/patrols/{id}', { params: { path: { id: patrolId } } }),
    );
    expect(after.track).toEqual([]);
    expect(after.trackPurged).toBe(true);
    expect(after.distanceM).toBeGreaterThan(1700);
    expect(after.checkinList[0]!.lon).toBeNull();
  });
});
