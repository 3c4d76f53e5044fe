import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { piiKeyring } from '../src/app/baseinfo/pii.ts';
import { insertJsonRows, personRow } from '../src/app/baseinfo/records.ts';
import { NO_CHANGES } from '../src/app/cases/events.ts';
import {
  changeCampaign,
  createCampaign,
  getCampaign,
  listCampaigns,
} from '../src/app/screening/campaigns.ts';
import { generateScreeningTasks } from '../src/app/screening/generate-tasks.ts';
import { exportCampaign, listFindings, listTargetPoints } from '../src/app/screening/reports.ts';
import { listScreeningTasks, submitVisit } from '../src/app/screening/visits.ts';
import { residentIdCheckChar } from '../src/core/baseinfo/validate.ts';
import type { Database } from '../src/db/database.ts';
import { caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase } from './support/database.ts';
import { memoryFileStore } from './support/demo-slice.ts';

const north = (p: { lon: number; lat: number }, m: number) => ({ lon: p.lon, lat: p.lat + m / 111_195 });

/** Rented dwellings in 古美 committee 1 (grid 1): occupants counted 6, 3, 8; one with 5 registered people; one in 新虹. */
async function seedBaseInfo(database: Database) {
  const addr = (id: string, grid: string, at: { lon: number; lat: number }) => ({
    id,
    code: `310112006-scr.${id}`,
    level: 'number' as const,
    parent_id: null,
    name: id,
    full_text: `排摸路${id}号`,
    normalized: `排摸路${id}号`,
    street_code: grid.slice(0, 9),
    committee_code: grid.slice(0, 12),
    grid_code: grid,
    lon: at.lon,
    lat: at.lat,
  });
  await insertJsonRows(database.db, 'base_addresses', [
    addr('a1', T.gumeiG1, north(T.inGumeiC1, 0)),
    addr('a2', T.gumeiG1, north(T.inGumeiC1, 300)),
    addr('a3', T.gumeiG1, north(T.inGumeiC1, 600)),
    addr('a4', T.gumeiG1, north(T.inGumeiC1, 900)),
    addr('a5', T.xinhongG1, T.inXinhong),
  ]);
  const dwelling = (id: string, address: string, counted: number | null) => ({
    id,
    address_id: address,
    use: 'residential' as const,
    occupancy: 'rented' as const,
    area_m2: 60,
    rooms: 2,
    note: null,
    occupants_counted: counted,
  });
  await insertJsonRows(database.db, 'base_dwellings', [
    dwelling('d1', 'a1', 6),
    dwelling('d2', 'a2', 3),
    dwelling('d3', 'a3', 8),
    dwelling('d4', 'a4', null),
    dwelling('d5', 'a5', 9),
  ]);
  await insertJsonRows(
    database.db,
    'base_people',
    [0, 1, 2, 3, 4].map((i) => {
      const first17 = `9901121990010100${i}`;
      return personRow(piiKeyring(), {
        id: `p${i}`,
        name: `租客${i}`,
        idType: 'resident_id',
        idNumber: `${first17}${residentIdCheckChar(first17)}`,
        sex: 'male',
        birthDate: '1990-01-01',
        phone: null,
        hukou: 'migrant',
        dwellingId: 'd4',
        movedInOn: null,
        leftOn: null,
        status: 'present',
      });
    }),
  );
}

describe('rolling screening: campaign → tasks → visits → cases → next round', () => {
  let database: Database;
  let users: Map<string, TestUser>;
  const clock = caseClock('2026-03-02T02:00:00Z'); // Monday 10:00 Beijing
  const deps = () => ({ database, files: memoryFileStore(), changes: NO_CHANGES, now: clock.now });
  const who = (name: string) => users.get(name)!.actor;
  let campaignId = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    await seedBaseInfo(database);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('a street creates a campaign; its tasks are generated once, assigned by grid, due on working days', async () => {
    await expect(
      createCampaign(deps(), who('coordinator.a1'), {
        name: 'x',
        theme: 'group_renting',
        territory: [T.gumei],
        rounds: 2,
        roundWorkDays: 5,
        startsOn: '2026-03-02',
        endsOn: '2026-04-30',
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      createCampaign(deps(), who('dispatcher.a'), {
        name: 'x',
        theme: 'group_renting',
        territory: [T.gumei, T.xinhong],
        rounds: 2,
        roundWorkDays: 5,
        startsOn: '2026-03-02',
        endsOn: '2026-04-30',
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      createCampaign(deps(), who('dispatcher.a'), {
        name: 'x',
        theme: 'group_renting',
        territory: [T.gumei],
        target: { rule: 'licence_invalid', industries: ['catering'] },
        rounds: 2,
        roundWorkDays: 5,
        startsOn: '2026-03-02',
        endsOn: '2026-04-30',
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    const campaign = await createCampaign(deps(), who('dispatcher.a'), {
      name: '古美群租整治',
      theme: 'group_renting',
      territory: [T.gumei],
      rounds: 2,
      roundWorkDays: 5,
      startsOn: '2026-03-02',
      endsOn: '2026-04-30',
    });
    campaignId = campaign.id;
    expect(campaign).toMatchObject({
      currentRound: 1,
      target: { rule: 'rented_dwellings', minOccupants: 5 },
    });
    expect(campaign.allowedActions).toEqual(['update', 'next_round', 'close']);
    const tasks = await database.db.selectFrom('screening_tasks').selectAll().orderBy('target_id').execute();
    // d1 (6 counted), d3 (8 counted), d4 (5 registered); not d2 (3), not d5 (新虹)
    expect(tasks.map((t) => t.target_id)).toEqual(['d1', 'd3', 'd4']);
    expect(new Set(tasks.map((t) => t.assignee_id))).toEqual(new Set([users.get('coordinator.a1')!.id]));
    // five working days after Monday 10:00: the next Monday 10:00
    expect(new Date(tasks[0]!.due_at).toISOString()).toBe('2026-03-09T02:00:00.000Z');
    // a second pass finds nothing to do
    expect((await generateScreeningTasks(deps())).generated).toEqual([]);
  });

  it('the coordinator’s list is sorted by distance; other roles see none', async () => {
    const near3 = await listScreeningTasks(deps(), who('coordinator.a1'), north(T.inGumeiC1, 650));
    expect(near3.items.map((t) => t.targetId)).toEqual(['d3', 'd4', 'd1']);
    expect(near3.items[0]!.distanceM).toBe(50);
    expect((await listScreeningTasks(deps(), who('dispatcher.a'), {})).items).toEqual([]);
    expect((await listScreeningTasks(deps(), who('patroller.a2'), {})).items).toEqual([]);
  });

  it('a visit needs the form, and the GPS near the address or a reason', async () => {
    const [d1] = (await listScreeningTasks(deps(), who('coordinator.a1'), T.inGumeiC1)).items;
    const base = { taskId: d1!.id, version: d1!.version };
    await expect(
      submitVisit(deps(), who('coordinator.a1'), {
        ...base,
        outcome: 'normal',
        answers: {},
        position: T.inGumeiC1,
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    const answers = { occupantsCounted: 4, partitioned: false, fireEquipment: true };
    await expect(
      submitVisit(deps(), who('coordinator.a1'), {
        ...base,
        outcome: 'normal',
        answers,
        position: north(T.inGumeiC1, 400),
      }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      details: { reason: 'visit_far_from_address', why: 'far' },
    });
    await expect(
      submitVisit(deps(), who('patroller.a'), { ...base, outcome: 'normal', answers, position: T.inGumeiC1 }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      submitVisit(deps(), who('dispatcher.b'), {
        ...base,
        outcome: 'normal',
        answers,
        position: T.inGumeiC1,
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const visit = await submitVisit(deps(), who('coordinator.a1'), {
      ...base,
      outcome: 'normal',
      answers,
      position: north(T.inGumeiC1, 400),
      farReason: '楼内无信号，在小区门口提交',
    });
    expect(visit).toMatchObject({ taskStatus: 'normal', caseId: null, distanceM: 400 });
    // the base information it checked: occupants counted 6 → 4, with history
    const d = await database.db
      .selectFrom('base_dwellings')
      .select('occupants_counted')
      .where('id', '=', 'd1')
      .executeTakeFirstOrThrow();
    expect(d.occupants_counted).toBe(4);
    const history = await database.db
      .selectFrom('base_history')
      .selectAll()
      .where('entity_id', '=', 'd1')
      .execute();
    expect(history).toMatchObject([
      { source: 'visit', source_ref: visit.id, changes: { occupants_counted: { from: 6, to: 4 } } },
    ]);
    // done: a second visit is refused
    await expect(
      submitVisit(deps(), who('coordinator.a1'), {
        ...base,
        version: base.version + 1,
        outcome: 'normal',
        answers,
        position: T.inGumeiC1,
      }),
    ).rejects.toMatchObject({ code: 'conflict', details: { reason: 'screening_task_closed' } });
  });

  it('nobody home schedules a revisit on the next working day', async () => {
    clock.set('2026-03-06T09:00:00Z'); // Friday 17:00 Beijing
    const d4 = (await listScreeningTasks(deps(), who('coordinator.a1'), {})).items.find(
      (t) => t.targetId === 'd4',
    )!;
    const visit = await submitVisit(deps(), who('coordinator.a1'), {
      taskId: d4.id,
      version: d4.version,
      outcome: 'nobody_home',
      answers: {},
      position: north(T.inGumeiC1, 900),
    });
    expect(visit).toMatchObject({ taskStatus: 'revisit', revisitAt: '2026-03-09T01:00:00.000Z' });
    const again = (await listScreeningTasks(deps(), who('coordinator.a1'), {})).items.find(
      (t) => t.targetId === 'd4',
    )!;
    expect(again).toMatchObject({ status: 'revisit', attempts: 1 });
  });

  it('a problem found becomes a case in one step (source screening, at the address), both or neither', async () => {
    const d3 = (await listScreeningTasks(deps(), who('coordinator.a1'), {})).items.find(
      (t) => t.targetId === 'd3',
    )!;
    const body = {
      taskId: d3.id,
      version: d3.version,
      outcome: 'problem_found' as const,
      answers: { occupantsCounted: 12, partitioned: true, fireEquipment: false },
      position: north(T.inGumeiC1, 610),
    };
    await expect(submitVisit(deps(), who('coordinator.a1'), body)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    // an unknown category: the case is refused, and so is the visit
    await expect(
      submitVisit(deps(), who('coordinator.a1'), {
        ...body,
        finding: { description: '隔断群租', category: '9999' },
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    expect(
      await database.db.selectFrom('screening_visits').select('id').where('task_id', '=', d3.id).execute(),
    ).toEqual([]);
    const visit = await submitVisit(deps(), who('coordinator.a1'), {
      ...body,
      finding: { description: '隔断群租，12人居住', category: '0101' },
    });
    expect(visit.caseId).not.toBeNull();
    const c = await database.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', visit.caseId!)
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({ source: 'screening', address_id: 'a3', category_code: '0101' });
    expect(c.description).toContain('古美群租整治');
    const findings = await listFindings(deps(), who('dispatcher.a'), campaignId);
    expect(findings.items).toMatchObject([{ caseId: visit.caseId, label: '排摸路a3号' }]);
    expect(
      await listFindings(deps(), who('dispatcher.b'), campaignId).catch((e: { code: string }) => e.code),
    ).toBe('not_found');
  });

  it('shows progress per committee and grid, the map by status, cases opened, and exports', async () => {
    const detail = await getCampaign(deps(), who('dispatcher.a'), campaignId);
    expect(detail.total).toMatchObject({ total: 3, normal: 1, problemFound: 1, revisit: 1, pending: 0 });
    expect(detail.byCommittee).toMatchObject([{ code: T.gumeiC1, total: 3 }]);
    expect(detail.byGrid).toMatchObject([{ code: T.gumeiG1, total: 3 }]);
    expect(detail.cases).toEqual({ opened: 1, closed: 0 });
    const points = await listTargetPoints(deps(), who('lead.a'), campaignId, { status: 'problem_found' });
    expect(points.items.map((p) => p.label)).toEqual(['排摸路a3号']);
    const list = await listCampaigns(deps(), who('coordinator.a1'), {});
    expect(list.items).toMatchObject([
      { id: campaignId, tasks: 3, visited: 2, findings: 1, allowedActions: [] },
    ]);
    expect((await listCampaigns(deps(), who('dispatcher.b'), {})).items).toEqual([]);
    const file = await exportCampaign(deps(), who('dispatcher.a'), campaignId);
    expect(file.rows).toBe(3);
    expect(file.body.subarray(0, 2).toString()).toBe('PK');
  });

  it('the next round regenerates the tasks for the targets still matching and compares with the last', async () => {
    const before = (await getCampaign(deps(), who('dispatcher.a'), campaignId)).campaign;
    await expect(
      changeCampaign(deps(), who('dispatcher.b'), campaignId, {
        action: 'next_round',
        version: before.version,
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const next = await changeCampaign(deps(), who('dispatcher.a'), campaignId, {
      action: 'next_round',
      version: before.version,
    });
    expect(next).toMatchObject({ currentRound: 2, allowedActions: ['update', 'close'] });
    const detail = await getCampaign(deps(), who('dispatcher.a'), campaignId);
    // d1 was counted 4 on the visit: no longer matching; d3 (12 counted, problem found) and d4 (5 registered) still match
    expect(detail.rounds[1]!.comparison).toEqual({
      targets: 2,
      added: 0,
      continuing: 2,
      problemStillMatching: 1,
      dropped: 1,
    });
    const tasks = await database.db
      .selectFrom('screening_tasks')
      .select(['target_id', 'standing'])
      .where('round_no', '=', 2)
      .orderBy('target_id')
      .execute();
    expect(tasks).toEqual([
      { target_id: 'd3', standing: 'again_after_problem' },
      { target_id: 'd4', standing: 'again' },
    ]);
    await expect(
      changeCampaign(deps(), who('dispatcher.a'), campaignId, {
        action: 'next_round',
        version: next.version,
      }),
    ).rejects.toMatchObject({ code: 'conflict', details: { reason: 'screening_last_round' } });
    const closed = await changeCampaign(deps(), who('dispatcher.a'), campaignId, {
      action: 'close',
      version: next.version,
    });
    expect(closed).toMatchObject({ state: 'closed', allowedActions: [] });
    expect((await listScreeningTasks(deps(), who('coordinator.a1'), {})).items).toEqual([]);
  });
});
