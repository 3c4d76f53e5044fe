import { describe, expect, it } from 'vitest';
import {
  addDays,
  dateKeyOf,
  dayStartMs,
  daysBetween,
  formatShanghai,
  isDateKey,
  parseInstant,
  weekdayOf,
} from './time.ts';

describe('Beijing time helpers', () => {
  it('takes the Beijing date of an instant, not the UTC one', () => {
    expect(dateKeyOf(new Date('2026-02-13T15:59:59.999Z'))).toBe('2026-02-13');
    expect(dateKeyOf(new Date('2026-02-13T16:00:00Z'))).toBe('2026-02-14');
    expect(dateKeyOf(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });

  it('finds local midnight', () => {
    expect(new Date(dayStartMs('2026-10-01')).toISOString()).toBe('2026-09-30T16:00:00.000Z');
  });

  it('moves dates across months, leap days and years', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2026-09-30', '2026-10-08')).toBe(8);
    expect(daysBetween('2026-10-08', '2026-09-30')).toBe(-8);
  });

  it('knows the day of the week', () => {
    expect(weekdayOf('2026-02-14')).toBe(6); // 调休 Saturday
    expect(weekdayOf('2026-02-13')).toBe(5);
    expect(weekdayOf('2027-01-01')).toBe(5);
  });

  it('rejects impossible dates', () => {
    expect(isDateKey('2026-02-29')).toBe(false);
    expect(isDateKey('2028-02-29')).toBe(true);
    expect(isDateKey('2026-13-01')).toBe(false);
    expect(isDateKey('2026-1-1')).toBe(false);
    expect(() => addDays('nope', 1)).toThrow(/calendar date/);
  });

  it('formats with the +08:00 offset, milliseconds only when present', () => {
    expect(formatShanghai(new Date('2026-10-08T03:30:00Z'))).toBe('2026-10-08T11:30:00+08:00');
    expect(formatShanghai(new Date('2026-10-08T03:30:00.250Z'))).toBe('2026-10-08T11:30:00.250+08:00');
    expect(formatShanghai(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01T00:00:00+08:00');
  });

  it('parses ISO 8601 with any offset; no offset means Beijing time', () => {
    const expected = '2026-09-30T08:00:00.000Z';
    for (const text of [
      '2026-09-30T16:00+08:00',
      '2026-09-30T16:00:00+08:00',
      '2026-09-30T16:00:00.000+0800',
      '2026-09-30T08:00:00Z',
      '2026-09-30T08:00:00z',
      '2026-09-30T03:00:00-05:00',
      '2026-09-30T16:00:00',
      '2026-09-30 16:00',
      '2026-09-30T16:00 08:00', // `+` decoded as a space in a query string
      '2026-09-30T16:00:00 0800',
    ]) {
      expect(parseInstant(text)?.toISOString(), text).toBe(expected);
    }
    expect(parseInstant('2026-09-30T16:00:00.123456+08:00')?.toISOString()).toBe('2026-09-30T08:00:00.123Z');
  });

  it('refuses malformed instants', () => {
    for (const text of [
      '',
      'tomorrow',
      '2026-09-30',
      '2026-02-30T10:00+08:00',
      '2026-09-30T24:00+08:00',
      '2026-09-30T10:60',
      '2026-09-30T10:00+25:00',
      '1696060800',
    ]) {
      expect(parseInstant(text), text).toBeNull();
    }
  });
});
