import { sql } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { seesPublicViewOnly } from '../../core/policy/citizen-view.ts';
import { OPEN_STATES, type Satisfaction } from '../../core/workflow/index.ts';
import type { Database } from '../../db/database.ts';
import { loadCalendar } from '../calendar/load-calendar.ts';
import { presentDeadline, type DeadlineView } from './get-case.ts';
import { cursorAfter, decodeCursor } from './list-cases.ts';
import { presentSummary, type CaseSummary } from './present-case.ts';
import { citizenSummary } from './present-citizen-view.ts';

export interface MyReportsQuery {
  /** `open`: still being worked on; `closed`: 结案, 不予立案 or 作废. Both when absent. */
  state?: 'open' | 'closed' | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface MyReport {
  case: CaseSummary;
  /**
   * The running stage clock on the working calendar (time used against the limit, due date, overdue) —
   * null when no clock runs, and always null for a citizen (the public view has no time limits).
   */
  clock: DeadlineView | null;
  /** The reporter's satisfaction (回访 or the public rating), once given. */
  satisfaction: Satisfaction | null;
}

export interface MyReports {
  items: MyReport[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * 我的上报 (issue 11 §4): the cases the actor reported (first reporter, or the reporter of a duplicate
 * merged into the case), newest first, in keyset pages. Every role has this list — it needs no territory —
 * and a citizen gets each case in the public view (issue 11 §5).
 */
export async function listMyReports(
  deps: { database: Database; now: () => Date },
  actor: Actor,
  query: MyReportsQuery,
): Promise<MyReports> {
  const { db } = deps.database;
  const now = deps.now();
  const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
  const me = actor.userId;
  let q = db
    .selectFrom('cases')
    .selectAll()
    .where(sql<boolean>`(cases.reporter_user_id = ${me} or cases.reporter_ids @> array[${me}::text])`);
  if (query.state === 'open') q = q.where('state', 'in', OPEN_STATES);
  if (query.state === 'closed') q = q.where('state', 'not in', OPEN_STATES);
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    q = q.where(sql<boolean>`(cases.reported_at, cases.id) < (${cursor.k}::timestamptz, ${cursor.id})`);
  }
  const rows = await q
    .orderBy('reported_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? cursorAfter(last, 'newest') : null;

  const { calendar } = await loadCalendar(deps.database);
  const citizen = seesPublicViewOnly(actor);
  // the running clock of each case on the page (the stage the case's deadline names), one query
  const running = page.filter((r) => r.deadline_stage !== null).map((r) => r.id);
  const clocks =
    citizen || running.length === 0
      ? []
      : await db
          .selectFrom('case_deadlines')
          .selectAll()
          .where('case_id', 'in', running)
          .where('status', '=', 'running')
          .orderBy('started_at', 'desc')
          .orderBy('id', 'desc')
          .execute();
  const clockOf = new Map<string, (typeof clocks)[number]>();
  for (const c of clocks) {
    const row = page.find((r) => r.id === c.case_id);
    if (row && row.deadline_stage === c.stage && !clockOf.has(c.case_id)) clockOf.set(c.case_id, c);
  }

  const items = page.map((row): MyReport => {
    const summary = presentSummary(row, now, calendar);
    const clock = clockOf.get(row.id);
    return {
      case: citizen ? citizenSummary(summary) : summary,
      clock: clock ? presentDeadline(calendar, clock, now) : null,
      satisfaction: row.satisfaction,
    };
  });
  return { items, nextCursor };
}
