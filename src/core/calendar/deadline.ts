/**
 * Deadline arithmetic (DESIGN §5). Every unit is a *measure* on the timeline — which instants count and
 * how many milliseconds make one unit — so due dates, time used and suspensions share one definition:
 *
 * | unit | counts | one unit |
 * | --- | --- | --- |
 * | urgent_hour 紧急时 | every instant | 1 h |
 * | work_hour 工作时 | instants inside the working segments of working days | 1 h |
 * | work_day 工作日 | every instant of a working day (00:00–24:00) | 24 h |
 * | natural_day 自然日 | every instant | 24 h |
 *
 * The due date is the earliest instant at which the counted time reaches the limit, so:
 * - work_hour started outside working time starts counting at the next segment; a limit that runs out
 *   at a segment's end is due at that end (12:00, not 13:00).
 * - work_day started on a working day is due at the same clock time on the N-th following working day
 *   (Fri 10:00 + 2 → the next two working days' 10:00; a 调休 Saturday counts). Started on a non-working
 *   day, counting begins at 00:00 of the next working day, so N work_days end at 24:00 of the N-th working
 *   day (shown as 00:00 of the day after) — the whole N-th day is allowed.
 * Suspension (挂账) periods are cut out of the measure: the clock stops while paused.
 */
import { AppError } from '../errors.ts';
import { addDays, dateKeyOf, dayStartMs, MS_PER_DAY, MS_PER_HOUR } from './time.ts';
import type { WorkingCalendar } from './working-calendar.ts';

export type TimeUnit = 'urgent_hour' | 'work_hour' | 'work_day' | 'natural_day';
export const TIME_UNITS: readonly TimeUnit[] = ['urgent_hour', 'work_hour', 'work_day', 'natural_day'];

/** Milliseconds of counted time in one unit. */
export const UNIT_MS: Readonly<Record<TimeUnit, number>> = {
  urgent_hour: MS_PER_HOUR,
  work_hour: MS_PER_HOUR,
  work_day: MS_PER_DAY,
  natural_day: MS_PER_DAY,
};

/** A period during which the clock stops (挂账 suspension). `end: null` = still suspended. */
export interface Pause {
  start: Date;
  end: Date | null;
}

/** No computation walks further than this (a limit of decades is a configuration error). */
const MAX_DAYS = 366 * 20;

interface Span {
  start: number;
  end: number;
}

const isContinuous = (unit: TimeUnit): boolean => unit === 'urgent_hour' || unit === 'natural_day';

function checkUnit(unit: TimeUnit): void {
  if (!TIME_UNITS.includes(unit))
    throw new AppError('validation_failed', `Unknown time unit: ${String(unit)}`);
}

function checkInstant(d: Date, what: string): number {
  const ms = d instanceof Date ? d.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new AppError('validation_failed', `${what} is not a valid time`);
  return ms;
}

/** Sorted, merged pause spans; an open pause extends to +∞. */
function normalisePauses(pauses: readonly Pause[]): Span[] {
  const spans = pauses.map((p, i) => {
    const start = checkInstant(p.start, `pauses[${i}].start`);
    const end = p.end === null ? Infinity : checkInstant(p.end, `pauses[${i}].end`);
    if (end < start) throw new AppError('validation_failed', `pauses[${i}] ends before it starts`);
    return { start, end };
  });
  spans.sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/** `span` minus the pauses, as pieces in time order. */
function subtractPauses(span: Span, pauses: readonly Span[]): Span[] {
  const pieces: Span[] = [];
  let cursor = span.start;
  for (const p of pauses) {
    if (p.end <= cursor) continue;
    if (p.start >= span.end) break;
    if (p.start > cursor) pieces.push({ start: cursor, end: p.start });
    cursor = Math.max(cursor, p.end);
    if (cursor >= span.end) break;
  }
  if (cursor < span.end) pieces.push({ start: cursor, end: span.end });
  return pieces;
}

/** The counted spans of one local day, and whether that day's answer is provisional. */
function countedSpans(
  calendar: WorkingCalendar,
  unit: TimeUnit,
  date: string,
): { spans: Span[]; provisional: boolean } {
  const start = dayStartMs(date);
  if (isContinuous(unit)) return { spans: [{ start, end: start + MS_PER_DAY }], provisional: false };
  const day = calendar.day(date);
  if (!day.workday) return { spans: [], provisional: day.provisional };
  const spans =
    unit === 'work_day'
      ? [{ start, end: start + MS_PER_DAY }]
      : calendar.segmentSpans.map((s) => ({ start: start + s.startMs, end: start + s.endMs }));
  return { spans, provisional: day.provisional };
}

function checkAmount(amount: number): void {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
    throw new AppError(
      'validation_failed',
      `Duration amount must be a finite number ≥ 0, got ${String(amount)}`,
    );
  }
}

/** A due date and whether any day it depends on is provisional (unpublished year). */
export interface DueResult {
  /** null while an open suspension stops the clock before the limit is reached. */
  due: Date | null;
  provisional: boolean;
}

/**
 * The due date of `amount` `unit`s counted from `start`, with the clock stopped during `pauses`.
 * Throws `validation_failed` for a negative/non-finite amount or unknown unit.
 */
export function computeDue(
  calendar: WorkingCalendar,
  start: Date,
  amount: number,
  unit: TimeUnit,
  pauses: readonly Pause[] = [],
): DueResult {
  checkUnit(unit);
  checkAmount(amount);
  const startMs = checkInstant(start, 'start');
  const paused = normalisePauses(pauses);
  let need = Math.round(amount * UNIT_MS[unit]);
  if (need === 0) return { due: new Date(startMs), provisional: false };
  if (isContinuous(unit) && paused.length === 0) return { due: new Date(startMs + need), provisional: false };

  const openFrom = paused.find((p) => p.end === Infinity)?.start ?? Infinity;
  let provisional = false;
  let date = dateKeyOf(startMs);
  for (let i = 0; i < MAX_DAYS; i++, date = addDays(date, 1)) {
    if (dayStartMs(date) >= openFrom) return { due: null, provisional };
    const day = countedSpans(calendar, unit, date);
    provisional ||= day.provisional;
    for (const span of day.spans) {
      const clipped = { start: Math.max(span.start, startMs), end: span.end };
      if (clipped.start >= clipped.end) continue;
      for (const piece of subtractPauses(clipped, paused)) {
        const length = piece.end - piece.start;
        if (length >= need) return { due: new Date(piece.start + need), provisional };
        need -= length;
      }
    }
  }
  throw new AppError('unprocessable', `Deadline of ${amount} ${unit} is more than ${MAX_DAYS} days away`);
}

/** The due date of `amount` `unit`s from `start` (no suspension). */
export function addDuration(calendar: WorkingCalendar, start: Date, amount: number, unit: TimeUnit): Date {
  const { due } = computeDue(calendar, start, amount, unit);
  // without pauses the clock never stops for good, so there is always a due date
  if (!due) throw new AppError('internal', 'No due date without suspension');
  return due;
}

/** The due date with the clock stopped during `pauses`; null while an open pause holds it. */
export function dueWithPauses(
  calendar: WorkingCalendar,
  start: Date,
  amount: number,
  unit: TimeUnit,
  pauses: readonly Pause[],
): Date | null {
  return computeDue(calendar, start, amount, unit, pauses).due;
}

/** Time counted between two instants, in `unit`s, and whether it depends on a provisional day. */
export function measureElapsed(
  calendar: WorkingCalendar,
  from: Date,
  to: Date,
  unit: TimeUnit,
  pauses: readonly Pause[] = [],
): { value: number; provisional: boolean } {
  checkUnit(unit);
  const fromMs = checkInstant(from, 'from');
  const toMs = checkInstant(to, 'to');
  const paused = normalisePauses(pauses);
  if (toMs <= fromMs) return { value: 0, provisional: false };
  if (isContinuous(unit) && paused.length === 0)
    return { value: (toMs - fromMs) / UNIT_MS[unit], provisional: false };
  if (toMs - fromMs > MAX_DAYS * MS_PER_DAY) {
    throw new AppError('unprocessable', `Cannot measure more than ${MAX_DAYS} days`);
  }
  let total = 0;
  let provisional = false;
  for (let date = dateKeyOf(fromMs); dayStartMs(date) < toMs; date = addDays(date, 1)) {
    const day = countedSpans(calendar, unit, date);
    provisional ||= day.provisional;
    for (const span of day.spans) {
      const clipped = { start: Math.max(span.start, fromMs), end: Math.min(span.end, toMs) };
      if (clipped.start >= clipped.end) continue;
      for (const piece of subtractPauses(clipped, paused)) total += piece.end - piece.start;
    }
  }
  return { value: total / UNIT_MS[unit], provisional };
}

/**
 * Time used between `from` and `to` in `unit`s (0 when `to` ≤ `from`), excluding `pauses` — the "used"
 * side of "time used vs limit". Consistent with computeDue: elapsed(start, due) = amount.
 */
export function elapsed(
  calendar: WorkingCalendar,
  from: Date,
  to: Date,
  unit: TimeUnit,
  pauses: readonly Pause[] = [],
): number {
  return measureElapsed(calendar, from, to, unit, pauses).value;
}

export type DeadlineColour = 'green' | 'yellow' | 'red';

/** A case turns yellow at 80 % of its limit (DESIGN §5). */
export const YELLOW_AT = 0.8;

// below a microsecond in any unit: absorbs float noise from ms → unit division, never a real millisecond
const EPSILON = 1e-10;

/** True when `used` is past `limit` (at exactly the limit the case is still on time). */
export const isOverdue = (limit: number, used: number): boolean =>
  used - limit > EPSILON * Math.max(1, limit);

/** green below 80 % of the limit, yellow from 80 % up to the limit, red once past it (overdue). */
export function deadlineColour(limit: number, used: number): DeadlineColour {
  if (isOverdue(limit, used)) return 'red';
  if (used >= YELLOW_AT * limit - EPSILON * Math.max(1, limit)) return 'yellow';
  return 'green';
}

/**
 * 超时倍数 = (used − limit) / limit for an overdue deadline; 0 when not overdue. A zero limit that is
 * exceeded gives Infinity.
 */
export function overrunMultiple(limit: number, used: number): number {
  if (!isOverdue(limit, used)) return 0;
  return limit > 0 ? (used - limit) / limit : Infinity;
}
