import type { Lang } from '../i18n';
import type { CaseSummary, DeadlineColour } from '../api/models';

// Every time in the console is shown in Asia/Shanghai, whatever the browser's zone (DESIGN §5).
const TZ = 'Asia/Shanghai';

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = lang + JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone: TZ,
      hourCycle: 'h23',
      ...options,
    });
    cache.set(key, f);
  }
  return f;
}

function parts(iso: string, lang: Lang, options: Intl.DateTimeFormatOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of fmt(lang, options).formatToParts(new Date(iso))) out[p.type] = p.value;
  return out;
}

/** 2026-03-05 14:07 */
export function dateTime(iso: string | null | undefined, lang: Lang = 'zh'): string {
  if (!iso) return '—';
  const p = parts(iso, lang, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** 03-05 14:07 — compact, for dense tables. */
export function shortDateTime(iso: string | null | undefined, lang: Lang = 'zh'): string {
  if (!iso) return '—';
  const p = parts(iso, lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  return `${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

export function dateOnly(iso: string, lang: Lang = 'zh'): string {
  const p = parts(iso, lang, { year: 'numeric', month: '2-digit', day: '2-digit' });
  return `${p.year}-${p.month}-${p.day}`;
}

/** Minutes as "2天3时" / "2d 3h" / "45分". */
export function duration(minutes: number, lang: Lang): string {
  const m = Math.max(0, Math.round(Math.abs(minutes)));
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  const u = lang === 'zh' ? { d: '天', h: '时', m: '分' } : { d: 'd ', h: 'h ', m: 'min' };
  const out = d > 0 ? `${d}${u.d}${h}${u.h}` : h > 0 ? `${h}${u.h}${min}${u.m}` : `${min}${u.m}`;
  return out.trim();
}

/** Time until (positive) or since (negative) a due time, in minutes. */
export function minutesUntil(iso: string, now: number = Date.now()): number {
  return (new Date(iso).getTime() - now) / 60_000;
}

/** The deadline colour as the server computed it (yellow at 80 %, red when overdue), re-read against `now`. */
export function deadlineColour(c: CaseSummary, now: number = Date.now()): DeadlineColour | null {
  const d = c.deadline;
  if (!d?.dueAt) return null;
  // the list was computed when it was loaded; a chip left open on screen moves on by itself
  if (new Date(d.dueAt).getTime() < now) return 'red';
  if (d.warnAt && new Date(d.warnAt).getTime() <= now) return 'yellow';
  return d.colour ?? 'green';
}

const COLOUR_RANK: Record<DeadlineColour, number> = { red: 0, yellow: 1, green: 2 };

/** Most urgent first: red, then yellow, then green, each by due time; urgent before normal. */
export function byUrgency(a: CaseSummary, b: CaseSummary, now: number = Date.now()): number {
  const ca = deadlineColour(a, now);
  const cb = deadlineColour(b, now);
  const ra = ca ? COLOUR_RANK[ca] : 3;
  const rb = cb ? COLOUR_RANK[cb] : 3;
  if (ra !== rb) return ra - rb;
  const ua = a.urgency === 'urgent' ? 0 : 1;
  const ub = b.urgency === 'urgent' ? 0 : 1;
  if (ua !== ub) return ua - ub;
  const da = a.deadline?.dueAt;
  const db = b.deadline?.dueAt;
  if (da && db && da !== db) return da < db ? -1 : 1;
  if (da && !db) return -1;
  if (db && !da) return 1;
  return a.reportedAt < b.reportedAt ? 1 : a.reportedAt > b.reportedAt ? -1 : 0;
}

export function caseLonLat(c: Pick<CaseSummary, 'location'>): [number, number] | null {
  return c.location ? [c.location.lon, c.location.lat] : null;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function percent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  return `${(rate * 100).toFixed(1)}%`;
}

/** A time amount without noise and without losing a quarter: 2 → "2", 2.5 → "2.5", 0.25 → "0.25". */
export function amount(n: number): string {
  if (!Number.isFinite(n)) return '∞';
  return String(Number(n.toFixed(2)));
}
