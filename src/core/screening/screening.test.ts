import { describe, expect, it } from 'vitest';
import type { Actor } from '../actor.ts';
import { createWorkingCalendar } from '../calendar/working-calendar.ts';
import { campaignOverlaps, canManageCampaign } from './access.ts';
import {
  compareRounds,
  licenceValid,
  selectTargets,
  validateTargetRule,
  type DwellingFacts,
  type UnitFacts,
} from './targets.ts';
import {
  afterVisit,
  assignTargets,
  byDistance,
  canVisitTask,
  checkVisitPosition,
  MAX_ATTEMPTS,
  NEAR_ADDRESS_METRES,
  nextWorkingDay,
  roundDueAt,
} from './tasks.ts';
import { baseInfoUpdates, SCREENING_THEMES, THEMES, validateAnswers } from './themes.ts';

const GRID_A = '31011200600101';
const GRID_B = '31011200600102';
const GRID_X = '31011200800101';
const place = (grid: string) => ({
  streetCode: grid.slice(0, 9),
  committeeCode: grid.slice(0, 12),
  gridCode: grid,
});
const dwelling = (id: string, grid: string, over: Partial<DwellingFacts> = {}): DwellingFacts => ({
  id,
  addressId: `a-${id}`,
  use: 'residential',
  occupancy: 'rented',
  registered: 5,
  counted: null,
  lon: 121.38,
  lat: 31.15,
  ...place(grid),
  ...over,
});
const unit = (id: string, grid: string, over: Partial<UnitFacts> = {}): UnitFacts => ({
  id,
  addressId: `a-${id}`,
  industry: 'catering',
  licenceStatus: 'valid',
  licenceExpiresOn: '2026-12-31',
  status: 'active',
  lon: 121.38,
  lat: 31.15,
  ...place(grid),
  ...over,
});
const TODAY = '2026-03-02';
const cal = createWorkingCalendar();
const actor = (
  role: Actor['role'],
  code: string,
  level: 'district' | 'street' | 'committee' | 'grid',
  userId = 'u1',
): Actor => ({
  userId,
  username: userId,
  displayName: userId,
  role,
  unit: { kind: 'region', level, code },
});

describe('themes and visit forms', () => {
  it('every theme has a note field, its default rule among its rules, and valid field definitions', () => {
    for (const theme of SCREENING_THEMES) {
      const def = THEMES[theme];
      expect(def.rules).toContain(def.defaultRule.rule);
      expect(validateTargetRule(theme, def.defaultRule)).toEqual([]);
      expect(new Set(def.fields.map((f) => f.key)).size).toBe(def.fields.length);
      for (const f of def.fields) {
        if (f.kind === 'choice') expect(f.options?.length).toBeGreaterThan(0);
        if (f.kind === 'integer') expect(f.min).toBeLessThanOrEqual(f.max!);
      }
    }
  });

  it('requires the required fields only when the visitor met someone', () => {
    expect(validateAnswers('group_renting', 'normal', {})).toMatchObject({ ok: false });
    expect(validateAnswers('group_renting', 'nobody_home', {})).toEqual({ ok: true, answers: {} });
    expect(validateAnswers('group_renting', 'refused', { note: ' 不开门 ' })).toEqual({
      ok: true,
      answers: { note: '不开门' },
    });
    const full = { occupantsCounted: 9, partitioned: true, fireEquipment: false };
    expect(validateAnswers('group_renting', 'problem_found', full)).toEqual({ ok: true, answers: full });
  });

  it('refuses unknown keys, wrong kinds, bounds and options', () => {
    const r = validateAnswers('group_renting', 'normal', {
      occupantsCounted: 201,
      partitioned: 'yes',
      fireEquipment: true,
      beds: 2.5,
      colour: 'red',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path).sort()).toEqual([
      '/answers/beds',
      '/answers/colour',
      '/answers/occupantsCounted',
      '/answers/partitioned',
    ]);
    // the bounds themselves are allowed
    expect(
      validateAnswers('group_renting', 'normal', {
        occupantsCounted: 0,
        partitioned: false,
        fireEquipment: true,
      }).ok,
    ).toBe(true);
    expect(
      validateAnswers('group_renting', 'normal', {
        occupantsCounted: 200,
        partitioned: false,
        fireEquipment: true,
      }).ok,
    ).toBe(true);
    expect(
      validateAnswers('unlicensed_business', 'normal', { licenceSeen: 'maybe', operating: true }).ok,
    ).toBe(false);
    expect(
      validateAnswers('unlicensed_business', 'normal', { licenceSeen: 'none', operating: true }).ok,
    ).toBe(true);
  });

  it('a visit updates the occupants counted and the licence seen, only when someone was met', () => {
    expect(
      baseInfoUpdates({ kind: 'dwelling', id: 'd1' }, 'problem_found', { occupantsCounted: 12 }),
    ).toEqual([{ entity: 'dwelling', id: 'd1', field: 'occupants_counted', value: 12 }]);
    expect(baseInfoUpdates({ kind: 'dwelling', id: 'd1' }, 'nobody_home', { occupantsCounted: 12 })).toEqual(
      [],
    );
    expect(
      baseInfoUpdates({ kind: 'unit', id: 'u1' }, 'normal', { licenceSeen: 'valid', licenceNo: 'JY123' }),
    ).toEqual([
      { entity: 'unit', id: 'u1', field: 'licence_status', value: 'valid' },
      { entity: 'unit', id: 'u1', field: 'licence_no', value: 'JY123' },
    ]);
    expect(baseInfoUpdates({ kind: 'unit', id: 'u1' }, 'normal', { occupantsCounted: 3 })).toEqual([]);
  });
});

describe('target rules', () => {
  const dwellings = [
    dwelling('d-at', GRID_A, { registered: 5 }),
    dwelling('d-below', GRID_A, { registered: 4 }),
    dwelling('d-counted', GRID_B, { registered: 2, counted: 6 }),
    dwelling('d-owner', GRID_A, { occupancy: 'owner_occupied', registered: 9 }),
    dwelling('d-outside', GRID_X, { registered: 9 }),
    dwelling('d-shop', GRID_B, { use: 'workshop', occupancy: 'vacant', registered: 0 }),
  ];
  const units = [
    unit('u-valid', GRID_A),
    unit('u-expires-today', GRID_A, { licenceExpiresOn: TODAY }),
    unit('u-expired-yesterday', GRID_A, { licenceExpiresOn: '2026-03-01' }),
    unit('u-none', GRID_B, { licenceStatus: 'none', licenceExpiresOn: null }),
    unit('u-retail', GRID_B, { industry: 'retail', licenceStatus: 'none' }),
    unit('u-closed', GRID_B, { licenceStatus: 'none', status: 'closed' }),
    unit('u-outside', GRID_X, { licenceStatus: 'none' }),
  ];
  const data = { dwellings, units };
  const ids = (spec: Parameters<typeof selectTargets>[0], territory = ['310112006']) =>
    selectTargets(spec, territory, data, TODAY).map((t) => t.id);

  it('rented dwellings with at least N occupants: the threshold counts, one below does not, counted beats registered', () => {
    expect(ids({ rule: 'rented_dwellings', minOccupants: 5 })).toEqual(['d-at', 'd-counted']);
    expect(ids({ rule: 'rented_dwellings', minOccupants: 6 })).toEqual(['d-counted']);
  });

  it('businesses whose licence is not valid today (the expiry day is still valid), closed ones never', () => {
    expect(ids({ rule: 'licence_invalid', industries: ['catering'] })).toEqual([
      'u-expired-yesterday',
      'u-none',
    ]);
    expect(licenceValid({ licenceStatus: 'valid', licenceExpiresOn: TODAY }, TODAY)).toBe(true);
    expect(ids({ rule: 'units_by_industry', industries: ['retail'] })).toEqual(['u-retail']);
  });

  it('a territory of grids keeps only their targets; all addresses takes dwellings and active businesses', () => {
    expect(ids({ rule: 'all_addresses' }, [GRID_B])).toEqual(['d-counted', 'd-shop', 'u-none', 'u-retail']);
    expect(ids({ rule: 'dwellings_by_use', uses: ['workshop'] })).toEqual(['d-shop']);
    expect(ids({ rule: 'all_addresses' }, [])).toEqual([]);
  });

  it('refuses a rule foreign to the theme and parameters out of range', () => {
    expect(
      validateTargetRule('group_renting', { rule: 'licence_invalid', industries: ['catering'] }),
    ).toHaveLength(1);
    expect(validateTargetRule('group_renting', { rule: 'rented_dwellings', minOccupants: 0 })).toHaveLength(
      1,
    );
    expect(validateTargetRule('group_renting', { rule: 'rented_dwellings', minOccupants: 101 })).toHaveLength(
      1,
    );
    expect(validateTargetRule('group_renting', { rule: 'rented_dwellings', minOccupants: 100 })).toEqual([]);
    expect(
      validateTargetRule('unlicensed_business', { rule: 'licence_invalid', industries: [] }),
    ).toHaveLength(1);
    expect(
      validateTargetRule('unlicensed_business', {
        rule: 'licence_invalid',
        industries: ['spaceport' as never],
      }),
    ).toHaveLength(1);
    expect(
      validateTargetRule('fire_hazards', { rule: 'dwellings_by_use', uses: ['castle' as never] }),
    ).toHaveLength(1);
  });

  it('compares a round with the last: new, continuing, problems still matching, dropped', () => {
    const previous = new Map([
      ['dwelling:d1', 'normal'],
      ['dwelling:d2', 'problem_found'],
      ['dwelling:d3', 'problem_found'],
    ]);
    const c = compareRounds(
      [
        { kind: 'dwelling', id: 'd1' },
        { kind: 'dwelling', id: 'd2' },
        { kind: 'dwelling', id: 'd4' },
      ],
      previous,
    );
    expect(c).toMatchObject({ targets: 3, added: 1, continuing: 2, problemStillMatching: 1, dropped: 1 });
    expect(c.standing.get('dwelling:d2')).toBe('again_after_problem');
    expect(c.standing.get('dwelling:d4')).toBe('new');
    expect(compareRounds([], new Map())).toMatchObject({ targets: 0, added: 0, dropped: 0 });
  });
});

describe('tasks', () => {
  const targets = selectTargets(
    { rule: 'all_addresses' },
    ['310112006'],
    {
      dwellings: [
        dwelling('d1', GRID_A),
        dwelling('d2', GRID_A),
        dwelling('d3', GRID_B),
        dwelling('d4', '31011200600201'),
      ],
      units: [],
    },
    TODAY,
  );

  it('assigns a grid to one person of the preferred role, falls back to the other role, else leaves it open', () => {
    const staff = [
      { userId: 'coord-1', role: 'coordinator' as const, unitCode: '310112006001' },
      { userId: 'coord-2', role: 'coordinator' as const, unitCode: '310112006001' },
      { userId: 'pat-b', role: 'patroller' as const, unitCode: GRID_B },
    ];
    const byCoordinator = assignTargets(targets, staff, 'coordinator');
    expect(byCoordinator.get('dwelling:d1')).toBe(byCoordinator.get('dwelling:d2'));
    expect(['coord-1', 'coord-2']).toContain(byCoordinator.get('dwelling:d1'));
    expect(['coord-1', 'coord-2']).toContain(byCoordinator.get('dwelling:d3'));
    expect(byCoordinator.get('dwelling:d4')).toBeNull(); // committee 002 has nobody
    const byPatroller = assignTargets(targets, staff, 'patroller');
    expect(byPatroller.get('dwelling:d3')).toBe('pat-b');
    expect(['coord-1', 'coord-2']).toContain(byPatroller.get('dwelling:d1'));
    // stable: the same staff in another order give the same answer
    expect(assignTargets(targets, [...staff].reverse(), 'coordinator')).toEqual(byCoordinator);
  });

  it('the GPS must be near the address, or the visitor says why', () => {
    const at = { lon: 121.38, lat: 31.15 };
    const metresNorth = (m: number) => ({ lon: 121.38, lat: 31.15 + m / 111_195 });
    expect(checkVisitPosition(at, metresNorth(100), null)).toMatchObject({ ok: true, near: true });
    expect(checkVisitPosition(at, metresNorth(NEAR_ADDRESS_METRES - 1), null)).toMatchObject({ ok: true });
    expect(checkVisitPosition(at, metresNorth(NEAR_ADDRESS_METRES + 5), null)).toMatchObject({
      ok: false,
      why: 'far',
    });
    expect(checkVisitPosition(at, metresNorth(400), '定位漂移')).toMatchObject({ ok: true, near: false });
    expect(checkVisitPosition(at, metresNorth(400), '   ')).toMatchObject({ ok: false });
    expect(checkVisitPosition(at, null, null)).toMatchObject({ ok: false, why: 'no_fix' });
    expect(checkVisitPosition(at, { ...at, accuracyM: 500 }, null)).toMatchObject({
      ok: false,
      why: 'no_fix',
    });
    expect(checkVisitPosition({ lon: null, lat: null }, null, null)).toMatchObject({ ok: true });
  });

  it('nobody home schedules a revisit on the next working day, until the last attempt', () => {
    const friday = new Date('2026-03-06T10:00:00+08:00');
    const r = afterVisit('nobody_home', 0, cal, friday);
    expect(r.status).toBe('revisit');
    expect(r.revisitAt?.toISOString()).toBe(new Date('2026-03-09T09:00:00+08:00').toISOString());
    expect(afterVisit('nobody_home', MAX_ATTEMPTS - 1, cal, friday)).toEqual({
      status: 'unreachable',
      revisitAt: null,
    });
    expect(afterVisit('refused', 0, cal, friday)).toEqual({ status: 'refused', revisitAt: null });
    expect(afterVisit('problem_found', 2, cal, friday).status).toBe('problem_found');
    // the day before the Qingming holiday 2026 (Apr 4–6): the revisit is on Tuesday Apr 7
    expect(nextWorkingDay(cal, new Date('2026-04-03T16:00:00+08:00')).toISOString()).toBe(
      new Date('2026-04-07T09:00:00+08:00').toISOString(),
    );
  });

  it('a round is due after working days (a weekend does not count)', () => {
    const friday = new Date('2026-03-06T10:00:00+08:00');
    expect(roundDueAt(cal, friday, 5).toISOString()).toBe(
      new Date('2026-03-13T10:00:00+08:00').toISOString(),
    );
  });

  it('sorts the task list by distance from the phone, tasks without a point last', () => {
    const sorted = byDistance(
      [
        { id: 'far', lon: 121.39, lat: 31.15 },
        { id: 'none', lon: null, lat: null },
        { id: 'near', lon: 121.3801, lat: 31.15 },
      ],
      { lon: 121.38, lat: 31.15 },
    );
    expect(sorted.map((t) => t.id)).toEqual(['near', 'far', 'none']);
    expect(sorted[0]!.distanceM).toBeGreaterThan(0);
    expect(
      byDistance(
        [
          { id: 'b', lon: 1, lat: 1 },
          { id: 'a', lon: 1, lat: 1 },
        ],
        null,
      ).map((t) => t.id),
    ).toEqual(['a', 'b']);
  });
});

describe('access', () => {
  it('managers are dispatchers and shift leads of a centre holding the whole territory', () => {
    expect(canManageCampaign(actor('dispatcher', '310112006', 'street'), [GRID_A, '310112006002'])).toBe(
      true,
    );
    expect(canManageCampaign(actor('dispatcher', '310112006', 'street'), [GRID_A, GRID_X])).toBe(false);
    expect(canManageCampaign(actor('shift_lead', '310112', 'district'), [GRID_X])).toBe(true);
    expect(canManageCampaign(actor('coordinator', '310112006001', 'committee'), [GRID_A])).toBe(false);
    expect(canManageCampaign(actor('leader', '310112', 'district'), [GRID_A])).toBe(false);
    expect(canManageCampaign(actor('dispatcher', '310112006', 'street'), [])).toBe(false);
  });

  it('a campaign is seen where its territory and the actor’s regions overlap', () => {
    expect(campaignOverlaps(['310112006001'], ['310112006'])).toBe(true);
    expect(campaignOverlaps(['310112006'], [GRID_A])).toBe(true);
    expect(campaignOverlaps(['310112008'], [GRID_A])).toBe(false);
    expect(campaignOverlaps([], [GRID_A])).toBe(false);
  });

  it('the assignee visits; an open task, the coordinators and patrollers of its place', () => {
    const task = { ...place(GRID_A), assigneeId: 'u1' };
    expect(canVisitTask(actor('coordinator', '310112006001', 'committee', 'u1'), task)).toBe(true);
    expect(canVisitTask(actor('coordinator', '310112006001', 'committee', 'u2'), task)).toBe(false);
    const open = { ...task, assigneeId: null };
    expect(canVisitTask(actor('coordinator', '310112006001', 'committee', 'u2'), open)).toBe(true);
    expect(canVisitTask(actor('coordinator', '310112006002', 'committee', 'u2'), open)).toBe(false);
    expect(canVisitTask(actor('dispatcher', '310112006', 'street', 'u2'), open)).toBe(false);
  });
});
