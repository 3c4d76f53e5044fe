import { describe, expect, it } from 'vitest';
import {
  addDuration,
  computeDue,
  dueWithPauses,
  elapsed,
  measureElapsed,
  type TimeUnit,
} from './deadline.ts';
import { formatShanghai, parseInstant } from './time.ts';
import { createWorkingCalendar } from './working-calendar.ts';

const cal = createWorkingCalendar();

/** A Beijing wall-clock time, e.g. bj('2026-09-30 16:00'). */
const bj = (text: string): Date => {
  const d = parseInstant(text);
  if (!d) throw new Error(`bad test time ${text}`);
  return d;
};
const due = (start: string, amount: number, unit: TimeUnit, calendar = cal) =>
  formatShanghai(addDuration(calendar, bj(start), amount, unit));
const iso = (text: string) => formatShanghai(bj(text));

describe('acceptance examples (DESIGN §5)', () => {
  it('4 work_hour from the afternoon before National Day → 11:30 on the first day back', () => {
    expect(due('2026-09-30T16:00+08:00', 4, 'work_hour')).toBe('2026-10-08T11:30:00+08:00');
  });

  it('2 work_day from Friday 10:00 counts the 调休 Saturday 2026-02-14', () => {
    expect(due('2026-02-13T10:00+08:00', 2, 'work_day')).toBe('2026-02-24T10:00:00+08:00');
  });
});

describe('work_hour 工作时', () => {
  it('runs inside one segment', () => {
    expect(due('2026-03-02 09:00', 2, 'work_hour')).toBe(iso('2026-03-02 11:00'));
  });

  it('skips the lunch break', () => {
    expect(due('2026-03-02 11:00', 2, 'work_hour')).toBe(iso('2026-03-02 14:00'));
    expect(due('2026-03-02 11:59', 1, 'work_hour')).toBe(iso('2026-03-02 13:59'));
  });

  it('is due at the end of a segment when the limit runs out there (12:00, not 13:00)', () => {
    expect(due('2026-03-02 10:00', 2, 'work_hour')).toBe(iso('2026-03-02 12:00'));
    expect(due('2026-03-02 09:00', 7.5, 'work_hour')).toBe(iso('2026-03-02 17:30'));
  });

  it('starting in the lunch break counts from 13:00', () => {
    expect(due('2026-03-02 12:30', 1, 'work_hour')).toBe(iso('2026-03-02 14:00'));
  });

  it('starting before working hours counts from 09:00', () => {
    expect(due('2026-03-02 07:15', 1, 'work_hour')).toBe(iso('2026-03-02 10:00'));
    expect(due('2026-03-02 00:00', 3, 'work_hour')).toBe(iso('2026-03-02 12:00'));
  });

  it('starting after working hours counts from the next working morning', () => {
    expect(due('2026-03-02 18:00', 1, 'work_hour')).toBe(iso('2026-03-03 10:00'));
    expect(due('2026-03-02 17:30', 1, 'work_hour')).toBe(iso('2026-03-03 10:00'));
    expect(due('2026-03-02 23:59', 0.5, 'work_hour')).toBe(iso('2026-03-03 09:30'));
  });

  it('carries over a full day (7.5 h) to the next', () => {
    expect(due('2026-03-02 09:00', 8, 'work_hour')).toBe(iso('2026-03-03 09:30'));
    expect(due('2026-03-02 16:00', 9, 'work_hour')).toBe(iso('2026-03-03 17:30'));
    expect(due('2026-03-02 16:00', 9.25, 'work_hour')).toBe(iso('2026-03-04 09:15'));
  });

  it('skips the weekend', () => {
    expect(due('2026-03-06 17:00', 1, 'work_hour')).toBe(iso('2026-03-09 09:30'));
    expect(due('2026-03-07 10:00', 1, 'work_hour')).toBe(iso('2026-03-09 10:00'));
  });

  it('works on a 调休 Saturday', () => {
    expect(due('2026-02-13 17:00', 1, 'work_hour')).toBe(iso('2026-02-14 09:30'));
    expect(due('2026-10-09 17:00', 1, 'work_hour')).toBe(iso('2026-10-10 09:30'));
    expect(due('2026-09-19 10:00', 1, 'work_hour')).toBe(iso('2026-09-20 10:00')); // plain Sat → 调休 Sun
    expect(due('2026-09-18 17:00', 1, 'work_hour')).toBe(iso('2026-09-20 09:30')); // 调休 Sunday
  });

  it('skips a whole holiday span', () => {
    expect(due('2026-10-03 10:00', 4, 'work_hour')).toBe(iso('2026-10-08 14:00'));
    expect(due('2026-02-14 16:00', 2, 'work_hour')).toBe(iso('2026-02-24 09:30'));
  });

  it('handles fractional hours to the millisecond', () => {
    expect(due('2026-03-02 09:00', 0.25, 'work_hour')).toBe(iso('2026-03-02 09:15'));
    expect(formatShanghai(addDuration(cal, bj('2026-03-02 09:00'), 1 / 3600 / 1000, 'work_hour'))).toBe(
      '2026-03-02T09:00:00.001+08:00',
    );
  });

  it('a zero limit is due at once', () => {
    expect(due('2026-03-07 10:00', 0, 'work_hour')).toBe(iso('2026-03-07 10:00'));
  });

  it('follows custom working segments', () => {
    const shifts = createWorkingCalendar({
      segments: [
        { start: '08:30', end: '11:30' },
        { start: '14:00', end: '18:00' },
      ],
    });
    expect(due('2026-03-02 11:00', 1, 'work_hour', shifts)).toBe(iso('2026-03-02 14:30'));
    expect(due('2026-03-02 17:00', 2, 'work_hour', shifts)).toBe(iso('2026-03-03 09:30'));
    const roundTheClock = createWorkingCalendar({ segments: [{ start: '00:00', end: '24:00' }] });
    expect(due('2026-03-06 20:00', 6, 'work_hour', roundTheClock)).toBe(iso('2026-03-09 02:00'));
  });
});

describe('work_day 工作日', () => {
  it('is due at the same clock time on the N-th following working day', () => {
    expect(due('2026-03-02 10:00', 1, 'work_day')).toBe(iso('2026-03-03 10:00'));
    expect(due('2026-03-06 10:00', 1, 'work_day')).toBe(iso('2026-03-09 10:00'));
    expect(due('2026-03-02 14:37', 5, 'work_day')).toBe(iso('2026-03-09 14:37'));
  });

  it('keeps the clock time when started outside working hours on a working day', () => {
    expect(due('2026-03-06 20:00', 1, 'work_day')).toBe(iso('2026-03-09 20:00'));
    expect(due('2026-03-02 07:00', 1, 'work_day')).toBe(iso('2026-03-03 07:00'));
  });

  it('started on a non-working day, allows the whole N-th working day (due 24:00)', () => {
    expect(due('2026-03-07 15:00', 1, 'work_day')).toBe(iso('2026-03-10 00:00'));
    expect(due('2026-10-03 10:00', 1, 'work_day')).toBe(iso('2026-10-09 00:00'));
    expect(due('2026-10-03 10:00', 2, 'work_day')).toBe(iso('2026-10-10 00:00'));
  });

  it('counts 调休 weekends and skips holidays: 20 working days over National Day', () => {
    // 9-22 23 24 | 9-25..27 中秋 | 9-28 29 30 | 10-01..07 国庆 | 10-08 09 10(调休 Sat) 12…16 19…23 26
    expect(due('2026-09-21 09:00', 20, 'work_day')).toBe(iso('2026-10-26 09:00'));
  });

  it('half a working day is twelve hours of a working day', () => {
    expect(due('2026-03-02 10:00', 0.5, 'work_day')).toBe(iso('2026-03-02 22:00'));
    expect(due('2026-03-06 20:00', 0.5, 'work_day')).toBe(iso('2026-03-09 08:00'));
  });
});

describe('urgent_hour 紧急时 and natural_day 自然日', () => {
  it('run around the clock, holidays included', () => {
    expect(due('2026-09-30 16:00', 24, 'urgent_hour')).toBe(iso('2026-10-01 16:00'));
    expect(due('2026-09-30 23:50', 0.5, 'urgent_hour')).toBe(iso('2026-10-01 00:20'));
    expect(due('2026-02-13 10:00', 3, 'natural_day')).toBe(iso('2026-02-16 10:00'));
    expect(due('2026-12-30 10:00', 3, 'natural_day')).toBe(iso('2027-01-02 10:00'));
  });

  it('are never provisional', () => {
    expect(computeDue(cal, bj('2027-01-01 00:00'), 72, 'urgent_hour').provisional).toBe(false);
    expect(computeDue(cal, bj('2027-01-01 00:00'), 3, 'natural_day').provisional).toBe(false);
  });
});

describe('the provisional year 2027', () => {
  it('a deadline inside 2026 is not provisional; one reaching into 2027 is', () => {
    expect(computeDue(cal, bj('2026-12-30 10:00'), 2, 'work_hour').provisional).toBe(false);
    const r = computeDue(cal, bj('2026-12-31 17:00'), 1, 'work_hour');
    // 1 Jan 2027 (Fri) is a statutory holiday, 2–3 Jan the weekend
    expect(formatShanghai(r.due!)).toBe('2027-01-04T09:30:00+08:00');
    expect(r.provisional).toBe(true);
  });

  it('keeps statutory holidays: 春节 (除夕–初三), 清明, 劳动节, 端午, 中秋, 国庆', () => {
    expect(due('2027-02-04 10:00', 1, 'work_day')).toBe(iso('2027-02-09 10:00'));
    expect(due('2027-04-02 17:00', 1, 'work_hour')).toBe(iso('2027-04-06 09:30'));
    expect(due('2027-04-30 10:00', 1, 'work_day')).toBe(iso('2027-05-03 10:00'));
    expect(due('2027-06-08 17:00', 1, 'work_hour')).toBe(iso('2027-06-10 09:30'));
    expect(due('2027-09-14 10:00', 1, 'work_day')).toBe(iso('2027-09-16 10:00'));
    expect(due('2027-09-30 10:00', 1, 'work_day')).toBe(iso('2027-10-04 10:00'));
  });

  it('stops being provisional where an admin has entered the schedule', () => {
    const entered = createWorkingCalendar({ confirmedYears: [2027] });
    const r = computeDue(entered, bj('2026-12-31 17:00'), 1, 'work_hour');
    expect(formatShanghai(r.due!)).toBe('2027-01-01T09:30:00+08:00');
    expect(r.provisional).toBe(false);
  });
});

describe('elapsed (time used)', () => {
  it('measures work hours across lunch, nights and weekends', () => {
    expect(elapsed(cal, bj('2026-03-02 11:00'), bj('2026-03-02 14:00'), 'work_hour')).toBe(2);
    expect(elapsed(cal, bj('2026-03-06 17:00'), bj('2026-03-09 10:00'), 'work_hour')).toBe(1.5);
    expect(elapsed(cal, bj('2026-09-30 16:00'), bj('2026-10-08 11:30'), 'work_hour')).toBe(4);
    expect(elapsed(cal, bj('2026-03-02 12:10'), bj('2026-03-02 12:50'), 'work_hour')).toBe(0);
  });

  it('measures working days including a 调休 Saturday', () => {
    expect(elapsed(cal, bj('2026-02-13 10:00'), bj('2026-02-14 10:00'), 'work_day')).toBe(1);
    expect(elapsed(cal, bj('2026-02-13 10:00'), bj('2026-02-20 10:00'), 'work_day')).toBeCloseTo(38 / 24, 12);
    expect(elapsed(cal, bj('2026-02-13 10:00'), bj('2026-02-24 10:00'), 'work_day')).toBe(2);
  });

  it('measures clock hours and calendar days', () => {
    expect(elapsed(cal, bj('2026-09-30 16:00'), bj('2026-10-01 04:00'), 'urgent_hour')).toBe(12);
    expect(elapsed(cal, bj('2026-09-30 16:00'), bj('2026-10-01 04:00'), 'natural_day')).toBe(0.5);
  });

  it('is zero when `to` is not after `from`', () => {
    expect(elapsed(cal, bj('2026-03-02 14:00'), bj('2026-03-02 10:00'), 'work_hour')).toBe(0);
    expect(elapsed(cal, bj('2026-03-02 14:00'), bj('2026-03-02 14:00'), 'urgent_hour')).toBe(0);
  });

  it('reports provisional when it crosses into 2027', () => {
    expect(measureElapsed(cal, bj('2026-12-31 09:00'), bj('2026-12-31 18:00'), 'work_hour').provisional).toBe(
      false,
    );
    expect(measureElapsed(cal, bj('2026-12-31 09:00'), bj('2027-01-01 00:00'), 'work_hour').provisional).toBe(
      false,
    );
    expect(measureElapsed(cal, bj('2026-12-31 09:00'), bj('2027-01-04 10:00'), 'work_hour')).toEqual({
      value: 8.5,
      provisional: true,
    });
  });

  it('is the inverse of the due date, for every unit, start and amount (seeded sweep 2026–2027)', () => {
    let seed = 20260214;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const units: TimeUnit[] = ['urgent_hour', 'work_hour', 'work_day', 'natural_day'];
    const base = bj('2026-01-01 00:00').getTime();
    for (let i = 0; i < 400; i++) {
      const start = new Date(base + Math.floor(random() * 730 * 24 * 60) * 60_000);
      const unit = units[i % 4]!;
      const amount = Math.round(random() * 400) / 8; // 0 … 50 in eighths
      const d = addDuration(cal, start, amount, unit);
      expect(d.getTime()).toBeGreaterThanOrEqual(start.getTime());
      expect(elapsed(cal, start, d, unit), `${formatShanghai(start)} + ${amount} ${unit}`).toBeCloseTo(
        amount,
        9,
      );
      // the earliest such instant: a minute earlier the limit is not yet reached
      if (amount > 0) expect(elapsed(cal, start, new Date(d.getTime() - 60_000), unit)).toBeLessThan(amount);
    }
  });
});

describe('suspension (挂账) stops the clock', () => {
  const pause = (from: string, to: string | null) => ({ start: bj(from), end: to === null ? null : bj(to) });

  it('moves the due date by the working time paused', () => {
    const d = dueWithPauses(cal, bj('2026-03-02 09:00'), 4, 'work_hour', [
      pause('2026-03-02 10:00', '2026-03-02 11:00'),
    ]);
    expect(formatShanghai(d!)).toBe(iso('2026-03-02 15:00'));
  });

  it('a pause outside working time changes nothing for work hours', () => {
    const d = dueWithPauses(cal, bj('2026-03-02 16:00'), 4, 'work_hour', [
      pause('2026-03-02 18:00', '2026-03-03 08:00'),
    ]);
    expect(formatShanghai(d!)).toBe(due('2026-03-02 16:00', 4, 'work_hour'));
  });

  it('a pause over a whole working day adds one working day', () => {
    const d = dueWithPauses(cal, bj('2026-03-02 10:00'), 1, 'work_day', [
      pause('2026-03-03 00:00', '2026-03-04 00:00'),
    ]);
    expect(formatShanghai(d!)).toBe(iso('2026-03-04 10:00'));
  });

  it('stops clock hours too; overlapping and unsorted pauses are merged', () => {
    const d = dueWithPauses(cal, bj('2026-03-02 10:00'), 24, 'urgent_hour', [
      pause('2026-03-02 13:00', '2026-03-02 14:00'),
      pause('2026-03-02 12:00', '2026-03-02 13:30'),
    ]);
    expect(formatShanghai(d!)).toBe(iso('2026-03-03 12:00'));
  });

  it('a pause before the start or after the due date changes nothing', () => {
    const d = dueWithPauses(cal, bj('2026-03-02 09:00'), 2, 'work_hour', [
      pause('2026-03-01 09:00', '2026-03-02 09:00'),
      pause('2026-03-02 11:00', '2026-03-02 16:00'),
    ]);
    expect(formatShanghai(d!)).toBe(iso('2026-03-02 11:00'));
  });

  it('an open suspension leaves no due date, unless the limit is reached before it', () => {
    expect(
      dueWithPauses(cal, bj('2026-03-02 09:00'), 4, 'work_hour', [pause('2026-03-02 10:00', null)]),
    ).toBeNull();
    expect(
      dueWithPauses(cal, bj('2026-03-02 09:00'), 4, 'urgent_hour', [pause('2026-03-01 10:00', null)]),
    ).toBeNull();
    const d = dueWithPauses(cal, bj('2026-03-02 09:00'), 1, 'work_hour', [pause('2026-03-02 10:00', null)]);
    expect(formatShanghai(d!)).toBe(iso('2026-03-02 10:00'));
  });

  it('elapsed excludes paused time, open pauses up to `to`', () => {
    const pauses = [pause('2026-03-02 10:00', '2026-03-02 11:00'), pause('2026-03-03 09:00', null)];
    expect(elapsed(cal, bj('2026-03-02 09:00'), bj('2026-03-02 14:00'), 'work_hour', pauses)).toBe(3);
    expect(elapsed(cal, bj('2026-03-02 09:00'), bj('2026-03-05 14:00'), 'work_hour', pauses)).toBe(6.5);
    expect(elapsed(cal, bj('2026-03-02 09:00'), bj('2026-03-02 14:00'), 'urgent_hour', pauses)).toBe(4);
  });
});

describe('input checks', () => {
  it('rejects negative, non-finite amounts, unknown units and invalid times', () => {
    expect(() => addDuration(cal, bj('2026-03-02 09:00'), -1, 'work_hour')).toThrow(/amount/);
    expect(() => addDuration(cal, bj('2026-03-02 09:00'), Number.NaN, 'work_hour')).toThrow(/amount/);
    expect(() => addDuration(cal, bj('2026-03-02 09:00'), Infinity, 'work_day')).toThrow(/amount/);
    expect(() => addDuration(cal, bj('2026-03-02 09:00'), 1, 'week' as TimeUnit)).toThrow(/unit/);
    expect(() => addDuration(cal, new Date(Number.NaN), 1, 'work_hour')).toThrow(/start/);
    expect(() =>
      dueWithPauses(cal, bj('2026-03-02 09:00'), 1, 'work_hour', [
        { start: bj('2026-03-02 11:00'), end: bj('2026-03-02 10:00') },
      ]),
    ).toThrow(/ends before/);
  });

  it('refuses limits decades away instead of looping', () => {
    expect(() => addDuration(cal, bj('2026-03-02 09:00'), 100_000, 'work_day')).toThrow(/days away/);
  });
});
