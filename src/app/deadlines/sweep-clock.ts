/**
 * One stage clock in a sweep (see sweep-deadlines.ts): claiming the clocks with something to do, measuring
 * each with the calendar core, and writing what changed — colour, overdue flag, escalation levels with their
 * event rows and notifications — inside the claiming transaction.
 */
import { sql, type Kysely } from 'kysely';
import { SYSTEM_ACTOR, type Actor } from '../../core/actor.ts';
import { computeDue, deadlineStatus, YELLOW_AT } from '../../core/calendar/index.ts';
import type { WorkingCalendar } from '../../core/calendar/working-calendar.ts';
import {
  ESCALATION_ACTION,
  ESCALATION_ACTION_NAME,
  ESCALATION_LEVEL_NAMES,
  WARNING_KIND,
  WARNING_KIND_NAME,
  describeEscalationRecipient,
  escalationRecipients,
  levelReached,
  nextLevelAmount,
  type EscalationLevel,
  type EscalationPolicy,
  type EscalationRecipient,
} from '../../core/deadlines/escalation.ts';
import type { DB } from '../../db/schema/index.ts';
import { appendCaseEvents } from '../cases/append-case-events.ts';
import { clockSpecOf, pausesOf } from '../cases/clocks.ts';
import { writeNotifications } from '../cases/notify.ts';
import type { Logger } from '../logger.ts';

// the labels live with the escalation rules in the core; re-exported for the sweeper's callers
export { ESCALATION_ACTION, ESCALATION_ACTION_NAME, WARNING_KIND };

/**
 * When a running clock next has something for the sweeper to do: green → its warning instant (or its due
 * date, should that come first), yellow → its due date, red → its next escalation level (at once for a
 * red clock at level 0: an extension reset it and it must be measured afresh). `wake <= now` is exactly
 * the claim condition (null for a clock that is not running); the expression is the key of `case_deadlines_sweep_idx` (migration 0012, partial on
 * `status = 'running'`) and must stay identical to it, so a pass reads the due clocks from that index
 * instead of scanning every deadline row (test/read-indexes.test.ts checks the plan on PostgreSQL).
 */
export const SWEEP_WAKE = sql<Date | null>`(case when d.status = 'running' then case d.colour when 'green' then least(d.warn_at, d.due_at) when 'yellow' then d.due_at else case when d.escalation_level = 0 then '-infinity'::timestamptz else d.next_escalation_at end end end)`;

export type ClaimedRow = Awaited<ReturnType<typeof claimDue>>[number];

/**
 * Claims up to `limit` running clocks with something to do at `now`: green past the warning instant,
 * not yet red past the due date, red with the next escalation level due — or red at level 0, which is
 * a clock whose deadline an extension moved (clocks.ts resets the level) and must be measured afresh.
 * Rows another process holds are skipped, not waited for.
 */
export async function claimDue(trx: Kysely<DB>, now: Date, limit: number, afterId: number) {
  return claimDueQuery(trx, now, limit, afterId).execute();
}

/** The claim of `claimDue` as a query (tests read its plan). */
export function claimDueQuery(trx: Kysely<DB>, now: Date, limit: number, afterId: number) {
  return trx
    .selectFrom('case_deadlines as d')
    .innerJoin('cases as c', 'c.id', 'd.case_id')
    .select([
      'd.id',
      'd.case_id',
      'd.stage',
      'd.started_at',
      'd.limit_amount',
      'd.limit_unit',
      'd.extension_amount',
      'd.pauses',
      'd.due_at',
      'd.warn_at',
      'd.colour',
      'd.escalation_level',
      'c.case_no',
      'c.state',
      'c.description',
      'c.urgency',
      'c.category_code',
      'c.owner_level',
      'c.owner_code',
      'c.street_code',
      'c.district_code',
      'c.lead_department_id',
      'c.assignee_user_id',
      'c.deadline_stage',
    ])
    .where('d.status', '=', 'running')
    .where(sql<boolean>`${SWEEP_WAKE} <= ${now}`)
    .where('d.id', '>', afterId)
    .orderBy('d.id')
    .limit(limit)
    .forUpdate(['d', 'c'])
    .skipLocked();
}

export interface Outcome {
  warned: boolean;
  turnedRed: boolean;
  levels: EscalationLevel[];
}

/** The clock at `now` by the calendar core: status, warning instant, colour, level due, next level's instant. */
function measure(ctx: { calendar: WorkingCalendar; policy: EscalationPolicy; now: Date }, row: ClaimedRow) {
  const { calendar, policy, now } = ctx;
  const pauses = pausesOf(row);
  const spec = clockSpecOf(row, pauses);
  // the calendar may have changed since the clock started (admin overrides): measure afresh
  const status = deadlineStatus(calendar, spec, now);
  const warnAt = computeDue(calendar, row.started_at, status.limit * YELLOW_AT, row.limit_unit, pauses).due;
  const colour = status.colour;
  const target = colour === 'red' ? levelReached(policy, status.limit, status.used) : 0;
  const nextAmount = target > 0 ? nextLevelAmount(policy, status.limit, target as EscalationLevel) : null;
  const nextAt =
    nextAmount === null ? null : computeDue(calendar, row.started_at, nextAmount, row.limit_unit, pauses).due;
  return { status, warnAt, colour, target, nextAt };
}

export async function sweepClock(
  trx: Kysely<DB>,
  ctx: { calendar: WorkingCalendar; policy: EscalationPolicy; now: Date; log: Logger },
  row: ClaimedRow,
): Promise<Outcome | null> {
  const { now } = ctx;
  let measured: ReturnType<typeof measure>;
  try {
    measured = measure(ctx, row);
  } catch (error) {
    // an unmeasurable clock must not hold up the others; it stays claimable for the next pass
    ctx.log.error(
      { err: error, clockId: Number(row.id), caseId: row.case_id, caseNo: row.case_no, stage: row.stage },
      'deadline sweep: clock skipped, it cannot be measured',
    );
    return null;
  }
  const { status, warnAt, colour, target, nextAt } = measured;
  const warned = colour === 'yellow' && row.colour === 'green';
  const turnedRed = colour === 'red' && row.colour !== 'red';

  await trx
    .updateTable('case_deadlines')
    .set({
      due_at: status.due,
      warn_at: warnAt,
      colour,
      next_escalation_at: nextAt,
      ...(warned ? { warned_at: now } : {}),
      ...(turnedRed ? { overdue_at: now } : {}),
    })
    .where('id', '=', row.id)
    .execute();
  if (row.deadline_stage === row.stage && (!same(row.due_at, status.due) || !same(row.warn_at, warnAt))) {
    // the case row carries its running clock for lists and colour filters
    await trx
      .updateTable('cases')
      .set({ due_at: status.due, warn_at: warnAt })
      .where('id', '=', row.case_id)
      .execute();
  }

  const subject = {
    stage: row.stage,
    ownerLevel: row.owner_level,
    ownerCode: row.owner_code,
    streetCode: row.street_code,
    districtCode: row.district_code,
    leadDepartmentId: row.lead_department_id,
    assigneeId: row.assignee_user_id,
  };
  const notice = {
    caseNo: row.case_no,
    state: row.state,
    categoryCode: row.category_code,
    stage: row.stage,
    dueAt: status.due?.toISOString() ?? null,
    summary: row.description.slice(0, 120),
    by: SYSTEM_ACTOR.displayName,
  };
  if (warned) {
    await notify(trx, escalationRecipients(1, subject), WARNING_KIND, row.case_id, now, {
      ...notice,
      action: WARNING_KIND,
      actionName: WARNING_KIND_NAME,
      urgent: false,
      receipt: false,
      used: status.used,
      limit: status.limit,
      unit: row.limit_unit,
    });
  }

  const levels: EscalationLevel[] = [];
  for (let level = row.escalation_level + 1; level <= target; level++) {
    const l = level as EscalationLevel;
    // the marker first and conditional: should two sweepers ever reach the same clock, one writes the level
    const raised = await trx
      .updateTable('case_deadlines')
      .set({ escalation_level: l, escalated_at: now })
      .where('id', '=', row.id)
      .where('escalation_level', '<', l)
      .executeTakeFirst();
    if (Number(raised.numUpdatedRows) !== 1) continue;
    const recipients = escalationRecipients(l, subject);
    await writeEscalationEvent(trx, row, now, {
      level: l,
      levelName: ESCALATION_LEVEL_NAMES[l],
      actionName: ESCALATION_ACTION_NAME,
      stage: row.stage,
      dueAt: notice.dueAt,
      used: status.used,
      limit: status.limit,
      unit: row.limit_unit,
      overrunMultiple: status.overrunMultiple,
      notified: recipients.map(describeEscalationRecipient),
      clockId: Number(row.id),
    });
    await notify(trx, recipients, ESCALATION_ACTION, row.case_id, now, {
      ...notice,
      action: ESCALATION_ACTION,
      actionName: ESCALATION_ACTION_NAME,
      level: l,
      levelName: ESCALATION_LEVEL_NAMES[l],
      overrunMultiple: status.overrunMultiple,
      // the 紧急 badge is the case's urgency, not the escalation's (issue 11 §6)
      urgent: row.urgency === 'urgent',
      receipt: true,
    });
    levels.push(l);
  }
  if (turnedRed && levels.length === 0) {
    // red again with its levels already reached (a calendar change had moved the deadline): flag only
    await trx.updateTable('cases').set({ overdue: true }).where('id', '=', row.case_id).execute();
  }
  return { warned, turnedRed, levels };
}

const same = (a: Date | null, b: Date | null) =>
  a === null ? b === null : b !== null && a.getTime() === b.getTime();

/** One event row per level, as the system, through the one writer of the event log (version + row). */
async function writeEscalationEvent(
  trx: Kysely<DB>,
  row: ClaimedRow,
  now: Date,
  payload: Record<string, unknown>,
) {
  const actor: Actor = {
    ...SYSTEM_ACTOR,
    unit: { kind: 'region', level: 'district', code: row.district_code },
  };
  // the case row is locked by the claim, so its state is current; the clock keeps running: no stage ends
  await appendCaseEvents(trx, { caseId: row.case_id, at: now, set: { overdue: true } }, actor, [
    { action: ESCALATION_ACTION, fromState: row.state, toState: row.state, at: now, payload, stage: null },
  ]);
}

/** Through the one writer of notifications (src/app/cases/notify.ts). */
async function notify(
  trx: Kysely<DB>,
  recipients: readonly EscalationRecipient[],
  kind: string,
  caseId: string,
  at: Date,
  payload: Record<string, unknown>,
): Promise<void> {
  await writeNotifications(
    trx,
    recipients.map((to) => ({ to, kind, caseId, payload })),
    { reporterIds: [], at },
  );
}
