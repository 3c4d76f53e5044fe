/**
 * Export columns (issue 14): what a downloadable table is made of, independent of the file format. A column
 * has a header in Chinese and English, a type (so a spreadsheet gets dates as dates and numbers as numbers)
 * and a function that reads its value from one row. Pure: the writers live in `src/app/exports/`.
 */
export type ExportLang = 'zh' | 'en';
export type ExportFormat = 'xlsx' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['xlsx', 'csv'];

/** `datetime`: an instant, written as Beijing wall time (Excel has no time zones). */
export type ColumnType = 'text' | 'integer' | 'number' | 'percent' | 'datetime' | 'boolean';
export type CellValue = string | number | boolean | Date | null;

export interface ExportColumn<R> {
  key: string;
  header: { zh: string; en: string };
  type: ColumnType;
  /** Width in characters (xlsx). */
  width?: number;
  value: (row: R) => CellValue;
}

/** Beijing is UTC+8 all year (no daylight saving). */
const BEIJING_MS = 8 * 3_600_000;

/** The Beijing wall time of an instant as a Date whose UTC fields carry it (what Excel shows as is). */
export const beijingWallTime = (at: Date): Date => new Date(at.getTime() + BEIJING_MS);

/** `2026-11-03 14:05:00` in Beijing time. */
export function beijingText(at: Date): string {
  return beijingWallTime(at).toISOString().slice(0, 19).replace('T', ' ');
}

/** Yes/no in the export's language. */
export const yesNo = (value: boolean, lang: ExportLang): string =>
  lang === 'zh' ? (value ? '是' : '否') : value ? 'yes' : 'no';

/** A cell as plain text (CSV): instants in Beijing time, booleans as yes/no, numbers unformatted. */
export function cellText(value: CellValue, type: ColumnType, lang: ExportLang): string | number | null {
  if (value === null) return null;
  if (value instanceof Date) return beijingText(value);
  if (typeof value === 'boolean') return yesNo(value, lang);
  if (type === 'datetime' && typeof value === 'string') return beijingText(new Date(value));
  // a rate is a fraction in the spreadsheet (formatted 0.00%) and a percentage in CSV (header `…(%)`)
  if (type === 'percent' && typeof value === 'number') return Math.round(value * 10_000) / 100;
  return value;
}

/** A cell for a spreadsheet: instants as Beijing wall-time dates, booleans as yes/no text, numbers as numbers. */
export function cellValue(
  value: CellValue,
  type: ColumnType,
  lang: ExportLang,
): string | number | Date | null {
  if (value === null) return null;
  if (value instanceof Date) return beijingWallTime(value);
  if (type === 'datetime' && typeof value === 'string') return beijingWallTime(new Date(value));
  if (typeof value === 'boolean') return yesNo(value, lang);
  return value;
}

/**
 * One CSV field (RFC 4180), with text that looks like a formula neutralised so a spreadsheet never runs
 * it (OWASP CSV injection); numbers are written as they are.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A download's file name for a format. */
export const fileName = (stem: string, format: ExportFormat): string =>
  `${stem.replace(/[\\/:*?"<>|\r\n]/g, '_')}.${format}`;
