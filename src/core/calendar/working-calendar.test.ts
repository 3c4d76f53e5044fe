import { describe, expect, it } from 'vitest';
import { EMPTY_SCHEDULE } from './official.ts';
import { createWorkingCalendar, parseSegments } from './working-calendar.ts';

const pick = (d: {
  kind: string;
  source: string;
  name: string | null;
  provisional: boolean;
  workday: boolean;
}) => ({
  kind: d.kind,
  workday: d.workday,
  source: d.source,
  name: d.name,
  provisional: d.provisional,
});

describe('working calendar — published year (2026)', () => {
  const cal = createWorkingCalendar();

  it('classifies ordinary days by the weekday rule', () => {
    expect(pick(cal.day('2026-03-02'))).toEqual({
      kind: 'workday',
      workday: true,
      source: 'weekday_rule',
      name: null,
      provisional: false,
    });
    expect(pick(cal.day('2026-03-07'))).toEqual({
      kind: 'weekend',
      workday: false,
      source: 'weekday_rule',
      name: null,
      provisional: false,
    });
  });

  it('knows holidays, including the weekend days inside a holiday span', () => {
    expect(pick(cal.day('2026-02-16'))).toEqual({
      kind: 'holiday',
      workday: false,
      source: 'official',
      name: '春节',
      provisional: false,
    });
    expect(cal.day('2026-02-21').kind).toBe('holiday'); // Saturday inside 春节
    expect(cal.day('2026-10-07').kind).toBe('holiday');
    expect(cal.day('2026-10-08').kind).toBe('workday');
  });

  it('knows the make-up working weekends (调休)', () => {
    expect(pick(cal.day('2026-02-14'))).toEqual({
      kind: 'makeup_workday',
      workday: true,
      source: 'official',
      name: '春节',
      provisional: false,
    });
    expect(cal.day('2026-09-20').kind).toBe('makeup_workday'); // a Sunday
    expect(cal.day('2026-10-10').kind).toBe('makeup_workday');
  });

  it('lists a range of days, both ends included', () => {
    const days = cal.days('2026-02-13', '2026-02-24');
    expect(days).toHaveLength(12);
    expect(days.map((d) => d.workday)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
    expect(cal.days('2026-02-13', '2026-02-12')).toEqual([]);
  });
});

describe('working calendar — unpublished year (2027)', () => {
  const cal = createWorkingCalendar();

  it('is provisional and applies statutory holidays instead of all-weekdays-working', () => {
    expect(cal.isProvisionalYear(2027)).toBe(true);
    expect(cal.isProvisionalYear(2026)).toBe(false);
    expect(pick(cal.day('2027-01-01'))).toEqual({
      kind: 'holiday',
      workday: false,
      source: 'statutory_fallback',
      name: '元旦',
      provisional: true,
    });
    expect(cal.day('2027-02-05').kind).toBe('holiday'); // 除夕, a Friday
    expect(cal.day('2027-02-08').kind).toBe('holiday'); // 正月初三, a Monday
    expect(cal.day('2027-04-05').name).toBe('清明');
    expect(cal.day('2027-06-09').name).toBe('端午');
    expect(cal.day('2027-09-15').name).toBe('中秋');
    expect(cal.day('2027-10-01').kind).toBe('holiday');
    expect(pick(cal.day('2027-03-01'))).toEqual({
      kind: 'workday',
      workday: true,
      source: 'weekday_rule',
      name: null,
      provisional: true,
    });
    expect(pick(cal.day('2027-03-06'))).toEqual({
      kind: 'weekend',
      workday: false,
      source: 'weekday_rule',
      name: null,
      provisional: true,
    });
  });

  it('takes admin overrides as definitive', () => {
    const withOverrides = createWorkingCalendar({
      overrides: [
        { date: '2027-02-09', kind: 'holiday', note: '春节（国务院通知）' },
        { date: '2027-02-20', kind: 'workday', note: '春节调休上班' },
        { date: '2027-01-01', kind: 'workday', note: '' },
      ],
    });
    expect(pick(withOverrides.day('2027-02-09'))).toEqual({
      kind: 'holiday',
      workday: false,
      source: 'override',
      name: '春节（国务院通知）',
      provisional: false,
    });
    expect(pick(withOverrides.day('2027-02-20'))).toEqual({
      kind: 'makeup_workday',
      workday: true,
      source: 'override',
      name: '春节调休上班',
      provisional: false,
    });
    expect(pick(withOverrides.day('2027-01-01'))).toEqual({
      kind: 'workday',
      workday: true,
      source: 'override',
      name: null,
      provisional: false,
    });
    expect(withOverrides.day('2027-02-10').provisional).toBe(true);
  });

  it('drops the fallback once an admin confirms the year is fully entered', () => {
    const confirmed = createWorkingCalendar({
      confirmedYears: [2027],
      overrides: [{ date: '2027-01-01', kind: 'holiday', note: '元旦' }],
    });
    expect(confirmed.isProvisionalYear(2027)).toBe(false);
    expect(pick(confirmed.day('2027-01-01'))).toEqual({
      kind: 'holiday',
      workday: false,
      source: 'override',
      name: '元旦',
      provisional: false,
    });
    expect(pick(confirmed.day('2027-05-03'))).toEqual({
      kind: 'workday',
      workday: true,
      source: 'weekday_rule',
      name: null,
      provisional: false,
    });
    expect(confirmed.day('2027-10-01').kind).toBe('workday'); // not entered → weekday rule, by the admin's word
  });
});

describe('working calendar — overrides in a published year', () => {
  it('override beats the official schedule', () => {
    const cal = createWorkingCalendar({
      overrides: [
        { date: '2026-10-07', kind: 'workday', note: '防汛值守' },
        { date: '2026-03-03', kind: 'holiday', note: '区级停工' },
      ],
    });
    expect(pick(cal.day('2026-10-07'))).toEqual({
      kind: 'workday',
      workday: true,
      source: 'override',
      name: '防汛值守',
      provisional: false,
    });
    expect(cal.day('2026-03-03').kind).toBe('holiday');
  });

  it('rejects malformed overrides', () => {
    expect(() =>
      createWorkingCalendar({ overrides: [{ date: '2026-02-30', kind: 'holiday', note: '' }] }),
    ).toThrow(/calendar date/);
    expect(() =>
      createWorkingCalendar({ overrides: [{ date: '2026-03-03', kind: 'weekend' as 'holiday', note: '' }] }),
    ).toThrow(/workday or holiday/);
  });

  it('without an official schedule, every year is provisional', () => {
    const bare = createWorkingCalendar({ official: EMPTY_SCHEDULE });
    expect(bare.day('2026-02-14')).toMatchObject({ kind: 'weekend', provisional: true });
    expect(bare.day('2026-10-01')).toMatchObject({ kind: 'holiday', source: 'statutory_fallback' });
  });
});

describe('working segments', () => {
  it('defaults to 09:00–12:00 and 13:00–17:30 (7.5 h)', () => {
    const cal = createWorkingCalendar();
    expect(cal.segments).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:30' },
    ]);
    expect(cal.workdayMinutes).toBe(450);
  });

  it('accepts ordered, non-overlapping segments (touching allowed, 24:00 as an end)', () => {
    expect(
      parseSegments([
        { start: '00:00', end: '12:00' },
        { start: '12:00', end: '24:00' },
      ]),
    ).toEqual([
      { startMs: 0, endMs: 12 * 3_600_000 },
      { startMs: 12 * 3_600_000, endMs: 24 * 3_600_000 },
    ]);
  });

  it('rejects empty, reversed, overlapping, unordered or malformed segments', () => {
    expect(() => parseSegments([])).toThrow(/At least one/);
    expect(() => parseSegments([{ start: '12:00', end: '09:00' }])).toThrow(/ends before/);
    expect(() => parseSegments([{ start: '09:00', end: '09:00' }])).toThrow(/ends before/);
    expect(() =>
      parseSegments([
        { start: '09:00', end: '12:00' },
        { start: '11:00', end: '17:00' },
      ]),
    ).toThrow(/overlap/);
    expect(() =>
      parseSegments([
        { start: '13:00', end: '17:00' },
        { start: '09:00', end: '12:00' },
      ]),
    ).toThrow(/overlap/);
    expect(() => parseSegments([{ start: '9:00', end: '12:00' }])).toThrow(/HH:MM/);
    expect(() => parseSegments([{ start: '09:60', end: '12:00' }])).toThrow(/HH:MM/);
    expect(() => parseSegments([{ start: '09:00', end: '24:30' }])).toThrow(/HH:MM/);
  });
});
