import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importCalendarYear } from '../src/app/calendar/import-calendar-year.ts';
import { invalidateCalendar, loadCalendar } from '../src/app/calendar/load-calendar.ts';
import { setCalendarOverride } from '../src/app/calendar/set-calendar-override.ts';
import type { Actor } from '../src/core/actor.ts';
import { computeDue } from '../src/core/calendar/deadline.ts';
import { AppError } from '../src/core/errors.ts';
import { DEMO_DATA_DIR } from '../src/demo/territory.ts';
import { ok } from './support/api.ts';
import { caseClock, T } from './support/cases.ts';
import { useCaseApi } from './support/harness.ts';

const admin: Actor = {
  userId: 'u-admin',
  username: 'admin',
  displayName: '管理员',
  role: 'admin',
  unit: { kind: 'region', level: 'district', code: '310112' },
};
const EXAMPLE = fs.readFileSync(path.join(DEMO_DATA_DIR, 'calendar-2027.example.csv'), 'utf8');

/**
 * Loading 2027's schedule (issue 9, finding 12): the year stops being provisional, and the running
 * deadlines that depend on it move at once, in the import's own transaction — not when the sweeper
 * next happens to claim them.
 */
describe('importing a year’s holiday schedule', () => {
  // 2026-12-02: 2027 is next year and not published
  const t = useCaseApi({ clock: caseClock('2026-12-02T02:00:00Z') });
  const { clock } = t;
  const db = () => t.database.db;
  let caseId: string;

  const clocks = () =>
    db()
      .selectFrom('case_deadlines')
      .select([
        'id',
        'stage',
        'started_at',
        'limit_amount',
        'extension_amount',
        'limit_unit',
        'due_at',
        'warn_at',
      ])
      .where('case_id', '=', caseId)
      .where('status', '=', 'running')
      .orderBy('id')
      .execute();
  const listed = async () =>
    ok(await t.api('dist.dispatcher').GET('/api/v1/cases')).items.find((c) => c.id === caseId);
  const years = async () => ok(await t.api(null).GET('/api/v1/calendar/years'));
  const deadlines = async () => (await t.detail('dist.dispatcher', caseId)).deadlines;
  const state = async () => ({
    overrides: await db().selectFrom('calendar_overrides').selectAll().orderBy('date').execute(),
    settings: await db().selectFrom('calendar_settings').selectAll().execute(),
    clocks: await clocks(),
    case: await db().selectFrom('cases').select(['due_at', 'warn_at']).where('id', '=', caseId).execute(),
  });

  beforeAll(async () => {
    // a report on Monday 2027-02-08 (初三) 10:00: its clocks start counting on the next working day,
    // 02-09 in the provisional calendar (only 除夕–初三 off), 02-15 in the example schedule (02-05..13)
    clock.set('2027-02-08T02:00:00Z');
    const created = await t.report('dist.dispatcher', {
      category: '0101',
      description: '春节前的群租',
      location: T.inGumeiC1,
    });
    caseId = created.case.id;
    clock.set('2026-12-02T02:00:00Z');
  });

  it('shows 2027 as provisional (console banner) and its deadlines as “may move”', async () => {
    expect(await years()).toEqual({
      items: [
        { year: 2026, provisional: false, source: 'package' },
        { year: 2027, provisional: true, source: 'statutory' },
      ],
    });
    const running = (await deadlines()).filter((d) => d.status === 'running');
    expect(running.length).toBeGreaterThan(0);
    expect(running.every((d) => d.provisional === true)).toBe(true);
    expect(await listed()).toMatchObject({ deadline: { provisional: true } });
  });

  it('refuses a bad file with every problem by line, writing nothing', async () => {
    const before = await state();
    const bad = `${EXAMPLE}2027-02-30,holiday,x\n2027-02-20,holiday,春节\n2028-01-01,holiday,元旦\n`;
    const error = (await importCalendarYear(t.database, admin, { content: bad }, clock.now()).catch(
      (e: unknown) => e,
    )) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('validation_failed');
    expect((error.details?.problems as { message: string }[]).map((p) => p.message)).toEqual([
      'line 41: not a calendar date (YYYY-MM-DD): "2027-02-30"',
      'line 42: 2027-02-20 is both a holiday and a make-up workday (also line 19)',
      'line 43: 2028-01-01 is not in 2027',
    ]);
    const viaHttp = await t
      .api('dist.dispatcher')
      .POST('/api/v1/calendar/import', { body: { content: EXAMPLE } });
    expect(viaHttp.response.status).toBe(403);
    expect(await state()).toEqual(before);
  });

  it('loads the year in one step: confirmed, and the running deadlines recomputed at once', async () => {
    const before = await clocks();
    const result = await importCalendarYear(t.database, admin, { content: EXAMPLE, year: 2027 }, clock.now());
    expect(result).toMatchObject({ year: 2027, holidays: 29, workdays: 5, replaced: 0 });
    expect(result.recomputedClocks).toBeGreaterThan(0);

    const { calendar, settings } = await loadCalendar(t.database);
    expect(settings.confirmedYears).toContain(2027);
    expect(calendar.day('2027-02-10')).toMatchObject({ workday: false, provisional: false, name: '春节' });
    expect(calendar.day('2027-02-20')).toMatchObject({ kind: 'makeup_workday', provisional: false });
    expect(calendar.day('2027-03-03')).toMatchObject({ workday: true, provisional: false });

    // every running clock now says what the new calendar says, and at least one moved later
    const after = await clocks();
    for (const c of after) {
      const due = computeDue(calendar, c.started_at, c.limit_amount + c.extension_amount, c.limit_unit).due;
      expect(c.due_at?.toISOString()).toBe(due?.toISOString());
    }
    expect(after.some((c, i) => c.due_at! > before[i]!.due_at!)).toBe(true);
    const row = await db().selectFrom('cases').select('due_at').where('id', '=', caseId).executeTakeFirst();
    expect(row?.due_at?.toISOString()).toBe(
      after
        .map((c) => c.due_at!)
        .sort((a, b) => +a - +b)[0]!
        .toISOString(),
    );

    expect((await years()).items[1]).toEqual({ year: 2027, provisional: false, source: 'confirmed' });
    const all = await deadlines();
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((d) => d.provisional === false)).toBe(true);
    expect(await listed()).toMatchObject({ deadline: { provisional: false } });
  });

  it('importing again replaces the year; a single override also moves running deadlines at once', async () => {
    const again = await importCalendarYear(t.database, admin, { content: EXAMPLE }, clock.now());
    expect(again).toMatchObject({ replaced: 34, recomputedClocks: 0 });
    const before = await clocks();
    await setCalendarOverride(
      t.database,
      admin,
      { date: '2027-02-15', kind: 'holiday', note: '临时' },
      clock.now(),
    );
    invalidateCalendar(t.database);
    const after = await clocks();
    expect(after.every((c, i) => c.due_at! > before[i]!.due_at!)).toBe(true);
  });
});
