import { describe, expect, it } from 'vitest';
import { gradeOf } from './definitions.ts';
import { beijingDay, monthOf, parsePeriod, previousPeriod } from './period.ts';

const iso = (key: string) => {
  const p = parsePeriod(key);
  return p && [p.kind, p.from.toISOString(), p.to.toISOString()];
};

describe('periods in Beijing time', () => {
  it('parses months, quarters, years, ISO weeks and ranges', () => {
    expect(iso('2026-11')).toEqual(['month', '2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z']);
    expect(iso('2026-12')).toEqual(['month', '2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z']);
    expect(iso('2026-Q4')).toEqual(['quarter', '2026-09-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z']);
    expect(iso('2026')).toEqual(['year', '2025-12-31T16:00:00.000Z', '2026-12-31T16:00:00.000Z']);
    // ISO week 1 of 2026 starts Monday 29 December 2025; 2026 has 53 weeks
    expect(iso('2026-W01')).toEqual(['week', '2025-12-28T16:00:00.000Z', '2026-01-04T16:00:00.000Z']);
    expect(iso('2026-W53')).toEqual(['week', '2026-12-27T16:00:00.000Z', '2027-01-03T16:00:00.000Z']);
    expect(iso('2026-11-03..2026-11-03')).toEqual([
      'range',
      '2026-11-02T16:00:00.000Z',
      '2026-11-03T16:00:00.000Z',
    ]);
  });

  it('refuses what is not a period', () => {
    for (const bad of [
      '2026-13',
      '2026-00',
      '2026-Q5',
      '2027-W53',
      '2026-W00',
      '1999',
      '2026-02-30..2026-03-01',
      '2026-11-05..2026-11-01',
      '2026-01-01..2027-06-01',
      '2026-1',
      '',
      '２０２６-11',
    ]) {
      expect(parsePeriod(bad), bad).toBeNull();
    }
  });

  it('knows the period before', () => {
    expect(previousPeriod(parsePeriod('2026-01')!).key).toBe('2025-12');
    expect(previousPeriod(parsePeriod('2026-Q1')!).key).toBe('2025-Q4');
    expect(previousPeriod(parsePeriod('2027-W01')!).key).toBe('2026-W53');
    expect(previousPeriod(parsePeriod('2026')!).key).toBe('2025');
    expect(previousPeriod(parsePeriod('2026-11-10..2026-11-19')!).key).toBe('2026-10-31..2026-11-09');
  });

  it('finds the Beijing month and day of an instant', () => {
    expect(monthOf(new Date('2026-10-31T16:00:00Z')).key).toBe('2026-11');
    expect(monthOf(new Date('2026-10-31T15:59:59Z')).key).toBe('2026-10');
    expect(beijingDay(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-01');
  });

  it('grades at the edges', () => {
    expect([100, 90, 89.99, 75, 74.99, 60, 59.99, 40, 39.99, 0].map(gradeOf)).toEqual([
      'A',
      'A',
      'B',
      'B',
      'C',
      'C',
      'D',
      'D',
      'E',
      'E',
    ]);
  });
});
