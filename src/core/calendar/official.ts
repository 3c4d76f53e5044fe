/**
 * Where the working calendar's facts come from: the State Council's published holiday schedule (节假日安排,
 * with its make-up working weekends 调休) as maintained by the `chinese-days` package, and — for years not
 * published yet — the statutory holidays of 《全国年节及纪念日放假办法》 (as amended 2024, in force since
 * 2025), whose dates are fixed (solar or lunar) even before the schedule announces the bridge days.
 */
import chineseDays from 'chinese-days';
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { addDays, parseDateKey, type DateKey } from './time.ts';

/** A published holiday schedule: which years it covers, their holidays and their make-up workdays. */
export interface OfficialSchedule {
  /** Years whose schedule is published (every date in them is decided). */
  years: ReadonlySet<number>;
  /** date → festival name (Chinese), for every day off of a holiday span (weekends inside it too). */
  holidays: ReadonlyMap<DateKey, string>;
  /** date → festival name, for make-up working days (调休上班, usually a Saturday or Sunday). */
  workdays: ReadonlyMap<DateKey, string>;
}

// chinese-days labels a day "English name,中文名,n"; we keep the Chinese name.
const chineseName = (label: string): string => label.split(',')[1] ?? label;

let cached: OfficialSchedule | undefined;

/**
 * The schedule shipped in the installed `chinese-days` package (2004 up to the latest year the State
 * Council has published — upgrading the package is how a new year arrives). Read once and kept.
 */
export function chineseDaysSchedule(): OfficialSchedule {
  if (cached) return cached;
  const data = chineseDaysData as { holidays: Record<string, string>; workdays: Record<string, string> };
  const holidays = new Map(
    Object.entries(data.holidays).map(([d, label]) => [d, chineseName(label)] as const),
  );
  const workdays = new Map(
    Object.entries(data.workdays).map(([d, label]) => [d, chineseName(label)] as const),
  );
  const years = new Set([...holidays.keys()].map((d) => Number(d.slice(0, 4))));
  cached = { years, holidays, workdays };
  return cached;
}

/** An empty schedule (every year unpublished): for tests and for deployments that want no official data. */
export const EMPTY_SCHEDULE: OfficialSchedule = {
  years: new Set(),
  holidays: new Map(),
  workdays: new Map(),
};

/** Years whose lunar-festival and 清明 dates we can compute (the 21st-century solar-term formula). */
export const LUNAR_YEARS = { from: 2000, to: 2099 } as const;

/**
 * The solar date of a lunar (农历) date in lunar year `year` (non-leap month). chinese-days reads and
 * writes the local time of the host; a `Date` built from local parts keeps its arithmetic in one zone,
 * so the answer does not depend on the host time zone (a `YYYY-MM-DD` string input would).
 */
function solarOfLunar(year: number, month: number, day: number): DateKey {
  return chineseDays.getSolarDateFromLunar(new Date(year, month - 1, day)).date;
}

/**
 * 清明 (the solar term Pure Brightness) by the standard 21st-century formula, the same one chinese-days
 * uses (its `getSolarTermDate` formats through a UTC/local mix that breaks west of UTC, so we do not call it).
 */
export function qingmingDate(year: number): DateKey {
  const y = year % 100;
  const day = Math.floor(y * 0.2422 + 4.81) - Math.floor(y / 4);
  return `${year}-04-${String(day).padStart(2, '0')}`;
}

/** One statutory holiday of a year, with whether its date could be determined. */
export interface StatutoryHoliday {
  date: DateKey;
  name: string;
}

/**
 * The statutory public holidays of `year` under the rules in force since 2025: 元旦 1 Jan; 春节 除夕 and
 * 正月初一–初三; 清明 (solar term); 劳动节 1–2 May; 端午 (五月初五); 中秋 (八月十五); 国庆节 1–3 Oct.
 * Bridge days and make-up working weekends are not statutory: only the published schedule knows them.
 * Lunar and solar-term dates are known for 2000–2099; outside that range only the fixed-date holidays
 * are returned (`lunarKnown: false`).
 */
export function statutoryHolidays(year: number): { holidays: StatutoryHoliday[]; lunarKnown: boolean } {
  const holidays: StatutoryHoliday[] = [
    { date: `${year}-01-01`, name: '元旦' },
    { date: `${year}-05-01`, name: '劳动节' },
    { date: `${year}-05-02`, name: '劳动节' },
    { date: `${year}-10-01`, name: '国庆节' },
    { date: `${year}-10-02`, name: '国庆节' },
    { date: `${year}-10-03`, name: '国庆节' },
  ];
  const lunarKnown = year >= LUNAR_YEARS.from && year <= LUNAR_YEARS.to;
  if (lunarKnown) {
    const newYear = solarOfLunar(year, 1, 1);
    for (let i = -1; i <= 2; i++) holidays.push({ date: addDays(newYear, i), name: '春节' });
    holidays.push({ date: qingmingDate(year), name: '清明' });
    holidays.push({ date: solarOfLunar(year, 5, 5), name: '端午' });
    holidays.push({ date: solarOfLunar(year, 8, 15), name: '中秋' });
  }
  // every date must fall in `year` and be real; a broken conversion must not invent a holiday elsewhere
  const valid = holidays.filter((h) => parseDateKey(h.date) !== null && h.date.startsWith(`${year}-`));
  valid.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { holidays: valid, lunarKnown };
}
