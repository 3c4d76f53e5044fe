import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../core/actor.ts';
import type { Database } from '../../db/database.ts';
import { createTestDatabase } from '../../../test/support/database.ts';
import { memoryFileStore, seedDemoSlice } from '../../../test/support/demo-slice.ts';
import { createCase } from '../cases/create-case.ts';
import type { CaseDeps } from '../cases/deps.ts';
import { NO_CHANGES } from '../cases/events.ts';
import { performCaseAction } from '../cases/perform-case-action.ts';
import { locatePoint } from '../territory/locate.ts';
import { ESCALATION_ACTION, sweepDeadlines, WARNING_KIND } from './sweep-deadlines.ts';

// Monday 2 March 2026, Beijing time; default segments 09:00–12:00, 13:00–17:30
const at = (local: string) => new Date(`${local}+08:00`);

describe('deadline sweeper', () => {
  let database: Database;
  let actors: Map<string, Actor>;
  let point: { lon: number; lat: number };
  let now = at('2026-03-02T10:00:00');
  const clock = () => now;
  const deps = (): CaseDeps => ({ database, files: memoryFileStore(), changes: NO_CHANGES, now: clock });
  const sweep = (when: string, options = {}) => {
    now = at(when);
    return sweepDeadlines({ database, now: clock }, options);
  };
  const actor = (name: string) => actors.get(name)!;

  const report = async (when: string, category = '0202') => {
    now = at(when);
    const created = await createCase(deps(), actor('gumei.patroller'), {
      category,
      description: '人行道上有摊位占道经营',
      location: point,
    });
    return created.case.id;
  };
  const act = async (when: string, who: string, id: string, action: string, payload: unknown = {}) => {
    now = at(when);
    const { version } = await database.db
      .selectFrom('cases')
      .select('version')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return performCaseAction(deps(), actor(who), { caseRef: id, action, version, payload });
  };
  const escalations = (id: string) =>
    database.db
      .selectFrom('case_events')
      .selectAll()
      .where('case_id', '=', id)
      .where('action', '=', ESCALATION_ACTION)
      .orderBy('seq')
      .execute();
  const levelsOf = async (id: string) =>
    (await escalations(id)).map((e) => (e.payload as { level: number }).level);

  beforeAll(async () => {
    database = await createTestDatabase();
    const slice = await seedDemoSlice(database);
    actors = slice.actors;
    // a grid centroid that the territory index places in 古美
    for (const grid of slice.grids.filter((g) => g.code.startsWith('310112006'))) {
      const candidate = { lon: grid.centroid_lon!, lat: grid.centroid_lat! };
      if ((await locatePoint(database, candidate)).grid?.code === grid.code) {
        point = candidate;
        break;
      }
    }
    expect(point).toBeDefined();
  });
  afterAll(async () => {
    await database.close();
  });

  it('warns at 80 %, flags overdue and escalates each level exactly once as the overrun grows', async () => {
    const id = await report('2026-03-02T10:00:00'); // register clock: 1 work_hour → due 11:00
    expect((await sweep('2026-03-02T10:30:00')).examined).toBe(0);

    const yellow = await sweep('2026-03-02T10:50:00');
    expect(yellow).toMatchObject({ examined: 1, warned: 1, overdue: 0 });
    const warnings = await database.db
      .selectFrom('notifications')
      .selectAll()
      .where('case_id', '=', id)
      .where('kind', '=', WARNING_KIND)
      .execute();
    expect(warnings.map((n) => n.recipient_region_code)).toEqual(['310112006']);
    expect((await sweep('2026-03-02T10:55:00')).examined).toBe(0);

    const red = await sweep('2026-03-02T11:05:00');
    expect(red).toMatchObject({ overdue: 1, escalations: { 1: 1, 2: 0, 3: 0 } });
    const row = await database.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ overdue: true, version: 2, state: 'reported' });
    const [first] = await escalations(id);
    expect(first).toMatchObject({
      seq: 2,
      actor_user_id: 'system',
      actor_role: 'system',
      from_state: 'reported',
      to_state: 'reported',
      stage: null,
    });
    expect(first!.payload).toMatchObject({ level: 1, stage: 'register', limit: 1, unit: 'work_hour' });

    expect((await sweep('2026-03-02T11:10:00')).examined).toBe(0);
    expect((await sweep('2026-03-02T11:35:00')).escalations).toEqual({ 1: 0, 2: 1, 3: 0 }); // 1.5 h used
    expect((await sweep('2026-03-02T11:50:00')).examined).toBe(0);
    // the lunch break does not count: 2 working hours are used at 12:00, the next level falls due then
    expect((await sweep('2026-03-02T13:30:00')).escalations).toEqual({ 1: 0, 2: 0, 3: 1 });
    expect((await sweep('2026-03-05T13:30:00')).examined).toBe(0);
    expect(await levelsOf(id)).toEqual([1, 2, 3]);

    const notices = await database.db
      .selectFrom('notifications')
      .select(['recipient_region_code', 'payload'])
      .where('case_id', '=', id)
      .where('kind', '=', ESCALATION_ACTION)
      .orderBy('id')
      .execute();
    expect(notices.map((n) => [(n.payload as { level: number }).level, n.recipient_region_code])).toEqual([
      [1, '310112006'],
      [2, '310112006'],
      [3, '310112'],
    ]);
  });

  it('reaches every level due at once in order when the sweeper comes late', async () => {
    const id = await report('2026-03-09T10:00:00');
    const late = await sweep('2026-03-12T10:00:00');
    expect(late.escalations).toEqual({ 1: 1, 2: 1, 3: 1 });
    expect((await escalations(id)).map((e) => [e.seq, (e.payload as { level: number }).level])).toEqual([
      [2, 1],
      [3, 2],
      [4, 3],
    ]);
    expect((await sweep('2026-03-12T10:00:00')).examined).toBe(0);
  });

  it('leaves a suspended clock alone and counts on after it resumes', async () => {
    const id = await report('2026-03-16T09:00:00');
    await act('2026-03-16T09:10:00', 'gumei.dispatcher', id, 'register');
    await act('2026-03-16T09:20:00', 'gumei.dispatcher', id, 'dispatch'); // matrix: 古美城管执法中队
    await act('2026-03-16T09:30:00', 'chengguan.handler', id, 'sign'); // handle clock: 4 work_hour
    await act('2026-03-16T10:00:00', 'chengguan.handler', id, 'request_suspension', {
      reason: '需规划部门意见',
    });
    await act('2026-03-16T10:30:00', 'gumei.lead', id, 'approve_suspension');
    await sweep('2026-03-19T10:00:00');
    expect(await levelsOf(id)).toEqual([]);

    await act('2026-03-20T09:00:00', 'gumei.lead', id, 'resume');
    const clockRow = await database.db
      .selectFrom('case_deadlines')
      .selectAll()
      .where('case_id', '=', id)
      .where('stage', '=', 'handle')
      .executeTakeFirstOrThrow();
    // 1 h used before the suspension, 3 h left from Friday 09:00 → 12:00
    expect(clockRow.due_at).toEqual(at('2026-03-20T12:00:00'));
    expect((await sweep('2026-03-20T11:30:00')).warned).toBe(1);
    expect(await levelsOf(id)).toEqual([]);
    expect((await sweep('2026-03-20T13:10:00')).escalations[1]).toBe(1);
    expect(await levelsOf(id)).toEqual([1]);
  });

  it('measures an extended deadline afresh and escalates it once it is missed again', async () => {
    const id = await report('2026-03-23T09:00:00');
    await act('2026-03-23T09:10:00', 'gumei.dispatcher', id, 'register');
    await act('2026-03-23T09:20:00', 'gumei.dispatcher', id, 'dispatch');
    await act('2026-03-23T09:30:00', 'chengguan.handler', id, 'sign'); // due 14:30
    await sweep('2026-03-23T14:40:00');
    expect(await levelsOf(id)).toEqual([1]);

    await act('2026-03-23T15:00:00', 'chengguan.handler', id, 'request_extension', {
      reason: '摊主不在现场',
      requestedDueAt: '2026-03-25T17:00:00+08:00',
    });
    await act('2026-03-23T15:10:00', 'gumei.lead', id, 'approve_extension');
    const afresh = await sweep('2026-03-23T15:20:00');
    expect(afresh).toMatchObject({ examined: 1, overdue: 0, escalations: { 1: 0, 2: 0, 3: 0 } });
    const clockRow = await database.db
      .selectFrom('case_deadlines')
      .selectAll()
      .where('case_id', '=', id)
      .where('stage', '=', 'handle')
      .executeTakeFirstOrThrow();
    expect(clockRow).toMatchObject({
      colour: 'green',
      escalation_level: 0,
      due_at: at('2026-03-25T17:00:00'),
    });

    await sweep('2026-03-26T09:30:00');
    expect(await levelsOf(id)).toEqual([1, 1]); // a new due date is a new chance; it was missed again
  });

  it('escalates each case exactly once per level when sweepers run at the same time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await report('2026-04-01T10:00:00'));
    now = at('2026-04-03T10:00:00');
    const passes = await Promise.all(
      Array.from({ length: 4 }, () => sweepDeadlines({ database, now: clock }, { batchSize: 2 })),
    );
    for (const id of ids) expect(await levelsOf(id)).toEqual([1, 2, 3]);
    // the earlier tests' open cases climb too (two more levels): the passes together wrote each level once
    const total = passes.reduce((sum, p) => sum + p.escalations[1] + p.escalations[2] + p.escalations[3], 0);
    expect(total).toBe(36 + 2);
    expect((await sweep('2026-04-03T10:00:00')).examined).toBe(0);
  });
});
