import { Type, type TInteger, type TString } from 'typebox';

/**
 * Input schemas that refuse what PostgreSQL would refuse later (issue 9, finding 4). A route that takes a
 * date or a count uses these instead of a bare `Type.String`/`Type.Integer`, so an impossible value
 * answers 400 `validation_failed` instead of failing in SQL.
 */

/** Years the working calendar and the case data can meaningfully hold. */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199;

/** Largest value of a PostgreSQL `integer` column (case version, ids of serial tables). */
export const INT4_MAX = 2_147_483_647;

// YYYY-MM-DD with a year in [MIN_YEAR, MAX_YEAR]; `format: 'date'` (ajv-formats) then refuses 02-30, 13-01
const YEAR = '(19[7-9][0-9]|2[01][0-9]{2})';
const DATE_PATTERN = `^${YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`;

/** A calendar date (Beijing) `YYYY-MM-DD` that exists: `2026-02-30`, `2026-13-01`, `0000-01-01` are refused. */
export const DateKey = (options: { description?: string } = {}): TString =>
  Type.String({
    format: 'date',
    pattern: DATE_PATTERN,
    description: options.description ?? `Beijing date YYYY-MM-DD (years ${MIN_YEAR}–${MAX_YEAR})`,
  });

/** Whether `text` is a real calendar date `YYYY-MM-DD` within the supported years. */
export function isDateKey(text: string): boolean {
  if (!new RegExp(DATE_PATTERN).test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** An integer with explicit bounds (default: a PostgreSQL `integer`), never ±Infinity or 1e30. */
export const BoundedInteger = (
  options: { minimum?: number; maximum?: number; description?: string; default?: number } = {},
): TInteger =>
  Type.Integer({
    ...options,
    minimum: options.minimum ?? 0,
    maximum: options.maximum ?? INT4_MAX,
  });
