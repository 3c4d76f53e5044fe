/**
 * Evaluation periods (考评周期) in Beijing time (UTC+8, no daylight saving): a month `2026-11` (the
 * default), an ISO week `2026-W47`, a quarter `2026-Q4`, a year `2026`, or any range of days
 * `2026-11-03..2026-11-20` (both days included). A period is the half-open instant range [from, to):
 * it starts at Beijing midnight of its first day and ends at Beijing midnight after its last day.
 */

export type PeriodKind = 'week' | 'month' | 'quarter' | 'year' | 'range';

export interface Period {
  /** The canonical key, e.g. `2026-11`, `2026-W47`, `2026-Q4`, `2026`, `2026-11-03..2026-11-20`. */
  key: string;
  kind: PeriodKind;
  /** First instant (Beijing midnight). */
  from: Date;
  /** First instant after the period. */
  to: Date;
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Beijing midnight of a calendar day, as an instant. */
const beijingMidnight = (y: number, m: number, d: number): Date =>
  new Date(Date.UTC(y, m - 1, d) - BEIJING_OFFSET_MS);

/** The Beijing calendar day of an instant, `YYYY-MM-DD`. */
export const beijingDay = (at: Date): string =>
  new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

const validDay = (y: number, m: number, d: number): boolean => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};

const YEAR_MIN = 2000;
const YEAR_MAX = 2100;
/** Longest range accepted (a little over a year and a day: a leap year plus slack). */
const MAX_RANGE_DAYS = 370;

function month(y: number, m: number): Period {
  return {
    key: `${y}-${pad(m)}`,
    kind: 'month',
    from: beijingMidnight(y, m, 1),
    to: m === 12 ? beijingMidnight(y + 1, 1, 1) : beijingMidnight(y, m + 1, 1),
  };
}

function quarter(y: number, q: number): Period {
  const first = (q - 1) * 3 + 1;
  return {
    key: `${y}-Q${q}`,
    kind: 'quarter',
    from: beijingMidnight(y, first, 1),
    to: q === 4 ? beijingMidnight(y + 1, 1, 1) : beijingMidnight(y, first + 3, 1),
  };
}

const year = (y: number): Period => ({
  key: String(y),
  kind: 'year',
  from: beijingMidnight(y, 1, 1),
  to: beijingMidnight(y + 1, 1, 1),
});

/** ISO 8601 week: week 1 holds the year's first Thursday; weeks start on Monday. */
function isoWeekStartUtc(y: number, w: number): number {
  const jan4 = Date.UTC(y, 0, 4);
  const jan4Dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - jan4Dow * DAY_MS + (w - 1) * 7 * DAY_MS;
}
const isoWeeksIn = (y: number): number => {
  const dec28 = new Date(Date.UTC(y, 11, 28));
  const start = isoWeekStartUtc(y, 1);
  return Math.floor((dec28.getTime() - start) / (7 * DAY_MS)) + 1;
};
function week(y: number, w: number): Period {
  const start = isoWeekStartUtc(y, w) - BEIJING_OFFSET_MS;
  return { key: `${y}-W${pad(w)}`, kind: 'week', from: new Date(start), to: new Date(start + 7 * DAY_MS) };
}

function range(a: string, b: string): Period | null {
  const [ya, ma, da] = a.split('-').map(Number) as [number, number, number];
  const [yb, mb, db] = b.split('-').map(Number) as [number, number, number];
  if (!validDay(ya, ma, da) || !validDay(yb, mb, db)) return null;
  if (ya < YEAR_MIN || yb > YEAR_MAX) return null;
  const from = beijingMidnight(ya, ma, da);
  const to = new Date(beijingMidnight(yb, mb, db).getTime() + DAY_MS);
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  if (days < 1 || days > MAX_RANGE_DAYS) return null;
  return { key: `${a}..${b}`, kind: 'range', from, to };
}

/** Parses a period key; null when it is not one (or out of the years 2000–2100). */
export function parsePeriod(key: string): Period | null {
  let m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    return y >= YEAR_MIN && y <= YEAR_MAX && mo >= 1 && mo <= 12 ? month(y, mo) : null;
  }
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) {
    const y = Number(m[1]);
    return y >= YEAR_MIN && y <= YEAR_MAX ? quarter(y, Number(m[2])) : null;
  }
  m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (m) {
    const [y, w] = [Number(m[1]), Number(m[2])];
    return y >= YEAR_MIN && y <= YEAR_MAX && w >= 1 && w <= isoWeeksIn(y) ? week(y, w) : null;
  }
  m = /^(\d{4})$/.exec(key);
  if (m) {
    const y = Number(m[1]);
    return y >= YEAR_MIN && y <= YEAR_MAX ? year(y) : null;
  }
  m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(key);
  if (m) return range(m[1]!, m[2]!);
  return null;
}

/** The month (Beijing time) holding `now`: the default period. */
export function monthOf(now: Date): Period {
  const [y, m] = beijingDay(now).split('-').map(Number) as [number, number];
  return month(y, m);
}

/** The period before: the previous week/month/quarter/year; for a range, the same number of days before it. */
export function previousPeriod(p: Period): Period {
  const [y, rest] = [Number(p.key.slice(0, 4)), p.key.slice(5)];
  switch (p.kind) {
    case 'month': {
      const m = Number(rest);
      return m === 1 ? month(y - 1, 12) : month(y, m - 1);
    }
    case 'quarter': {
      const q = Number(rest.slice(1));
      return q === 1 ? quarter(y - 1, 4) : quarter(y, q - 1);
    }
    case 'year':
      return year(y - 1);
    case 'week': {
      const w = Number(rest.slice(1));
      return w === 1 ? week(y - 1, isoWeeksIn(y - 1)) : week(y, w - 1);
    }
    case 'range': {
      const len = p.to.getTime() - p.from.getTime();
      const to = new Date(p.from.getTime());
      const from = new Date(p.from.getTime() - len);
      const last = new Date(to.getTime() - DAY_MS);
      return { key: `${beijingDay(from)}..${beijingDay(last)}`, kind: 'range', from, to };
    }
  }
}

/** Where an evaluation stops: the end of the period, or just after `asOf` (events at `asOf` count) if earlier. */
export const evaluationEnd = (p: Period, asOf: Date): Date =>
  new Date(Math.min(p.to.getTime(), asOf.getTime() + 1));
