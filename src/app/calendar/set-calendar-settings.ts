import type { Actor } from '../../core/actor.ts';
import { parseSegments, type WorkingSegment } from '../../core/calendar/working-calendar.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../audit/append-audit.ts';
import {
  invalidateCalendar,
  loadCalendar,
  readCalendarSettings,
  type CalendarSettings,
} from './load-calendar.ts';
import { recomputeDeadlinesAfterCalendarChange } from './recompute-deadlines.ts';
import { assertCalendarAdmin } from './set-calendar-override.ts';

export interface SetCalendarSettingsInput {
  /** Working segments of a working day (local HH:MM), e.g. 09:00–12:00 and 13:00–17:30. */
  segments?: WorkingSegment[];
  /** Years whose whole schedule has been entered as overrides (no longer provisional). */
  confirmedYears?: number[];
}

/** Changes the working segments and/or the confirmed years, audited; returns the new settings. */
export async function setCalendarSettings(
  database: Database,
  actor: Actor,
  input: SetCalendarSettingsInput,
  now: Date,
): Promise<CalendarSettings> {
  assertCalendarAdmin(actor);
  if (input.segments) parseSegments(input.segments); // throws validation_failed
  const segments = input.segments?.map((s) => ({ start: s.start, end: s.end }));
  const years = input.confirmedYears ? [...new Set(input.confirmedYears)].sort((a, b) => a - b) : undefined;
  if (years?.some((y) => !Number.isInteger(y) || y < 2000 || y > 2100)) {
    throw new AppError('validation_failed', 'Confirmed years must be whole years between 2000 and 2100');
  }
  await database.db.transaction().execute(async (trx) => {
    const before = await readCalendarSettings(trx);
    await trx
      .updateTable('calendar_settings')
      .set((eb) => ({
        ...(segments ? { working_segments: JSON.stringify(segments) } : {}),
        ...(years ? { confirmed_years: years } : {}),
        version: eb('version', '+', 1),
        updated_by: actor.userId,
        updated_at: now,
      }))
      .execute();
    // new segments move every deadline; a year (un)confirmed moves that year's
    const changedYears = years
      ? [...new Set([...years, ...before.confirmedYears])].filter(
          (y) => years.includes(y) !== before.confirmedYears.includes(y),
        )
      : [];
    if (segments) await recomputeDeadlinesAfterCalendarChange(trx, null, now);
    else if (changedYears.length > 0) await recomputeDeadlinesAfterCalendarChange(trx, changedYears, now);
    await appendAudit(trx, {
      actor,
      action: 'calendar.settings_set',
      target: 'calendar:settings',
      payload: {
        before: { segments: before.segments, confirmedYears: before.confirmedYears },
        after: { segments: segments ?? before.segments, confirmedYears: years ?? before.confirmedYears },
      },
      at: now,
    });
  });
  invalidateCalendar(database);
  return (await loadCalendar(database)).settings;
}
