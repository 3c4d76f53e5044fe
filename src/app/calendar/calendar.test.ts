import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.ts';
import type { Actor } from '../../core/actor.ts';
import { SYSTEM_ACTOR } from '../../core/actor.ts';
import { formatShanghai, parseInstant } from '../../core/calendar/time.ts';
import type { Database } from '../../db/database.ts';
import { invalidateCalendar, loadCalendar, readCalendarOverrides } from './load-calendar.ts';
import { calculateDue, listCalendarDays } from './query-calendar.ts';
import { removeCalendarOverride } from './remove-calendar-override.ts';
import { setCalendarOverride } from './set-calendar-override.ts';
import { setCalendarSettings } from './set-calendar-settings.ts';

const admin: Actor = {
  userId: 'u-admin',
  username: 'admin',
  displayName: '管理员',
  role: 'admin',
  unit: { kind: 'region', level: 'district', code: '310112' },
};
const dispatcher: Actor = { ...admin, userId: 'u-disp', username: 'disp', role: 'dispatcher' };
const now = new Date('2026-11-20T02:00:00Z');
const bj = (text: string) => parseInstant(text)!;

describe('calendar stored in the database', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('starts from the official schedule with default segments', async () => {
    const { calendar, settings } = await loadCalendar(database);
    expect(settings.segments).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:30' },
    ]);
    expect(settings.confirmedYears).toEqual([]);
    expect(calendar.day('2026-02-14').kind).toBe('makeup_workday');
    const r = await calculateDue(database, {
      start: bj('2026-09-30T16:00+08:00'),
      amount: 4,
      unit: 'work_hour',
    });
    expect(formatShanghai(r.due)).toBe('2026-10-08T11:30:00+08:00');
    expect(r.provisional).toBe(false);
  });

  it('an admin enters a 2027 holiday and a 调休 Saturday; the calendar answers at once and it is audited', async () => {
    const holiday = await setCalendarOverride(
      database,
      admin,
      { date: '2027-02-09', kind: 'holiday', note: ' 春节 ' },
      now,
    );
    expect(holiday).toMatchObject({
      date: '2027-02-09',
      kind: 'holiday',
      source: 'override',
      name: '春节',
      provisional: false,
    });
    const makeup = await setCalendarOverride(
      database,
      admin,
      { date: '2027-02-20', kind: 'workday', note: '春节调休' },
      now,
    );
    expect(makeup).toMatchObject({ kind: 'makeup_workday', workday: true, source: 'override' });

    const stored = await readCalendarOverrides(database.db, { from: '2027-01-01', to: '2027-12-31' });
    expect(stored.map(({ date, kind, note, updatedBy }) => ({ date, kind, note, updatedBy }))).toEqual([
      { date: '2027-02-09', kind: 'holiday', note: '春节', updatedBy: 'u-admin' },
      { date: '2027-02-20', kind: 'workday', note: '春节调休', updatedBy: 'u-admin' },
    ]);
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'target', 'actor_id'])
      .where('action', 'like', 'calendar.%')
      .orderBy('seq')
      .execute();
    expect(audit).toEqual([
      { action: 'calendar.override_set', target: 'calendar:2027-02-09', actor_id: 'u-admin' },
      { action: 'calendar.override_set', target: 'calendar:2027-02-20', actor_id: 'u-admin' },
    ]);

    // 2027-02-04 (Thu) + 1 work_day: 除夕–初三 (statutory) and the overridden 2-09 are off → Wed 2-10
    const r = await calculateDue(database, { start: bj('2027-02-04 10:00'), amount: 1, unit: 'work_day' });
    expect(formatShanghai(r.due)).toBe('2027-02-10T10:00:00+08:00');
    expect(r.provisional).toBe(true);
  });

  it('replaces an override on the same date and removes it again', async () => {
    await setCalendarOverride(database, admin, { date: '2027-02-09', kind: 'workday', note: '' }, now);
    expect((await listCalendarDays(database, '2027-02-09', '2027-02-09'))[0]).toMatchObject({
      kind: 'workday',
      source: 'override',
      name: null,
    });
    const restored = await removeCalendarOverride(database, admin, '2027-02-09', now);
    expect(restored).toMatchObject({ kind: 'workday', source: 'weekday_rule', provisional: true });
    await expect(removeCalendarOverride(database, admin, '2027-02-09', now)).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('only an administrator (or the system) may change the calendar', async () => {
    await expect(
      setCalendarOverride(database, dispatcher, { date: '2027-03-01', kind: 'holiday' }, now),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      setCalendarSettings(database, dispatcher, { confirmedYears: [2027] }, now),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const day = await setCalendarOverride(
      database,
      SYSTEM_ACTOR,
      { date: '2027-03-01', kind: 'holiday', note: 'seed' },
      now,
    );
    expect(day.kind).toBe('holiday');
    await removeCalendarOverride(database, SYSTEM_ACTOR, '2027-03-01', now);
  });

  it('rejects malformed overrides and settings without writing', async () => {
    const bad = [
      setCalendarOverride(database, admin, { date: '2027-02-30', kind: 'holiday' }, now),
      setCalendarOverride(database, admin, { date: '2027-03-02', kind: 'weekend' as 'holiday' }, now),
      setCalendarOverride(
        database,
        admin,
        { date: '2027-03-02', kind: 'holiday', note: 'x'.repeat(201) },
        now,
      ),
      setCalendarSettings(database, admin, { segments: [{ start: '13:00', end: '12:00' }] }, now),
      setCalendarSettings(database, admin, { confirmedYears: [27] }, now),
    ];
    for (const p of bad) await expect(p).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await readCalendarOverrides(database.db, { from: '2027-03-01', to: '2027-03-31' })).toEqual([]);
  });

  it('changes working segments and confirmed years', async () => {
    const settings = await setCalendarSettings(
      database,
      admin,
      {
        segments: [
          { start: '08:30', end: '11:30' },
          { start: '13:30', end: '17:00' },
        ],
        confirmedYears: [2027, 2027],
      },
      now,
    );
    expect(settings.segments).toEqual([
      { start: '08:30', end: '11:30' },
      { start: '13:30', end: '17:00' },
    ]);
    expect(settings.confirmedYears).toEqual([2027]);
    const r = await calculateDue(database, { start: bj('2026-03-02 11:00'), amount: 1, unit: 'work_hour' });
    expect(formatShanghai(r.due)).toBe('2026-03-02T14:00:00+08:00');
    const d = await listCalendarDays(database, '2027-01-01', '2027-01-01');
    expect(d[0]).toMatchObject({ kind: 'workday', provisional: false }); // confirmed: no statutory fallback
    await setCalendarSettings(
      database,
      admin,
      {
        segments: [
          { start: '09:00', end: '12:00' },
          { start: '13:00', end: '17:30' },
        ],
        confirmedYears: [],
      },
      now,
    );
  });

  it('notices a change made by another instance through the version', async () => {
    const { calendar: before } = await loadCalendar(database);
    expect(before.day('2026-03-03').kind).toBe('workday');
    // another instance writes: row + version bump, without touching this process's cache
    await database.db
      .insertInto('calendar_overrides')
      .values({ date: '2026-03-03', kind: 'holiday', note: '台风停工', updated_by: 'u-other' })
      .execute();
    await database.db
      .updateTable('calendar_settings')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .execute();
    expect((await loadCalendar(database)).calendar).toBe(before); // within the recheck window: cached
    const { calendar: after } = await loadCalendar(database, { recheckMs: 0 });
    expect(after.day('2026-03-03')).toMatchObject({ kind: 'holiday', name: '台风停工' });
    await database.db.deleteFrom('calendar_overrides').where('date', '=', '2026-03-03').execute();
    invalidateCalendar(database);
    expect((await loadCalendar(database)).calendar.day('2026-03-03').kind).toBe('workday');
  });

  it('limits the day list to a year and validates its dates', async () => {
    expect(await listCalendarDays(database, '2028-01-01', '2028-12-31')).toHaveLength(366);
    await expect(listCalendarDays(database, '2026-01-01', '2027-01-02')).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(listCalendarDays(database, '2026-03-02', '2026-03-01')).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(listCalendarDays(database, '2026-02-30', '2026-03-01')).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});
