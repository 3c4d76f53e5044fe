import type { Kysely, Selectable } from 'kysely';
import type { DeadlineSpec } from '../../core/calendar/status.ts';
import {
  computeDue,
  isOverdue,
  measureElapsed,
  YELLOW_AT,
  type Pause,
  type TimeUnit,
} from '../../core/calendar/deadline.ts';
import type { WorkingCalendar } from '../../core/calendar/working-calendar.ts';
import type { CaseDeadlinesTable, Stage, Urgency } from '../../db/schema/cases.ts';
import type { DB } from '../../db/schema/index.ts';
import { colourAt } from './present-case.ts';
import { resolveStageLimit } from './sla.ts';

const COLOUR_RANK = { green: 0, yellow: 1, red: 2 } as const;

/**
 * The stage clocks of one case (case_deadlines), driven by the workflow's clock effects. All calls run
 * inside the action's transaction; the calendar is loaded before the transaction opens (PGlite has one
 * connection, so nothing may read outside the transaction while it is open).
 */
export interface ClockContext {
  trx: Kysely<DB>;
  calendar: WorkingCalendar;
  now: Date;
  caseId: string;
  categoryCode: string | null;
  urgency: Urgency;
}

/** What a stopped clock tells the event row: time used against the limit, and whether it was on time. */
export interface StoppedClock {
  stage: Stage;
  used: number;
  limit: number;
  unit: TimeUnit;
  onTime: boolean;
}

interface PauseJson {
  start: string;
  end: string;
}

/** The columns of a stored clock (case_deadlines) that say how far it has run. */
export type ClockRow = Pick<
  Selectable<CaseDeadlinesTable>,
  'started_at' | 'limit_amount' | 'limit_unit' | 'extension_amount' | 'pauses'
> & { paused_since?: Date | null };

/**
 * THE reading of a clock row's suspensions (挂账): the closed pauses stored as JSON, plus the open one
 * while the clock is paused, ending at `openUntil` (null: still open). Without `openUntil` an open pause
 * is left out.
 */
export function pausesOf(row: ClockRow, openUntil?: Date | null): Pause[] {
  const pauses = (Array.isArray(row.pauses) ? (row.pauses as PauseJson[]) : []).map((p) => ({
    start: new Date(p.start),
    end: new Date(p.end),
  })) as Pause[];
  if (row.paused_since && openUntil !== undefined) pauses.push({ start: row.paused_since, end: openUntil });
  return pauses;
}

/** Closed pauses as stored. */
const pausesJson = (pauses: readonly Pause[]): string =>
  JSON.stringify(pauses.map((p) => ({ start: p.start.toISOString(), end: p.end!.toISOString() })));

/** A clock row in the calendar core's terms (deadlineStatus), with the pauses given. */
export const clockSpecOf = (row: ClockRow, pauses: readonly Pause[]): DeadlineSpec => ({
  start: row.started_at,
  amount: row.limit_amount,
  unit: row.limit_unit,
  pauses,
  extensions: [row.extension_amount],
});

async function openClock(ctx: ClockContext, stage: Stage) {
  return ctx.trx
    .selectFrom('case_deadlines')
    .selectAll()
    .where('case_id', '=', ctx.caseId)
    .where('stage', '=', stage)
    .where('status', '<>', 'stopped')
    .forUpdate()
    .executeTakeFirst();
}

/** Due and warning (80 %) instants of a limit, with the clock stopped during `pauses`. */
function dueAndWarn(calendar: WorkingCalendar, start: Date, limit: number, unit: TimeUnit, pauses: Pause[]) {
  return {
    due_at: computeDue(calendar, start, limit, unit, pauses).due,
    warn_at: computeDue(calendar, start, limit * YELLOW_AT, unit, pauses).due,
  };
}

/** Starts the clock of `stage` now with the limit of the SLA policy. A clock already running is kept. */
export async function startClock(ctx: ClockContext, stage: Stage): Promise<void> {
  if (await openClock(ctx, stage)) return;
  const limit = await resolveStageLimit(ctx.trx, {
    categoryCode: ctx.categoryCode,
    urgency: ctx.urgency,
    stage,
  });
  await ctx.trx
    .insertInto('case_deadlines')
    .values({
      case_id: ctx.caseId,
      stage,
      started_at: ctx.now,
      limit_amount: limit.amount,
      limit_unit: limit.unit,
      ...dueAndWarn(ctx.calendar, ctx.now, limit.amount, limit.unit, []),
    })
    .execute();
}

/** Stops the clock of `stage` for good; null when it was not running. */
export async function stopClock(ctx: ClockContext, stage: Stage): Promise<StoppedClock | null> {
  const row = await openClock(ctx, stage);
  if (!row) return null;
  const pauses = pausesOf(row, ctx.now);
  const limit = row.limit_amount + row.extension_amount;
  const used = measureElapsed(ctx.calendar, row.started_at, ctx.now, row.limit_unit, pauses).value;
  const onTime = !isOverdue(limit, used);
  await ctx.trx
    .updateTable('case_deadlines')
    .set({
      status: 'stopped',
      stopped_at: ctx.now,
      time_used: used,
      on_time: onTime,
      paused_since: null,
      pauses: pausesJson(pauses),
    })
    .where('id', '=', row.id)
    .execute();
  return { stage, used, limit, unit: row.limit_unit, onTime };
}

/** 挂账: the clock stops counting (no due date while paused). */
export async function pauseClock(ctx: ClockContext, stage: Stage): Promise<void> {
  const row = await openClock(ctx, stage);
  if (!row || row.status === 'paused') return;
  await ctx.trx
    .updateTable('case_deadlines')
    .set({ status: 'paused', paused_since: ctx.now, due_at: null, warn_at: null })
    .where('id', '=', row.id)
    .execute();
}

/** The clock counts again; its due date moves by the suspended time. */
export async function resumeClock(ctx: ClockContext, stage: Stage): Promise<void> {
  const row = await openClock(ctx, stage);
  if (!row || row.status !== 'paused' || !row.paused_since) return;
  const pauses = pausesOf(row, ctx.now);
  await ctx.trx
    .updateTable('case_deadlines')
    .set({
      status: 'running',
      paused_since: null,
      paused_total_ms: Number(row.paused_total_ms) + (ctx.now.getTime() - row.paused_since.getTime()),
      pauses: pausesJson(pauses),
      ...dueAndWarn(
        ctx.calendar,
        row.started_at,
        row.limit_amount + row.extension_amount,
        row.limit_unit,
        pauses,
      ),
    })
    .where('id', '=', row.id)
    .execute();
}

/**
 * 延期: moves the due date to `dueAt` by adding the counted time between the current due date and
 * `dueAt` to the limit (in the limit's unit), so "time used vs limit" stays meaningful.
 */
export async function extendClock(ctx: ClockContext, stage: Stage, dueAt: Date): Promise<void> {
  const row = await openClock(ctx, stage);
  if (!row) return;
  const pauses = pausesOf(row);
  const limit = row.limit_amount + row.extension_amount;
  const current = computeDue(ctx.calendar, row.started_at, limit, row.limit_unit, pauses).due;
  if (!current || dueAt <= current) return;
  const extra = measureElapsed(ctx.calendar, current, dueAt, row.limit_unit).value;
  const extension = row.extension_amount + extra;
  await ctx.trx
    .updateTable('case_deadlines')
    .set({
      extension_amount: extension,
      ...(row.status === 'running'
        ? dueAndWarn(ctx.calendar, row.started_at, row.limit_amount + extension, row.limit_unit, pauses)
        : {}),
      // a new due date is a new chance: the sweeper escalates the extended deadline afresh
      escalation_level: 0,
    })
    .where('id', '=', row.id)
    .execute();
}

/** The case's current clock: the open one due first (a paused one has no due date), or null. */
export async function currentClock(
  ctx: Pick<ClockContext, 'trx' | 'caseId'>,
): Promise<{ stage: Stage; due_at: Date | null; warn_at: Date | null } | null> {
  const open = await ctx.trx
    .selectFrom('case_deadlines')
    .select(['stage', 'due_at', 'warn_at'])
    .where('case_id', '=', ctx.caseId)
    .where('status', '<>', 'stopped')
    .orderBy('due_at', (ob) => ob.asc().nullsLast())
    .executeTakeFirst();
  return open ?? null;
}

/**
 * Copies the case's current clock (`currentClock`) onto the case row, for lists and the workflow
 * snapshot. Returns it.
 */
export async function syncCaseDeadline(
  ctx: Pick<ClockContext, 'trx' | 'caseId'>,
): Promise<{ stage: Stage; dueAt: Date | null } | null> {
  const open = await currentClock(ctx);
  await ctx.trx
    .updateTable('cases')
    .set({
      deadline_stage: open?.stage ?? null,
      due_at: open?.due_at ?? null,
      warn_at: open?.warn_at ?? null,
    })
    .where('id', '=', ctx.caseId)
    .execute();
  return open ? { stage: open.stage, dueAt: open.due_at } : null;
}

/**
 * Recomputes the due and warning instants of every running clock that can depend on `year` (started
 * before it ends, due on or after it starts, or not computable yet; every running clock when `year` is
 * null), after that year's working calendar
 * changed — inside the transaction that changed it, so no reader sees the new calendar with old due
 * dates. A clock whose deadline moved later loses a colour it no longer deserves (red → yellow/green);
 * one that became due earlier keeps its colour, and the sweeper turns it, with its notifications.
 * The case rows' copy of the current clock follows. Returns how many clocks changed.
 */
export async function recomputeClocksForYear(
  trx: Kysely<DB>,
  calendar: WorkingCalendar,
  year: number | null,
  now: Date,
): Promise<number> {
  // Beijing midnight of 1 January; with no year (working segments changed) every running clock
  const yearStart = new Date(Date.UTC(year ?? 1900, 0, 1) - 8 * 3_600_000);
  const yearEnd = new Date(Date.UTC((year ?? 9998) + 1, 0, 1) - 8 * 3_600_000);
  const rows = await trx
    .selectFrom('case_deadlines')
    .select([
      'id',
      'case_id',
      'started_at',
      'limit_amount',
      'limit_unit',
      'extension_amount',
      'pauses',
      'due_at',
      'warn_at',
      'colour',
    ])
    .where('status', '=', 'running')
    .where('started_at', '<', yearEnd)
    .where((eb) => eb.or([eb('due_at', 'is', null), eb('due_at', '>=', yearStart)]))
    .orderBy('id')
    .forUpdate()
    .execute();
  const cases = new Set<string>();
  let changed = 0;
  for (const row of rows) {
    const next = dueAndWarn(
      calendar,
      row.started_at,
      row.limit_amount + row.extension_amount,
      row.limit_unit,
      pausesOf(row),
    );
    if (
      next.due_at?.getTime() === row.due_at?.getTime() &&
      next.warn_at?.getTime() === row.warn_at?.getTime()
    )
      continue;
    // a later deadline takes back a colour no longer deserved; an earlier one waits for the sweeper
    const deserved = colourAt(next, now) ?? 'green';
    const colour = COLOUR_RANK[deserved] < COLOUR_RANK[row.colour] ? deserved : row.colour;
    await trx
      .updateTable('case_deadlines')
      .set({ ...next, colour })
      .where('id', '=', row.id)
      .execute();
    changed++;
    cases.add(row.case_id);
  }
  for (const caseId of cases) await syncCaseDeadline({ trx, caseId });
  return changed;
}
