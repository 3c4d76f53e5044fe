import type { Kysely } from 'kysely';
import { chineseDaysSchedule } from '../../core/calendar/official.ts';
import { createWorkingCalendar } from '../../core/calendar/working-calendar.ts';
import type { DB } from '../../db/schema/index.ts';
import { recomputeClocksForYear } from '../cases/clocks.ts';
import { readCalendarOverrides, readCalendarSettings } from './load-calendar.ts';

/**
 * After a change to the stored calendar, inside the transaction that made it: builds the calendar as it
 * now is (read through `trx`) and recomputes the running deadlines that can depend on the changed
 * years (`null`: every running deadline, e.g. new working segments). Running it in the change's own
 * transaction is what makes it happen exactly once, whatever the number of server processes: there is
 * no job to schedule, and no reader sees the new calendar with old due dates. Returns how many changed.
 */
export async function recomputeDeadlinesAfterCalendarChange(
  trx: Kysely<DB>,
  years: readonly number[] | null,
  now: Date,
): Promise<number> {
  const [settings, overrides] = [await readCalendarSettings(trx), await readCalendarOverrides(trx)];
  const calendar = createWorkingCalendar({
    official: chineseDaysSchedule(),
    overrides: overrides.map(({ date, kind, note }) => ({ date, kind, note })),
    segments: settings.segments,
    confirmedYears: settings.confirmedYears,
  });
  if (years === null) return recomputeClocksForYear(trx, calendar, null, now);
  let changed = 0;
  for (const year of [...new Set(years)].sort((a, b) => a - b))
    changed += await recomputeClocksForYear(trx, calendar, year, now);
  return changed;
}
