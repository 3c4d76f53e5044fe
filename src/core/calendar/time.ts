/**
 * Beijing time (Asia/Shanghai) by fixed-offset arithmetic. China has had no daylight saving time since
 * 1991, so local time is always UTC+8; computing it ourselves keeps every result independent of the host
 * time zone (servers and CI may run in UTC or anywhere else).
 */
import { AppError } from '../errors.ts';

export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** A local (Beijing) calendar date, `YYYY-MM-DD`. */
export type DateKey = string;

const DATE_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The Beijing calendar date of an instant. */
export function dateKeyOf(instant: Date | number): DateKey {
  const local = new Date(+instant + SHANGHAI_OFFSET_MS);
  return `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
}

/** Parses `YYYY-MM-DD` into its parts, or null if it is not a real calendar date (e.g. 2026-02-30). */
export function parseDateKey(key: string): { year: number; month: number; day: number } | null {
  const m = DATE_KEY.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day)
    return null;
  return { year, month, day };
}

export const isDateKey = (key: string): boolean => parseDateKey(key) !== null;

function mustParse(key: DateKey): { year: number; month: number; day: number } {
  const parts = parseDateKey(key);
  if (!parts) throw new AppError('validation_failed', `Not a calendar date (YYYY-MM-DD): ${key}`);
  return parts;
}

/** The instant (epoch ms) of 00:00 Beijing time on `key`. */
export function dayStartMs(key: DateKey): number {
  const { year, month, day } = mustParse(key);
  return Date.UTC(year, month - 1, day) - SHANGHAI_OFFSET_MS;
}

/** `key` moved by `days` calendar days. */
export function addDays(key: DateKey, days: number): DateKey {
  const { year, month, day } = mustParse(key);
  return dateKeyOf(Date.UTC(year, month - 1, day + days) - SHANGHAI_OFFSET_MS);
}

/** Day of week of a local date: 0 = Sunday … 6 = Saturday. */
export function weekdayOf(key: DateKey): number {
  const { year, month, day } = mustParse(key);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: DateKey, to: DateKey): number {
  return Math.round((dayStartMs(to) - dayStartMs(from)) / MS_PER_DAY);
}

/**
 * ISO 8601 in Beijing time with an explicit offset, e.g. `2026-10-08T11:30:00+08:00`; milliseconds are
 * shown only when not zero.
 */
export function formatShanghai(instant: Date | number): string {
  const ms = +instant;
  const local = new Date(ms + SHANGHAI_OFFSET_MS);
  const millis = local.getUTCMilliseconds();
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  return `${dateKeyOf(ms)}T${time}${millis ? `.${pad(millis, 3)}` : ''}+08:00`;
}

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;

/**
 * Parses an ISO 8601 date-time. An explicit offset (`Z`, `+08:00`, `+0800`) is honoured; a time without
 * one is read as Beijing time (the platform's only zone). A space in place of the offset's `+` is
 * accepted, because an unescaped `+` in a query string arrives as a space. Returns null when malformed.
 */
export function parseInstant(text: string): Date | null {
  const repaired = text.trim().replace(/(T?\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$/i, '$1+$2');
  const m = INSTANT.exec(repaired);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  if (!parseDateKey(`${y}-${mo}-${d}`)) return null;
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMs = SHANGHAI_OFFSET_MS;
  if (z) offsetMs = 0;
  else if (sign) {
    if (Number(oh) > 23 || Number(om) > 59) return null;
    offsetMs = (sign === '-' ? -1 : 1) * (Number(oh) * MS_PER_HOUR + Number(om) * MS_PER_MINUTE);
  }
  const millis = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, minute, second, millis) - offsetMs;
  return new Date(utc);
}
