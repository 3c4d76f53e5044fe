import { computeDue, type TimeUnit } from '../../core/calendar/deadline.ts';
import { chineseDaysSchedule } from '../../core/calendar/official.ts';
import { dateKeyOf, daysBetween, parseDateKey } from '../../core/calendar/time.ts';
import type { CalendarDay } from '../../core/calendar/working-calendar.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import { loadCalendar, readCalendarOverrides, type CalendarSettings } from './load-calendar.ts';
import { assertCalendarAdmin } from './set-calendar-override.ts';

/** The longest range `listCalendarDays` answers (a year, leap day included). */
export const MAX_CALENDAR_RANGE_DAYS = 366;

/** The due date of a limit started at `start`, by this deployment's calendar. Readable by anyone. */
export async function calculateDue(
  database: Database,
  input: { start: Date; amount: number; unit: TimeUnit },
): Promise<{ due: Date; provisional: boolean }> {
  const { calendar } = await loadCalendar(database);
  const { due, provisional } = computeDue(calendar, input.start, input.amount, input.unit);
  // without suspensions there is always a due date
  if (!due) throw new AppError('internal', 'No due date without suspension');
  return { due, provisional };
}

/** Every day from `from` to `to` (both included, at most MAX_CALENDAR_RANGE_DAYS) as the calendar sees it. */
export async function listCalendarDays(database: Database, from: string, to: string): Promise<CalendarDay[]> {
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!parseDateKey(value))
      throw new AppError('validation_failed', `${name} must be a date YYYY-MM-DD, got ${value}`);
  }
  const span = daysBetween(from, to) + 1;
  if (span < 1) throw new AppError('validation_failed', '`to` must not be before `from`');
  if (span > MAX_CALENDAR_RANGE_DAYS) {
    throw new AppError(
      'validation_failed',
      `At most ${MAX_CALENDAR_RANGE_DAYS} days per request, asked for ${span}`,
    );
  }
  const { calendar } = await loadCalendar(database);
  return calendar.days(from, to);
}

export interface CalendarOverrideView {
  date: string;
  kind: 'workday' | 'holiday';
  note: string;
  updatedBy: string;
  updatedAt: Date;
}

/** The stored overrides (optionally within a date range) and settings, for the admin page. */
export async function listCalendarOverrides(
  database: Database,
  actor: Actor,
  range: { from?: string | undefined; to?: string | undefined },
): Promise<{ items: CalendarOverrideView[]; settings: CalendarSettings }> {
  assertCalendarAdmin(actor);
  const items = await readCalendarOverrides(database.db, {
    ...(range.from ? { from: range.from } : {}),
    ...(range.to ? { to: range.to } : {}),
  });
  const { settings } = await loadCalendar(database);
  return { items, settings };
}

/** Whether a year's schedule is known, and from where. */
export interface CalendarYearStatus {
  year: number;
  /** Only statutory holidays are known: bridge days and 调休 weekends may still come. */
  provisional: boolean;
  /** `package`: the shipped official schedule; `confirmed`: loaded/confirmed by an admin; `statutory`: provisional. */
  source: 'package' | 'confirmed' | 'statutory';
}

/**
 * The current and the next year (Beijing) as the calendar knows them: the console shows a banner while
 * either is provisional. Readable by anyone, like the calendar itself.
 */
export async function calendarYearsStatus(database: Database, now: Date): Promise<CalendarYearStatus[]> {
  const { calendar, settings } = await loadCalendar(database);
  const current = Number(dateKeyOf(now).slice(0, 4));
  return [current, current + 1].map((year) => ({
    year,
    provisional: calendar.isProvisionalYear(year),
    source: !calendar.isProvisionalYear(year)
      ? settings.confirmedYears.includes(year) && !chineseDaysSchedule().years.has(year)
        ? 'confirmed'
        : 'package'
      : 'statutory',
  }));
}
