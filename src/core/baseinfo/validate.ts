import type { Result } from '../errors.ts';

/**
 * Field validation of base information with the real rules (issue 12 §2): the GB 11643 resident ID check
 * digit and birth date, the GB 32100 unified social credit code check character, mainland mobile numbers.
 * Every failure is a `FieldError` with a stable `code` (the web and the import row report translate it).
 */
export const FIELD_ERROR_CODES = [
  'required', // empty where a value is needed
  'too_long',
  'bad_format', // wrong length or characters
  'bad_check_digit', // GB 11643 / GB 32100 check character does not match
  'bad_birth_date', // the birth date inside a resident ID number is impossible or in the future
  'bad_date', // not a real calendar date (YYYY-MM-DD)
  'date_order', // e.g. left before moved in
  'out_of_range',
  'unknown_value', // not one of the allowed values of an enum
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export interface FieldError {
  field: string;
  code: FieldErrorCode;
  /** The offending value, for the row report (never a full ID/phone number: see `maskedValue`). */
  value?: string;
}

const fieldError = (field: string, code: FieldErrorCode, value?: string): FieldError =>
  value === undefined ? { field, code } : { field, code, value };

/** Whether `year-month-day` is a real Gregorian date. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/** Parses an ISO calendar date `YYYY-MM-DD` (years 1900–2199), or null. Also accepts `YYYY/MM/DD` and `YYYYMMDD`. */
export function parseDateKey(text: string): string | null {
  const m = /^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2199 || !isRealDate(y, mo, d)) return null;
  return `${String(y)}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The GB 11643 check character of the first 17 digits of a resident ID number. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] ?? '?';
}

/** Trims, converts full-width characters and upper-cases a trailing x: how ID numbers are compared and stored. */
export const normalizeIdNumber = (text: string): string =>
  text.normalize('NFKC').replace(/\s+/g, '').toUpperCase();

export interface ResidentIdFacts {
  number: string;
  regionCode: string;
  birthDate: string; // YYYY-MM-DD
  sex: 'male' | 'female';
}

/**
 * Validates an 18-character resident ID number (居民身份证号码, GB 11643-1999): 6-digit region code,
 * 8-digit birth date (a real date, from 1900 and not after `today`), 3-digit sequence (odd = male),
 * check character. The region code is not checked against GB/T 2260 (codes change; the demo uses an
 * unassigned prefix on purpose, see the README).
 */
export function validateResidentId(
  text: string,
  today: string,
  field = 'idNumber',
): Result<ResidentIdFacts, FieldError> {
  const number = normalizeIdNumber(text);
  if (number === '') return { ok: false, error: fieldError(field, 'required') };
  if (!/^[1-9][0-9]{16}[0-9X]$/.test(number)) return { ok: false, error: fieldError(field, 'bad_format') };
  const y = Number(number.slice(6, 10));
  const m = Number(number.slice(10, 12));
  const d = Number(number.slice(12, 14));
  const birthDate = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`;
  if (y < 1900 || !isRealDate(y, m, d) || birthDate > today)
    return { ok: false, error: fieldError(field, 'bad_birth_date') };
  if (residentIdCheckChar(number) !== number[17])
    return { ok: false, error: fieldError(field, 'bad_check_digit') };
  return {
    ok: true,
    value: {
      number,
      regionCode: number.slice(0, 6),
      birthDate,
      sex: Number(number[16]) % 2 === 1 ? 'male' : 'female',
    },
  };
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The GB 32100-2015 check character of the first 17 characters of a unified social credit code. */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i] ?? '') * (USCC_WEIGHTS[i] ?? 0);
  const c = 31 - (sum % 31);
  return USCC_CHARS[c === 31 ? 0 : c] ?? '?';
}

/** Validates a unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters of its alphabet (no I, O, S, V, Z) and the check character. */
export function validateCreditCode(text: string, field = 'creditCode'): Result<string, FieldError> {
  const code = text.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (code === '') return { ok: false, error: fieldError(field, 'required') };
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code))
    return { ok: false, error: fieldError(field, 'bad_format', code) };
  if (creditCodeCheckChar(code) !== code[17])
    return { ok: false, error: fieldError(field, 'bad_check_digit', code) };
  return { ok: true, value: code };
}

/**
 * Validates a mainland mobile number (手机号): 11 digits starting 13–19, optionally written with +86/0086,
 * spaces or dashes. Returns the bare 11 digits.
 */
export function validateMobile(text: string, field = 'phone'): Result<string, FieldError> {
  let digits = text.normalize('NFKC').replace(/[\s-]/g, '');
  if (digits === '') return { ok: false, error: fieldError(field, 'required') };
  digits = digits.replace(/^(\+86|0086)/, '');
  if (!/^1[3-9][0-9]{9}$/.test(digits)) return { ok: false, error: fieldError(field, 'bad_format') };
  return { ok: true, value: digits };
}

/** Validates a free-text field: trimmed, required or not, at most `max` characters. */
export function validateText(
  text: string | null | undefined,
  field: string,
  options: { required: boolean; max: number },
): Result<string | null, FieldError> {
  const value = (text ?? '').normalize('NFC').trim();
  if (value === '')
    return options.required ? { ok: false, error: fieldError(field, 'required') } : { ok: true, value: null };
  if (Array.from(value).length > options.max) return { ok: false, error: fieldError(field, 'too_long') };
  return { ok: true, value };
}

/** Validates one of an enum's values. */
export function validateEnum<T extends string>(
  text: string | null | undefined,
  allowed: readonly T[],
  field: string,
): Result<T, FieldError> {
  const value = (text ?? '').trim();
  if (value === '') return { ok: false, error: fieldError(field, 'required') };
  return (allowed as readonly string[]).includes(value)
    ? { ok: true, value: value as T }
    : { ok: false, error: fieldError(field, 'unknown_value', value.slice(0, 40)) };
}

/** Validates an optional calendar date. */
export function validateDate(
  text: string | null | undefined,
  field: string,
): Result<string | null, FieldError> {
  const value = (text ?? '').trim();
  if (value === '') return { ok: true, value: null };
  const date = parseDateKey(value);
  return date === null
    ? { ok: false, error: fieldError(field, 'bad_date', value.slice(0, 20)) }
    : { ok: true, value: date };
}

/** Validates an optional number in [min, max]. */
export function validateNumber(
  value: string | number | null | undefined,
  field: string,
  options: { min: number; max: number; integer: boolean },
): Result<number | null, FieldError> {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === ''))
    return { ok: true, value: null };
  const n = typeof value === 'number' ? value : Number(value.normalize('NFKC').trim());
  if (!Number.isFinite(n) || (options.integer && !Number.isInteger(n)))
    return { ok: false, error: fieldError(field, 'bad_format', String(value).slice(0, 20)) };
  if (n < options.min || n > options.max)
    return { ok: false, error: fieldError(field, 'out_of_range', String(n)) };
  return { ok: true, value: n };
}
