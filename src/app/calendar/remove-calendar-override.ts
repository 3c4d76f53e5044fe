import type { Actor } from '../../core/actor.ts';
import { parseDateKey } from '../../core/calendar/time.ts';
import type { CalendarDay } from '../../core/calendar/working-calendar.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { bumpCalendarVersion, invalidateCalendar, loadCalendar } from './load-calendar.ts';
import { recomputeDeadlinesAfterCalendarChange } from './recompute-deadlines.ts';
import { assertCalendarAdmin } from './set-calendar-override.ts';

/**
 * Removes the override of one date (the official schedule or the weekday rule applies again), audited.
 * Returns the day as the calendar now answers it. `not_found` when the date has no override. Running
 * deadlines of that year are recomputed in the same transaction.
 */
export async function removeCalendarOverride(
  database: Database,
  actor: Actor,
  date: string,
  now: Date,
): Promise<CalendarDay> {
  assertCalendarAdmin(actor);
  if (!parseDateKey(date))
    throw new AppError('validation_failed', `Not a calendar date (YYYY-MM-DD): ${date}`);
  await database.db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('calendar_overrides')
      .where('date', '=', date)
      .returning(['kind', 'note'])
      .executeTakeFirst();
    if (!removed) throw new AppError('not_found', `No calendar override on ${date}`);
    await bumpCalendarVersion(trx, actor.userId, now);
    await recomputeDeadlinesAfterCalendarChange(trx, [Number(date.slice(0, 4))], now);
    await appendAudit(trx, {
      actor,
      action: 'calendar.override_remove',
      target: `calendar:${date}`,
      payload: { before: removed },
      at: now,
    });
  });
  invalidateCalendar(database);
  const { calendar } = await loadCalendar(database);
  return calendar.day(date);
}
