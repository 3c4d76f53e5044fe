/**
 * The figures that say whether the demo history looks like a district that works (issue 14 item 5):
 * how many cases closed on time, how many open ones are overdue now, and how many streets and
 * departments have enough cases due in the last full month to be ranked. Read-only; used by the demo
 * history's tests and printed by `serve --demo`'s log line. Not the evaluation's indicators (those live
 * in src/core/evaluation): a rough, independent check of the demo data.
 */
import { addDays, dateKeyOf, dayStartMs } from '../core/calendar/index.ts';
import { OPEN_STATES } from '../core/workflow/index.ts';
import type { Database } from '../db/database.ts';

/** Cases due in a month below which a unit is too small to rank (the evaluation's default threshold, 10). */
export const RANKABLE_CASES = 10;

export interface UnitFigures {
  /** Cases whose handling clock (处置时限) fell due in the last full month. */
  due: number;
  /** Of those, closed late or still open and overdue. */
  late: number;
  returns: number;
  reworks: number;
}

export interface DemoFigures {
  cases: number;
  open: number;
  /** Open cases past their current deadline now. */
  openOverdue: number;
  /** Cases closed in the normal way (not rejected, cancelled, merged or specially closed). */
  closed: number;
  /** Closed without ever going past a deadline (按期结案). */
  closedOnTime: number;
  /** The last full month in Beijing time, `YYYY-MM`. */
  month: string;
  streets: Record<string, UnitFigures>;
  departments: Record<string, UnitFigures>;
}

const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
export const onTimeShare = (f: DemoFigures) => share(f.closedOnTime, f.closed);
export const overdueOpenShare = (f: DemoFigures) => share(f.openOverdue, f.open);
export const rankable = (units: Record<string, UnitFigures>) =>
  Object.entries(units)
    .filter(([, u]) => u.due >= RANKABLE_CASES)
    .map(([code]) => code);

/** The figures of the database's cases as seen at `now`. */
export async function demoFigures(database: Database, now: Date): Promise<DemoFigures> {
  const { db } = database;
  const cases = await db
    .selectFrom('cases')
    .select([
      'id',
      'state',
      'due_at',
      'overdue',
      'closure_type',
      'street_code',
      'lead_department_id',
      'return_count',
      'rework_count',
    ])
    .execute();
  const open: readonly string[] = OPEN_STATES;
  const openCases = cases.filter((c) => open.includes(c.state));
  const closed = cases.filter(
    (c) => c.state === 'closed' && (c.closure_type === 'normal' || c.closure_type === 'overdue'),
  );

  const today = dateKeyOf(now);
  const monthStart = `${today.slice(0, 7)}-01`;
  const previousStart = `${addDays(monthStart, -1).slice(0, 7)}-01`;
  const from = new Date(dayStartMs(previousStart));
  const to = new Date(dayStartMs(monthStart));
  // the case's last handling clock: the department's deadline, the one the rankings count
  const clocks = await db
    .selectFrom('case_deadlines')
    .select(['case_id', 'due_at', 'on_time', 'status'])
    .where('stage', '=', 'handle')
    .where('due_at', '>=', from)
    .where('due_at', '<', to)
    .orderBy('id')
    .execute();
  const lastClock = new Map(clocks.map((c) => [c.case_id, c]));
  const streets: Record<string, UnitFigures> = {};
  const departments: Record<string, UnitFigures> = {};
  const add = (units: Record<string, UnitFigures>, key: string, c: (typeof cases)[number], late: boolean) => {
    const u = (units[key] ??= { due: 0, late: 0, returns: 0, reworks: 0 });
    u.due++;
    if (late) u.late++;
    u.returns += c.return_count;
    u.reworks += c.rework_count;
  };
  for (const c of cases) {
    const clock = lastClock.get(c.id);
    if (!clock) continue;
    const late = clock.on_time === false || (clock.status !== 'stopped' && clock.due_at! < now);
    if (c.street_code) add(streets, c.street_code, c, late);
    if (c.lead_department_id) add(departments, c.lead_department_id, c, late);
  }
  return {
    cases: cases.length,
    open: openCases.length,
    openOverdue: openCases.filter((c) => c.due_at !== null && c.due_at < now).length,
    closed: closed.length,
    closedOnTime: closed.filter((c) => !c.overdue && c.closure_type === 'normal').length,
    month: previousStart.slice(0, 7),
    streets,
    departments,
  };
}

/** One line for logs: on-time share, overdue share of the open cases, rankable units. */
export function describeFigures(f: DemoFigures): string {
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  return (
    `${pct(onTimeShare(f))} closed on time, ${f.openOverdue}/${f.open} open cases overdue, ` +
    `${rankable(f.streets).length}/${Object.keys(f.streets).length} streets and ` +
    `${rankable(f.departments).length}/${Object.keys(f.departments).length} departments rankable in ${f.month}`
  );
}
