import type { Actor } from '../../core/actor.ts';
import {
  checkOverride,
  type CalendarDay,
  type CalendarOverride,
} from '../../core/calendar/working-calendar.ts';
import { AppError } from '../../core/errors.ts';
import { canManageReferenceData } from '../../core/policy/admin.ts';
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { recomputeDeadlinesAfterCalendarChange } from './recompute-deadlines.ts';
import { bumpCalendarVersion, invalidateCalendar, loadCalendar } from './load-calendar.ts';

export interface SetCalendarOverrideInput {
  /** Beijing date, YYYY-MM-DD. */
  date: string;
  /** workday = 上班 (also on a weekend: 调休), holiday = 放假. */
  kind: 'workday' | 'holiday';
  /** Why, e.g. the State Council notice it comes from. */
  note?: string;
}

/** Only district administrators (and the platform itself, for seeds and the CLI) edit the calendar. */
export function assertCalendarAdmin(actor: Actor): void {
  if (actor.role !== 'system' && !canManageReferenceData(actor)) {
    throw new AppError('forbidden', 'Only an administrator may change the working calendar');
  }
}

const MAX_NOTE = 200;

/**
 * Sets (or replaces) the override of one date, audited in the same transaction, and returns the day as
 * the calendar now answers it. Running deadlines of that year are recomputed in the same transaction.
 */
export async function setCalendarOverride(
  database: Database,
  actor: Actor,
  input: SetCalendarOverrideInput,
  now: Date,
): Promise<CalendarDay> {
  assertCalendarAdmin(actor);
  const note = (input.note ?? '').trim();
  if (note.length > MAX_NOTE)
    throw new AppError('validation_failed', `Note is longer than ${MAX_NOTE} characters`);
  const override: CalendarOverride = checkOverride({ date: input.date, kind: input.kind, note });
  await database.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('calendar_overrides')
      .select(['kind', 'note'])
      .where('date', '=', override.date)
      .executeTakeFirst();
    await trx
      .insertInto('calendar_overrides')
      .values({ date: override.date, kind: override.kind, note, updated_by: actor.userId, updated_at: now })
      .onConflict((oc) =>
        oc
          .column('date')
          .doUpdateSet({ kind: override.kind, note, updated_by: actor.userId, updated_at: now }),
      )
      .execute();
    await bumpCalendarVersion(trx, actor.userId, now);
    await recomputeDeadlinesAfterCalendarChange(trx, [Number(override.date.slice(0, 4))], now);
    await appendAudit(trx, {
      actor,
      action: 'calendar.override_set',
      target: `calendar:${override.date}`,
      payload: { kind: override.kind, note, before: before ?? null },
      at: now,
    });
  });
  invalidateCalendar(database);
  const { calendar } = await loadCalendar(database);
  return calendar.day(override.date);
}
