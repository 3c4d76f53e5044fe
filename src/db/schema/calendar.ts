import type { ColumnType, Generated } from 'kysely';

/**
 * Admin overrides of the working calendar. `date` is a PostgreSQL `date`: drivers return it as a Date
 * (in the host zone) or a string, so reads cast it with `to_char(date, 'YYYY-MM-DD')`.
 */
export interface CalendarOverridesTable {
  date: ColumnType<Date | string, string, string>;
  kind: 'workday' | 'holiday';
  note: Generated<string>;
  updated_by: string;
  updated_at: Generated<Date>;
}

/** The one settings row (id = true). `working_segments` is `{ start: 'HH:MM', end: 'HH:MM' }[]`. */
export interface CalendarSettingsTable {
  id: Generated<boolean>;
  working_segments: ColumnType<unknown, string, string>;
  confirmed_years: ColumnType<number[], number[] | undefined, number[]>;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface CalendarTables {
  calendar_overrides: CalendarOverridesTable;
  calendar_settings: CalendarSettingsTable;
}
