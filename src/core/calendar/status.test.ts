import { describe, expect, it } from 'vitest';
import { deadlineColour, elapsed, isOverdue, overrunMultiple } from './deadline.ts';
import { deadlineStatus } from './status.ts';
import { formatShanghai, parseInstant } from './time.ts';
import { createWorkingCalendar } from './working-calendar.ts';

const cal = createWorkingCalendar();
const bj = (text: string): Date => parseInstant(text)!;

describe('deadline colour', () => {
  it('is green below 80 %, yellow from 80 % to the limit, red past it', () => {
    expect(deadlineColour(10, 0)).toBe('green');
    expect(deadlineColour(10, 7.99)).toBe('green');
    expect(deadlineColour(10, 8)).toBe('yellow');
    expect(deadlineColour(10, 10)).toBe('yellow');
    expect(deadlineColour(10, 10.001)).toBe('red');
    expect(deadlineColour(4, 3.2)).toBe('yellow');
  });

  it('is not fooled by float noise at the thresholds', () => {
    const used = elapsed(cal, bj('2026-03-02 09:00'), bj('2026-03-02 13:12'), 'work_hour'); // 3.2 of 4
    expect(deadlineColour(4, used)).toBe('yellow');
    expect(deadlineColour(0.3, 0.1 + 0.2)).toBe('yellow');
    expect(isOverdue(0.3, 0.1 + 0.2)).toBe(false);
  });
});

describe('overrun multiple 超时倍数', () => {
  it('is (used − limit) / limit once overdue, 0 before', () => {
    expect(overrunMultiple(4, 6)).toBe(0.5);
    expect(overrunMultiple(4, 12)).toBe(2);
    expect(overrunMultiple(4, 4)).toBe(0);
    expect(overrunMultiple(4, 1)).toBe(0);
    expect(overrunMultiple(0, 1)).toBe(Infinity);
    expect(overrunMultiple(0, 0)).toBe(0);
  });
});

describe('deadline status', () => {
  // exposed rubbish (暴露垃圾): 4 work hours, dispatched the afternoon before National Day
  const spec = { start: bj('2026-09-30 16:00'), amount: 4, unit: 'work_hour' as const };

  it('is green, then yellow, then red as working time passes', () => {
    const early = deadlineStatus(cal, spec, bj('2026-10-05 12:00'));
    expect(early).toMatchObject({
      limit: 4,
      used: 1.5,
      remaining: 2.5,
      colour: 'green',
      overdue: false,
      overrunMultiple: 0,
      suspended: false,
      provisional: false,
    });
    expect(formatShanghai(early.due!)).toBe('2026-10-08T11:30:00+08:00');
    expect(deadlineStatus(cal, spec, bj('2026-10-08 10:48')).colour).toBe('yellow'); // 3.2 h
    expect(deadlineStatus(cal, spec, bj('2026-10-08 11:30'))).toMatchObject({
      colour: 'yellow',
      overdue: false,
      remaining: 0,
    });
    const late = deadlineStatus(cal, spec, bj('2026-10-08 14:30'));
    expect(late).toMatchObject({ used: 6, colour: 'red', overdue: true, overrunMultiple: 0.5 });
  });

  it('is red one millisecond after the due date', () => {
    const justAfter = new Date(bj('2026-10-08 11:30').getTime() + 1);
    expect(deadlineStatus(cal, spec, justAfter)).toMatchObject({ colour: 'red', overdue: true });
  });

  it('a suspension stops the clock and moves the due date', () => {
    const suspended = {
      ...spec,
      pauses: [{ start: bj('2026-10-08 09:30'), end: bj('2026-10-09 09:30') }],
    };
    const during = deadlineStatus(cal, suspended, bj('2026-10-08 16:00'));
    expect(during).toMatchObject({ used: 2, suspended: true, colour: 'green' });
    expect(formatShanghai(during.due!)).toBe('2026-10-09T11:30:00+08:00');
  });

  it('an open suspension has no due date while it lasts', () => {
    const open = { ...spec, pauses: [{ start: bj('2026-10-08 09:30'), end: null }] };
    const s = deadlineStatus(cal, open, bj('2026-10-20 10:00'));
    expect(s).toMatchObject({ due: null, used: 2, suspended: true, colour: 'green', overdue: false });
  });

  it('an approved extension (延期) moves the due date and the limit', () => {
    const extended = { ...spec, extensions: [2] };
    const s = deadlineStatus(cal, extended, bj('2026-10-08 12:30'));
    expect(s).toMatchObject({ limit: 6, used: 4.5, colour: 'green', overdue: false });
    expect(formatShanghai(s.due!)).toBe('2026-10-08T14:30:00+08:00');
  });

  it('20 working days for illegal construction, checked on a 调休 Saturday', () => {
    const s = deadlineStatus(
      cal,
      { start: bj('2026-09-21 09:00'), amount: 20, unit: 'work_day' },
      bj('2026-10-10 09:00'),
    );
    expect(s.used).toBe(9);
    expect(s.colour).toBe('green');
    expect(formatShanghai(s.due!)).toBe('2026-10-26T09:00:00+08:00');
  });

  it('is provisional when the deadline reaches into 2027', () => {
    const s = deadlineStatus(
      cal,
      { start: bj('2026-12-28 09:00'), amount: 10, unit: 'work_day' },
      bj('2026-12-29 09:00'),
    );
    expect(s.provisional).toBe(true);
    expect(s.used).toBe(1);
  });

  it('rejects negative extensions', () => {
    expect(() => deadlineStatus(cal, { ...spec, extensions: [-1] }, bj('2026-10-08 10:00'))).toThrow(
      /Extension/,
    );
  });
});
