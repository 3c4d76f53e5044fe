/**
 * The working calendar (工作日历): for every Beijing date, whether it is a working day and why, plus the
 * working segments of a working day. Built from plain data (official schedule, admin overrides, segments)
 * so that it is pure and testable; src/app/calendar/load-calendar.ts builds the live one from the database.
 */
import { AppError } from '../errors.ts';
import { chineseDaysSchedule, statutoryHolidays, type OfficialSchedule } from './official.ts';
import { addDays, daysBetween, MS_PER_MINUTE, parseDateKey, weekdayOf, type DateKey } from './time.ts';

/** workday 工作日 · weekend 周末 · holiday 节假日 · makeup_workday 调休上班 (a working Saturday/Sunday). */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';
export const DAY_KINDS: readonly DayKind[] = ['workday', 'weekend', 'holiday', 'makeup_workday'];

/**
 * Why a day is what it is: `official` the published schedule; `override` an admin's entry;
 * `statutory_fallback` a statutory holiday in a year whose schedule is not published; `weekday_rule`
 * Monday–Friday work, Saturday–Sunday rest.
 */
export type DaySource = 'official' | 'override' | 'statutory_fallback' | 'weekday_rule';

export interface CalendarDay {
  date: DateKey;
  kind: DayKind;
  /** kind is workday or makeup_workday. */
  workday: boolean;
  source: DaySource;
  /** Festival name (e.g. 春节) or the admin's note; null for an ordinary day. */
  name: string | null;
  /**
   * The year's official schedule is not known (not published, not confirmed by an admin): the answer
   * may change when it is (bridge days, 调休 weekends).
   */
  provisional: boolean;
}

/** An admin's decision for one date (e.g. a schedule published after the package, a local closure). */
export interface CalendarOverride {
  date: DateKey;
  kind: 'workday' | 'holiday';
  note: string;
}

/** A working segment of a working day, local `HH:MM` (end may be `24:00`). */
export interface WorkingSegment {
  start: string;
  end: string;
}

/** 09:00–12:00 and 13:00–17:30 (DESIGN §5). */
export const DEFAULT_SEGMENTS: readonly WorkingSegment[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '17:30' },
];

/** A segment as milliseconds after local midnight, [startMs, endMs). */
export interface SegmentSpan {
  startMs: number;
  endMs: number;
}

export interface WorkingCalendarInput {
  /** Defaults to the schedule shipped in the `chinese-days` package. */
  official?: OfficialSchedule;
  overrides?: readonly CalendarOverride[];
  /** Defaults to DEFAULT_SEGMENTS. */
  segments?: readonly WorkingSegment[];
  /**
   * Years an admin has declared complete (every holiday and 调休 of the year entered as overrides):
   * their days are no longer provisional and no statutory fallback is applied.
   */
  confirmedYears?: Iterable<number>;
}

export interface WorkingCalendar {
  day(date: DateKey): CalendarDay;
  /** Every day from `from` to `to`, both included. */
  days(from: DateKey, to: DateKey): CalendarDay[];
  readonly segments: readonly WorkingSegment[];
  readonly segmentSpans: readonly SegmentSpan[];
  /** Working minutes of one working day (450 with the default segments). */
  readonly workdayMinutes: number;
  /** The year's official schedule is not known (days in it are provisional unless overridden). */
  isProvisionalYear(year: number): boolean;
}

const HHMM = /^(\d{2}):(\d{2})$/;

function minutesOf(text: string): number {
  const m = HHMM.exec(text);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[2]) > 59 || minutes > 24 * 60) {
    throw new AppError(
      'validation_failed',
      `Working segment time must be HH:MM between 00:00 and 24:00: ${text}`,
    );
  }
  return minutes;
}

/**
 * Checks working segments: at least one, each `start < end`, in order, not overlapping. Returns the spans
 * (ms after midnight). Throws `validation_failed` otherwise.
 */
export function parseSegments(segments: readonly WorkingSegment[]): SegmentSpan[] {
  if (segments.length === 0)
    throw new AppError('validation_failed', 'At least one working segment is required');
  const spans: SegmentSpan[] = [];
  for (const s of segments) {
    const start = minutesOf(s.start);
    const end = minutesOf(s.end);
    if (start >= end)
      throw new AppError('validation_failed', `Working segment ends before it starts: ${s.start}–${s.end}`);
    const last = spans[spans.length - 1];
    if (last && start * MS_PER_MINUTE < last.endMs) {
      throw new AppError(
        'validation_failed',
        `Working segments must be in order and not overlap: ${s.start}–${s.end}`,
      );
    }
    spans.push({ startMs: start * MS_PER_MINUTE, endMs: end * MS_PER_MINUTE });
  }
  return spans;
}

/** Validates one override (a real date, a known kind). Throws `validation_failed`. */
export function checkOverride(o: CalendarOverride): CalendarOverride {
  if (!parseDateKey(o.date))
    throw new AppError('validation_failed', `Not a calendar date (YYYY-MM-DD): ${o.date}`);
  if (o.kind !== 'workday' && o.kind !== 'holiday') {
    throw new AppError('validation_failed', `Override kind must be workday or holiday: ${String(o.kind)}`);
  }
  return o;
}

const isWeekend = (date: DateKey): boolean => {
  const wd = weekdayOf(date);
  return wd === 0 || wd === 6;
};

/** Builds a working calendar. Pure: the same input always answers the same way. */
export function createWorkingCalendar(input: WorkingCalendarInput = {}): WorkingCalendar {
  const official = input.official ?? chineseDaysSchedule();
  const overrides = new Map((input.overrides ?? []).map((o) => [checkOverride(o).date, o] as const));
  const segments = [...(input.segments ?? DEFAULT_SEGMENTS)];
  const segmentSpans = parseSegments(segments);
  const confirmed = new Set(input.confirmedYears ?? []);
  const statutoryByYear = new Map<number, Map<DateKey, string>>();
  const memo = new Map<DateKey, CalendarDay>();

  const isProvisionalYear = (year: number): boolean => !official.years.has(year) && !confirmed.has(year);

  const statutory = (year: number): Map<DateKey, string> => {
    let byDate = statutoryByYear.get(year);
    if (!byDate) {
      byDate = new Map(statutoryHolidays(year).holidays.map((h) => [h.date, h.name] as const));
      statutoryByYear.set(year, byDate);
    }
    return byDate;
  };

  const resolve = (date: DateKey): CalendarDay => {
    const parts = parseDateKey(date);
    if (!parts) throw new AppError('validation_failed', `Not a calendar date (YYYY-MM-DD): ${date}`);
    const weekend = isWeekend(date);
    const plain = (provisional: boolean): CalendarDay => ({
      date,
      kind: weekend ? 'weekend' : 'workday',
      workday: !weekend,
      source: 'weekday_rule',
      name: null,
      provisional,
    });

    const override = overrides.get(date);
    if (override) {
      const kind: DayKind = override.kind === 'holiday' ? 'holiday' : weekend ? 'makeup_workday' : 'workday';
      return {
        date,
        kind,
        workday: kind !== 'holiday',
        source: 'override',
        name: override.note || null,
        provisional: false,
      };
    }
    if (official.years.has(parts.year)) {
      const holiday = official.holidays.get(date);
      if (holiday !== undefined) {
        return {
          date,
          kind: 'holiday',
          workday: false,
          source: 'official',
          name: holiday,
          provisional: false,
        };
      }
      const makeup = official.workdays.get(date);
      if (makeup !== undefined) {
        return {
          date,
          kind: 'makeup_workday',
          workday: true,
          source: 'official',
          name: makeup,
          provisional: false,
        };
      }
      return plain(false);
    }
    if (confirmed.has(parts.year)) return plain(false);
    const fallback = statutory(parts.year).get(date);
    if (fallback !== undefined) {
      return {
        date,
        kind: 'holiday',
        workday: false,
        source: 'statutory_fallback',
        name: fallback,
        provisional: true,
      };
    }
    return plain(true);
  };

  const day = (date: DateKey): CalendarDay => {
    let d = memo.get(date);
    if (!d) {
      d = Object.freeze(resolve(date));
      memo.set(date, d);
    }
    return d;
  };

  return {
    day,
    days(from, to) {
      const n = daysBetween(from, to);
      const out: CalendarDay[] = [];
      for (let i = 0; i <= n; i++) out.push(day(addDays(from, i)));
      return out;
    },
    segments,
    segmentSpans,
    workdayMinutes: segmentSpans.reduce((sum, s) => sum + (s.endMs - s.startMs) / MS_PER_MINUTE, 0),
    isProvisionalYear,
  };
}
