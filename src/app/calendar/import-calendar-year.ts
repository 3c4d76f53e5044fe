import type { Actor } from '../../core/actor.ts';
import { parseScheduleFile, type ScheduleEntry } from '../../core/calendar/schedule-file.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { invalidateCalendar, readCalendarOverrides, readCalendarSettings } from './load-calendar.ts';
import { recomputeDeadlinesAfterCalendarChange } from './recompute-deadlines.ts';
import { assertCalendarAdmin } from './set-calendar-override.ts';

export interface ImportCalendarYearInput {
  /** The file's text: CSV (`date,kind,name` lines) or JSON (see core/calendar/schedule-file.ts). */
  content: string;
  /** The year being loaded; defaults to the file's. Every date must be in it. */
  year?: number | undefined;
}

export interface ImportCalendarYearResult {
  year: number;
  holidays: number;
  workdays: number;
  /** Overrides of that year that were there before and are replaced. */
  replaced: number;
  /** Running deadlines whose due date changed. */
  recomputedClocks: number;
}

/**
 * Loads a year's official holiday schedule (节假日安排) in one step, for a year the shipped package does
 * not know: the file is checked whole (any problem → `validation_failed` with every problem, nothing
 * written); then, in ONE transaction, the year's overrides are replaced by the file's days, the year is
 * marked confirmed (no longer provisional), the change is audited and every running deadline that
 * depends on the year is recomputed. Other instances see the new calendar version on their next check.
 */
export async function importCalendarYear(
  database: Database,
  actor: Actor,
  input: ImportCalendarYearInput,
  now: Date,
): Promise<ImportCalendarYearResult> {
  assertCalendarAdmin(actor);
  const parsed = parseScheduleFile(input.content, { year: input.year });
  if (!parsed.ok) {
    throw new AppError(
      'validation_failed',
      `The schedule file has ${parsed.problems.length} problem(s); nothing was imported`,
      { problems: parsed.problems },
    );
  }
  const { year, entries } = parsed.schedule;
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const count = (kind: ScheduleEntry['kind']) => entries.filter((e) => e.kind === kind).length;

  const result = await database.db.transaction().execute(async (trx) => {
    const before = await readCalendarOverrides(trx, { from, to });
    await trx.deleteFrom('calendar_overrides').where('date', '>=', from).where('date', '<=', to).execute();
    await trx
      .insertInto('calendar_overrides')
      .values(
        entries.map((e) => ({
          date: e.date,
          kind: e.kind,
          note: e.name,
          updated_by: actor.userId,
          updated_at: now,
        })),
      )
      .execute();
    const settings = await readCalendarSettings(trx);
    const confirmedYears = [...new Set([...settings.confirmedYears, year])].sort((a, b) => a - b);
    await trx
      .updateTable('calendar_settings')
      .set((eb) => ({
        confirmed_years: confirmedYears,
        version: eb('version', '+', 1),
        updated_by: actor.userId,
        updated_at: now,
      }))
      .execute();
    const recomputedClocks = await recomputeDeadlinesAfterCalendarChange(trx, [year], now);
    await appendAudit(trx, {
      actor,
      action: 'calendar.year_imported',
      target: `calendar:${year}`,
      payload: {
        year,
        holidays: entries.filter((e) => e.kind === 'holiday').map((e) => e.date),
        workdays: entries.filter((e) => e.kind === 'workday').map((e) => e.date),
        replaced: before.map(({ date, kind, note }) => ({ date, kind, note })),
        recomputedClocks,
      },
      at: now,
    });
    return { replaced: before.length, recomputedClocks };
  });
  invalidateCalendar(database);
  return { year, holidays: count('holiday'), workdays: count('workday'), ...result };
}
