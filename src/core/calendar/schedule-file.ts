/**
 * A year's official holiday schedule as an administrator loads it (节假日安排: the State Council's notice,
 * e.g. 国办发明电), when the `chinese-days` package does not know the year yet. Two plain formats:
 *
 * CSV, one day a line (a header line and `#` comments are allowed):
 *
 *     date,kind,name
 *     2027-02-06,holiday,春节
 *     2027-02-14,workday,春节
 *
 * `kind` is `holiday` (休, a day off: every day of a holiday span, weekends included) or `workday` (班,
 * a make-up working day, 调休上班). JSON: `{ "year": 2027, "holidays": [...], "workdays": [...] }` where
 * each entry is `"2027-02-06"` or `{ "date": "2027-02-06", "name": "春节" }`.
 *
 * Checked as a whole: impossible dates, a date listed twice, a date both holiday and workday, a date of
 * another year, an unknown kind — every problem is reported with its line (CSV) or entry (JSON), and a
 * file with any problem yields no schedule at all.
 */
import { parseDateKey, type DateKey } from './time.ts';

export interface ScheduleEntry {
  date: DateKey;
  kind: 'holiday' | 'workday';
  name: string;
}

export interface YearSchedule {
  year: number;
  /** Sorted by date. */
  entries: ScheduleEntry[];
}

export interface ScheduleProblem {
  /** 1-based line of a CSV file, or null for a JSON file / the file as a whole. */
  line: number | null;
  /** JSON path of the entry (e.g. `/holidays/3`), or null. */
  path: string | null;
  message: string;
}

export type ScheduleParse = { ok: true; schedule: YearSchedule } | { ok: false; problems: ScheduleProblem[] };

const KIND: Record<string, ScheduleEntry['kind']> = {
  holiday: 'holiday',
  休: 'holiday',
  off: 'holiday',
  workday: 'workday',
  班: 'workday',
  makeup_workday: 'workday',
};
const kindOf = (text: string): ScheduleEntry['kind'] | undefined => {
  const key = text.toLowerCase();
  return Object.hasOwn(KIND, key) ? KIND[key] : undefined;
};
const MAX_NAME = 100;
const MAX_ENTRIES = 400;

interface RawEntry {
  date: string;
  kind: string;
  name: string;
  line: number | null;
  path: string | null;
}

/**
 * Parses and checks a schedule file. `year` is the year being loaded; when absent it is the JSON
 * `year`, else the year of the first valid date.
 */
export function parseScheduleFile(text: string, options: { year?: number | undefined } = {}): ScheduleParse {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return fail(null, null, 'the file is empty');
  let raw: RawEntry[];
  let year = options.year;
  if (trimmed.startsWith('{')) {
    const json = readJson(trimmed);
    if (!json.ok) return json;
    raw = json.entries;
    if (year === undefined && json.year !== undefined) {
      year = json.year;
    } else if (year !== undefined && json.year !== undefined && json.year !== year) {
      return fail(null, '/year', `the file is for ${json.year}, not ${year}`);
    }
  } else {
    raw = readCsv(trimmed);
  }
  return check(raw, year);
}

const fail = (line: number | null, path: string | null, message: string): ScheduleParse => ({
  ok: false,
  problems: [{ line, path, message }],
});

function readCsv(text: string): RawEntry[] {
  const out: RawEntry[] = [];
  text.split(/\r?\n/).forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(',').map((c) => c.trim());
    if (i === 0 || out.length === 0) {
      // a header names its columns; a data line starts with a digit
      if (/^date$/i.test(cells[0] ?? '') || /^日期$/.test(cells[0] ?? '')) return;
    }
    out.push({
      date: cells[0] ?? '',
      kind: cells[1] ?? '',
      name: cells.slice(2).join(',').trim(),
      line: i + 1,
      path: null,
    });
  });
  return out;
}

function readJson(
  text: string,
): { ok: true; year: number | undefined; entries: RawEntry[] } | { ok: false; problems: ScheduleProblem[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problems: [{ line: null, path: null, message: `not valid JSON: ${(error as Error).message}` }],
    };
  }
  const problems: ScheduleProblem[] = [];
  const object = data as Record<string, unknown>;
  let year: number | undefined;
  if (object.year !== undefined) {
    if (typeof object.year === 'number' && Number.isInteger(object.year)) year = object.year;
    else problems.push({ line: null, path: '/year', message: 'year must be a whole number such as 2027' });
  }
  const entries: RawEntry[] = [];
  for (const kind of ['holidays', 'workdays'] as const) {
    const list = object[kind];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problems.push({ line: null, path: `/${kind}`, message: `${kind} must be a list of dates` });
      continue;
    }
    list.forEach((item: unknown, i) => {
      const path = `/${kind}/${i}`;
      const entry =
        typeof item === 'string'
          ? { date: item, name: '' }
          : item && typeof item === 'object'
            ? (item as { date?: unknown; name?: unknown })
            : null;
      if (
        !entry ||
        typeof entry.date !== 'string' ||
        (entry.name !== undefined && typeof entry.name !== 'string')
      ) {
        problems.push({
          line: null,
          path,
          message: 'an entry is "YYYY-MM-DD" or {"date": "YYYY-MM-DD", "name": "…"}',
        });
        return;
      }
      entries.push({
        date: entry.date,
        kind: kind === 'holidays' ? 'holiday' : 'workday',
        name: typeof entry.name === 'string' ? entry.name.trim() : '',
        line: null,
        path,
      });
    });
  }
  const unknown = Object.keys(object).filter((k) => !['year', 'holidays', 'workdays'].includes(k));
  for (const k of unknown) problems.push({ line: null, path: `/${k}`, message: `unknown field ${k}` });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, year, entries };
}

function check(raw: RawEntry[], givenYear: number | undefined): ScheduleParse {
  const problems: ScheduleProblem[] = [];
  const where = (e: RawEntry) => (e.line !== null ? `line ${e.line}` : e.path!);
  const problem = (e: RawEntry, message: string) =>
    problems.push({ line: e.line, path: e.path, message: `${where(e)}: ${message}` });
  if (raw.length === 0) return fail(null, null, 'the file lists no holidays or make-up workdays');
  if (raw.length > MAX_ENTRIES) return fail(null, null, `the file lists more than ${MAX_ENTRIES} days`);
  let year = givenYear;
  if (year !== undefined && (!Number.isInteger(year) || year < 2000 || year > 2100))
    return fail(null, null, `the year must be between 2000 and 2100, got ${year}`);
  const seen = new Map<DateKey, RawEntry>();
  const entries: ScheduleEntry[] = [];
  for (const e of raw) {
    const parts = parseDateKey(e.date);
    if (!parts) {
      problem(e, `not a calendar date (YYYY-MM-DD): ${JSON.stringify(e.date)}`);
      continue;
    }
    year ??= parts.year;
    if (parts.year !== year) {
      problem(e, `${e.date} is not in ${year}`);
      continue;
    }
    const kind = kindOf(e.kind);
    if (!kind) {
      problem(e, `kind must be holiday (休) or workday (班), got ${JSON.stringify(e.kind)}`);
      continue;
    }
    if (e.name.length > MAX_NAME) {
      problem(e, `the name is longer than ${MAX_NAME} characters`);
      continue;
    }
    if ([...e.name].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) {
      problem(e, 'the name contains control characters');
      continue;
    }
    const before = seen.get(e.date);
    if (before) {
      const first = kindOf(before.kind);
      problem(
        e,
        first === kind
          ? `${e.date} is listed twice (also ${where(before)})`
          : `${e.date} is both a holiday and a make-up workday (also ${where(before)})`,
      );
      continue;
    }
    seen.set(e.date, e);
    entries.push({ date: e.date, kind, name: e.name });
  }
  if (problems.length > 0) return { ok: false, problems };
  entries.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { ok: true, schedule: { year: year!, entries } };
}
