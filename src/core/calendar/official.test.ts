import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { chineseDaysSchedule, qingmingDate, statutoryHolidays } from './official.ts';

describe('official schedule (chinese-days)', () => {
  const schedule = chineseDaysSchedule();

  it('covers 2004–2026 and not 2027 (not published in the installed package)', () => {
    expect(schedule.years.has(2004)).toBe(true);
    expect(schedule.years.has(2026)).toBe(true);
    expect(schedule.years.has(2027)).toBe(false);
  });

  it('knows 2026 holidays and make-up working days by Chinese name', () => {
    expect(schedule.holidays.get('2026-02-15')).toBe('春节');
    expect(schedule.holidays.get('2026-10-01')).toBe('国庆节');
    expect(schedule.workdays.get('2026-02-14')).toBe('春节');
    expect(schedule.workdays.get('2026-10-10')).toBe('国庆节');
    expect(schedule.holidays.has('2026-03-02')).toBe(false);
  });
});

describe('statutory holidays (fallback for unpublished years)', () => {
  const schedule = chineseDaysSchedule();

  it('lists the thirteen statutory days of 2027 with lunar festivals resolved', () => {
    const { holidays, lunarKnown } = statutoryHolidays(2027);
    expect(lunarKnown).toBe(true);
    expect(holidays).toEqual([
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-02-05', name: '春节' }, // 除夕
      { date: '2027-02-06', name: '春节' }, // 正月初一
      { date: '2027-02-07', name: '春节' },
      { date: '2027-02-08', name: '春节' },
      { date: '2027-04-05', name: '清明' },
      { date: '2027-05-01', name: '劳动节' },
      { date: '2027-05-02', name: '劳动节' },
      { date: '2027-06-09', name: '端午' },
      { date: '2027-09-15', name: '中秋' },
      { date: '2027-10-01', name: '国庆节' },
      { date: '2027-10-02', name: '国庆节' },
      { date: '2027-10-03', name: '国庆节' },
    ]);
  });

  it('agrees with the published schedules under the current rules (2025, 2026)', () => {
    for (const year of [2025, 2026]) {
      for (const h of statutoryHolidays(year).holidays) {
        expect(schedule.holidays.get(h.date), `${year}: ${h.date} ${h.name}`).toBe(h.name);
      }
    }
  });

  it('puts the lunar festivals and 清明 on days the published schedules give off (2008–2026)', () => {
    for (let year = 2008; year <= 2026; year++) {
      const lunar = statutoryHolidays(year).holidays.filter((h) => ['清明', '端午', '中秋'].includes(h.name));
      const newYear = statutoryHolidays(year).holidays.filter((h) => h.name === '春节')[1]; // 正月初一
      for (const h of [...lunar, newYear!]) {
        // a day off: listed as a holiday, or a weekend not turned into a working day (the data omits
        // 2012-06-23, a Saturday inside that year's 端午 break); 2020's 中秋 is listed under 国庆节
        const weekday = new Date(`${h.date}T00:00:00Z`).getUTCDay();
        const off =
          schedule.holidays.has(h.date) ||
          ((weekday === 0 || weekday === 6) && !schedule.workdays.has(h.date));
        expect(off, `${year}: ${h.date} ${h.name}`).toBe(true);
      }
    }
  });

  it('computes 清明 like chinese-days does, 2000–2099', () => {
    // chinese-days' own formatting is only right at or east of UTC; the suite runs with TZ=UTC
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBeLessThanOrEqual(0);
    for (let year = 2000; year <= 2099; year++) {
      expect(qingmingDate(year), String(year)).toBe(chineseDays.getSolarTermDate(year, 4, 'pure_brightness'));
    }
  });

  it('does not depend on the host time zone', () => {
    const before = process.env.TZ;
    const utc = [2027, 2031, 2045, 2099].map((y) => statutoryHolidays(y));
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'America/St_Johns']) {
        process.env.TZ = tz;
        expect(new Date(2027, 0, 1).getTimezoneOffset(), tz).not.toBe(0); // the zone really changed
        expect(
          [2027, 2031, 2045, 2099].map((y) => statutoryHolidays(y)),
          tz,
        ).toEqual(utc);
      }
    } finally {
      process.env.TZ = before;
    }
  });

  it('keeps only fixed-date holidays where lunar dates are not computed', () => {
    const { holidays, lunarKnown } = statutoryHolidays(2150);
    expect(lunarKnown).toBe(false);
    expect(holidays.map((h) => h.date)).toEqual([
      '2150-01-01',
      '2150-05-01',
      '2150-05-02',
      '2150-10-01',
      '2150-10-02',
      '2150-10-03',
    ]);
  });
});
