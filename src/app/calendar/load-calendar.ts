import { sql, type Kysely } from 'kysely';
import { chineseDaysSchedule } from '../../core/calendar/official.ts';
import {
  createWorkingCalendar,
  type CalendarOverride,
  type WorkingCalendar,
  type WorkingSegment,
} from '../../core/calendar/working-calendar.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema/index.ts';

/** The calendar's stored configuration (everything but the official schedule, which is code). */
export interface CalendarSettings {
  segments: WorkingSegment[];
  confirmedYears: number[];
  version: number;
}

interface CacheEntry {
  calendar: WorkingCalendar;
  settings: CalendarSettings;
  version: number;
  checkedAt: number;
}

// one entry per open database (tests open several); WeakMap lets a closed one be collected
const cache = new WeakMap<Database, CacheEntry>();

/** How long a cached calendar is trusted before its version is re-read (other instances may change it). */
export const CALENDAR_RECHECK_MS = 10_000;

export async function readCalendarSettings(db: Kysely<DB>): Promise<CalendarSettings> {
  const row = await db
    .selectFrom('calendar_settings')
    .select(['working_segments', 'confirmed_years', 'version'])
    .executeTakeFirstOrThrow();
  return {
    segments: row.working_segments as WorkingSegment[],
    confirmedYears: [...row.confirmed_years].map(Number).sort((a, b) => a - b),
    version: Number(row.version),
  };
}

export async function readCalendarOverrides(
  db: Kysely<DB>,
  range: { from?: string; to?: string } = {},
): Promise<(CalendarOverride & { updatedBy: string; updatedAt: Date })[]> {
  let q = db
    .selectFrom('calendar_overrides')
    .select([sql<string>`to_char(date, 'YYYY-MM-DD')`.as('date'), 'kind', 'note', 'updated_by', 'updated_at'])
    .orderBy('calendar_overrides.date');
  if (range.from) q = q.where('calendar_overrides.date', '>=', range.from);
  if (range.to) q = q.where('calendar_overrides.date', '<=', range.to);
  const rows = await q.execute();
  return rows.map((r) => ({
    date: r.date,
    kind: r.kind,
    note: r.note,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
  }));
}

async function build(database: Database): Promise<CacheEntry> {
  const [settings, overrides] = await Promise.all([
    readCalendarSettings(database.db),
    readCalendarOverrides(database.db),
  ]);
  const calendar = createWorkingCalendar({
    official: chineseDaysSchedule(),
    overrides: overrides.map(({ date, kind, note }) => ({ date, kind, note })),
    segments: settings.segments,
    confirmedYears: settings.confirmedYears,
  });
  return { calendar, settings, version: settings.version, checkedAt: Date.now() };
}

/**
 * The working calendar of this deployment: the official schedule of the installed `chinese-days`
 * package plus the admin overrides and settings stored in the database. Kept in memory per database;
 * after `recheckMs` one primary-key read of the settings version tells whether another instance
 * changed it. Changes made through this process call `invalidateCalendar` and show at once.
 */
export async function loadCalendar(
  database: Database,
  options: { recheckMs?: number } = {},
): Promise<{ calendar: WorkingCalendar; settings: CalendarSettings }> {
  const recheckMs = options.recheckMs ?? CALENDAR_RECHECK_MS;
  const entry = cache.get(database);
  const now = Date.now();
  if (entry && now - entry.checkedAt < recheckMs) return entry;
  if (entry) {
    const { version } = await database.db
      .selectFrom('calendar_settings')
      .select('version')
      .executeTakeFirstOrThrow();
    if (Number(version) === entry.version) {
      entry.checkedAt = now;
      return entry;
    }
  }
  const fresh = await build(database);
  cache.set(database, fresh);
  return fresh;
}

/** Drops the cached calendar of `database`; the next `loadCalendar` rebuilds it. */
export function invalidateCalendar(database: Database): void {
  cache.delete(database);
}

/** Marks the stored calendar as changed (call inside the transaction that changes it). */
export async function bumpCalendarVersion(trx: Kysely<DB>, actorId: string, at: Date): Promise<void> {
  await trx
    .updateTable('calendar_settings')
    .set((eb) => ({ version: eb('version', '+', 1), updated_by: actorId, updated_at: at }))
    .execute();
}
