import { citizenSummary } from './present-citizen-view.ts';
import { sql } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { seesPublicViewOnly } from '../../core/policy/citizen-view.ts';
import { scopedCases } from './case-filter.ts';
import type { Database } from '../../db/database.ts';
import type { CaseSource, CaseStateName } from '../../db/schema/cases.ts';
import { loadCalendar } from '../calendar/load-calendar.ts';
import { presentSummary, type CaseSummary } from './present-case.ts';

export interface ListCasesQuery {
  state?: CaseStateName[] | undefined;
  street?: string | undefined;
  committee?: string | undefined;
  grid?: string | undefined;
  /** 大类 (2 digits) matches all its 小类. */
  category?: string | undefined;
  /** Lead, assisting or linked police department. */
  department?: string | undefined;
  /** true: the running clock is past due now; false: it is not (or no clock runs). */
  overdue?: boolean | undefined;
  colour?: 'green' | 'yellow' | 'red' | undefined;
  source?: CaseSource[] | undefined;
  urgency?: 'normal' | 'urgent' | undefined;
  supervised?: boolean | undefined;
  /** Words in the description or address, or (part of) the case number. */
  text?: string | undefined;
  /** `deadline` (default): the earliest due first, cases without a running clock last; `newest`: by report time. */
  sort?: 'deadline' | 'newest' | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface CaseList {
  items: CaseSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

interface Cursor {
  k: string;
  id: string;
}

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

// exactly what encodeCursor writes: an instant as Date#toISOString gives it (years 1970–2199), or `infinity`
const CURSOR_INSTANT =
  /^(19[7-9][0-9]|2[01][0-9]{2})-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;
// case ids are UUIDs in practice; any short id of visible ASCII is accepted, nothing else reaches SQL
const CURSOR_ID = /^[\x21-\x7e]{1,100}$/;

/**
 * Reads a cursor back, strictly (issue 9, finding 4): a crafted cursor whose key `Date.parse` accepts but
 * PostgreSQL does not (`"1"`, `"Tue Mar 03 2026"`, `2026-02-30T…`, year 275760) answers 400, never 500.
 */
export function decodeCursor(text: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor> | null;
    if (
      c !== null &&
      typeof c === 'object' &&
      typeof c.k === 'string' &&
      typeof c.id === 'string' &&
      CURSOR_ID.test(c.id) &&
      (c.k === 'infinity' || (CURSOR_INSTANT.test(c.k) && new Date(c.k).toISOString() === c.k))
    ) {
      return { k: c.k, id: c.id };
    }
  } catch {
    // not base64 JSON: the same answer as a well-formed but wrong cursor
  }
  throw new AppError('validation_failed', 'Invalid cursor', {
    problems: [{ path: '/cursor', message: 'invalid cursor' }],
  });
}

/** The cursor of the page that follows `row` in the given order (keyset: the order's key and the id). */
export function cursorAfter(
  row: { id: string; due_at: Date | null; reported_at: Date },
  sort: 'deadline' | 'newest',
): string {
  return encodeCursor({
    k: sort === 'deadline' ? (row.due_at?.toISOString() ?? 'infinity') : row.reported_at.toISOString(),
    id: row.id,
  });
}

/**
 * Cases the actor may see (always through the case scope), filtered, ordered by deadline or report
 * time, with keyset (cursor) pagination that stays stable while cases change.
 */
export async function listCases(
  deps: { database: Database; now: () => Date },
  actor: Actor,
  query: ListCasesQuery,
): Promise<CaseList> {
  const now = deps.now();
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  // a citizen may not sort or filter by what the public view hides (issue 11 §5): by clock, department,
  // supervision or urgency their own list would tell which of their cases is overdue or where it went
  if (seesPublicViewOnly(actor)) query = publicQuery(query);
  const sort = query.sort ?? 'deadline';
  const rows = await listCasesQuery(deps.database, actor, query, now, limit).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? cursorAfter(last, sort) : null;
  const { calendar } = await loadCalendar(deps.database);
  const items = page.map((r) => presentSummary(r, now, calendar));
  // a citizen gets the public view of their own cases (issue 11 §5)
  return { items: actor.role === 'citizen' ? items.map(citizenSummary) : items, nextCursor };
}

/** A citizen's list query: the filters of the public view only, newest first. */
function publicQuery(query: ListCasesQuery): ListCasesQuery {
  const { state, street, committee, grid, category, source, text, cursor, limit } = query;
  return { state, street, committee, grid, category, source, text, cursor, limit, sort: 'newest' };
}

/**
 * The select of one page (`limit + 1` rows, to know whether another page follows). The deadline order is
 * `coalesce(due_at, 'infinity'), id` — the key of `cases_deadline_order_idx` (migration 0012), which the
 * cursor compares as a row, so a page is an index range scan (test/read-indexes.test.ts reads the plan).
 */
export function listCasesQuery(
  database: Database,
  actor: Actor,
  query: ListCasesQuery,
  now: Date,
  limit: number,
) {
  const sort = query.sort ?? 'deadline';
  // territory scope and the workbench filters: one definition, shared with the queue counts (stats)
  let q = scopedCases(database, actor, query).selectAll();
  if (query.state?.length) q = q.where('state', 'in', query.state);
  if (query.urgency) q = q.where('urgency', '=', query.urgency);
  if (query.supervised !== undefined) q = q.where('supervised', '=', query.supervised);
  if (query.overdue === true) q = q.where('due_at', '<', now);
  if (query.overdue === false)
    q = q.where((eb) => eb.or([eb('due_at', 'is', null), eb('due_at', '>=', now)]));
  if (query.colour === 'red') q = q.where('due_at', '<', now);
  if (query.colour === 'yellow') q = q.where('due_at', '>=', now).where('warn_at', '<=', now);
  if (query.colour === 'green') q = q.where('warn_at', '>', now);

  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  if (sort === 'deadline') {
    const due = sql`coalesce(cases.due_at, 'infinity'::timestamptz)`;
    if (cursor) q = q.where(sql<boolean>`(${due}, cases.id) > (${cursor.k}::timestamptz, ${cursor.id})`);
    q = q.orderBy(due, 'asc').orderBy('id', 'asc');
  } else {
    if (cursor)
      q = q.where(sql<boolean>`(cases.reported_at, cases.id) < (${cursor.k}::timestamptz, ${cursor.id})`);
    q = q.orderBy('reported_at', 'desc').orderBy('id', 'desc');
  }
  return q.limit(limit + 1);
}
