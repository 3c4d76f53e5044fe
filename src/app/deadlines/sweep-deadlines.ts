import type { Kysely } from 'kysely';
import { SYSTEM_ACTOR, type Actor } from '../../core/actor.ts';
import { computeDue, deadlineStatus, YELLOW_AT, type Pause } from '../../core/calendar/index.ts';
import type { WorkingCalendar } from '../../core/calendar/working-calendar.ts';
import {
  ESCALATION_LEVEL_NAMES,
  escalationRecipients,
  levelReached,
  nextLevelAmount,
  parseEscalationPolicy,
  type EscalationLevel,
  type EscalationPolicy,
  type EscalationRecipient,
} from '../../core/deadlines/escalation.ts';
import { formatUnit } from '../../core/policy/units.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema/index.ts';
import { loadCalendar } from '../calendar/load-calendar.ts';
import { changeOf } from '../cases/case-record.ts';
import { NO_CHANGES, type CaseChangePublisher } from '../cases/events.ts';

/** The event row's action for a sweeper escalation (not a workflow action: it changes no state). */
export const ESCALATION_ACTION = 'overdue_escalation';
export const ESCALATION_ACTION_NAME = '超时升级';
/** The notification kind when a clock turns yellow (80 % of its limit used). */
export const WARNING_KIND = 'deadline_warning';

export interface SweepDeps {
  database: Database;
  now: () => Date;
  /** Live updates for consoles; escalations change the case (version, overdue flag). */
  changes?: CaseChangePublisher;
}

export interface SweepOptions {
  /** Clocks claimed per transaction (each transaction holds its rows' locks until it commits). */
  batchSize?: number;
  /** Upper bound on transactions per pass, so one pass always ends. */
  maxBatches?: number;
}

export interface SweepReport {
  at: string;
  /** Clocks claimed and measured. */
  examined: number;
  /** Clocks that turned yellow. */
  warned: number;
  /** Clocks that turned red (the case is flagged overdue). */
  overdue: number;
  /** Escalation events written, per level. */
  escalations: Record<EscalationLevel, number>;
  /** Clocks the calendar could not measure (e.g. a limit decades long); left as they were. */
  failed: number;
  batches: number;
}

/** Reads the escalation policy (app_settings 'escalation_policy'), defaulting when absent or malformed. */
export async function loadEscalationPolicy(db: Kysely<DB>): Promise<EscalationPolicy> {
  const row = await db.selectFrom('app_settings').select('value').where('key', '=', 'escalation_policy').executeTakeFirst();
  return parseEscalationPolicy(row?.value ?? null);
}

/**
 * One pass of the deadline sweeper (DESIGN §5). Finds running stage clocks that have turned yellow or
 * red, measures each with the working calendar (suspensions and extensions included), records its
 * colour, flags the case overdue, and escalates it level by level — 1: the responsible unit's lead,
 * 2: the street sub-centre, 3: the district centre — writing for each level an event row (actor: the
 * system) and its notifications in the same transaction as the level marker.
 *
 * Safe with many processes sweeping at once: each batch claims its rows with FOR UPDATE … SKIP LOCKED
 * (a clock and its case), so a row is handled by one process at a time, and each level is raised by a
 * conditional update (`escalation_level < n`), so no level is ever written twice.
 */
export async function sweepDeadlines(deps: SweepDeps, options: SweepOptions = {}): Promise<SweepReport> {
  const batchSize = options.batchSize ?? 100;
  const maxBatches = options.maxBatches ?? 50;
  const now = deps.now();
  const changes = deps.changes ?? NO_CHANGES;
  // read before any transaction: PGlite has one connection, nothing may read beside an open transaction
  const { calendar } = await loadCalendar(deps.database);
  const policy = await loadEscalationPolicy(deps.database.db);
  const report: SweepReport = { at: now.toISOString(), examined: 0, warned: 0, overdue: 0, escalations: { 1: 0, 2: 0, 3: 0 }, failed: 0, batches: 0 };
  // a pass walks the clocks once in id order: a clock it could not settle waits for the next pass
  let afterId = 0;

  for (let batch = 0; batch < maxBatches; batch++) {
    const done = await deps.database.db.transaction().execute(async (trx) => {
      const rows = await claimDue(trx, now, batchSize, afterId);
      const escalated = new Set<string>();
      for (const row of rows) {
        afterId = Math.max(afterId, Number(row.id));
        const outcome = await sweepClock(trx, { calendar, policy, now }, row);
        report.examined++;
        if (!outcome) {
          report.failed++;
          continue;
        }
        if (outcome.warned) report.warned++;
        if (outcome.turnedRed) report.overdue++;
        for (const level of outcome.levels) report.escalations[level]++;
        if (outcome.levels.length > 0) escalated.add(row.case_id);
      }
      const cases =
        escalated.size > 0 ? await trx.selectFrom('cases').selectAll().where('id', 'in', [...escalated]).execute() : [];
      return { claimed: rows.length, cases };
    });
    report.batches++;
    changes.publish(done.cases.map((row) => changeOf(row, ESCALATION_ACTION, now)));
    if (done.claimed < batchSize) break;
  }
  return report;
}

type ClaimedRow = Awaited<ReturnType<typeof claimDue>>[number];

/**
 * Claims up to `limit` running clocks with something to do at `now`: green past the warning instant,
 * not yet red past the due date, red with the next escalation level due — or red at level 0, which is
 * a clock whose deadline an extension moved (clocks.ts resets the level) and must be measured afresh.
 * Rows another process holds are skipped, not waited for.
 */
async function claimDue(trx: Kysely<DB>, now: Date, limit: number, afterId: number) {
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
      'c.category_code',
      'c.owner_code',
      'c.street_code',
      'c.district_code',
      'c.lead_department_id',
      'c.assignee_user_id',
      'c.deadline_stage',
    ])
    .where('d.status', '=', 'running')
    .where((eb) =>
      eb.or([
        eb.and([eb('d.colour', '=', 'green'), eb('d.warn_at', '<=', now)]),
        eb.and([eb('d.colour', '<>', 'red'), eb('d.due_at', '<=', now)]),
        eb.and([
          eb('d.colour', '=', 'red'),
          eb.or([eb('d.escalation_level', '=', 0), eb('d.next_escalation_at', '<=', now)]),
        ]),
      ]),
    )
    .where('d.id', '>', afterId)
    .orderBy('d.id')
    .limit(limit)
    .forUpdate(['d', 'c'])
    .skipLocked()
    .execute();
}

interface Outcome {
  warned: boolean;
  turnedRed: boolean;
  levels: EscalationLevel[];
}

/** The clock at `now` by the calendar core: status, warning instant, colour, level due, next level's instant. */
function measure(ctx: { calendar: WorkingCalendar; policy: EscalationPolicy; now: Date }, row: ClaimedRow) {
  const { calendar, policy, now } = ctx;
  const pauses: Pause[] = (Array.isArray(row.pauses) ? (row.pauses as { start: string; end: string }[]) : []).map((p) => ({
    start: new Date(p.start),
    end: new Date(p.end),
  }));
  const spec = { start: row.started_at, amount: row.limit_amount, unit: row.limit_unit, pauses, extensions: [row.extension_amount] };
  // the calendar may have changed since the clock started (admin overrides): measure afresh
  const status = deadlineStatus(calendar, spec, now);
  const warnAt = computeDue(calendar, row.started_at, status.limit * YELLOW_AT, row.limit_unit, pauses).due;
  const colour = status.colour;
  const target = colour === 'red' ? levelReached(policy, status.limit, status.used) : 0;
  const nextAmount = target > 0 ? nextLevelAmount(policy, status.limit, target as EscalationLevel) : null;
  const nextAt = nextAmount === null ? null : computeDue(calendar, row.started_at, nextAmount, row.limit_unit, pauses).due;
  return { status, warnAt, colour, target, nextAt };
}

async function sweepClock(
  trx: Kysely<DB>,
  ctx: { calendar: WorkingCalendar; policy: EscalationPolicy; now: Date },
  row: ClaimedRow,
): Promise<Outcome | null> {
  const { now } = ctx;
  let measured: ReturnType<typeof measure>;
  try {
    measured = measure(ctx, row);
  } catch {
    // an unmeasurable clock must not hold up the others; it stays claimable for the next pass
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
    await trx.updateTable('cases').set({ due_at: status.due, warn_at: warnAt }).where('id', '=', row.case_id).execute();
  }

  const subject = {
    stage: row.stage,
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
      actionName: '临期预警',
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
      notified: recipients.map(describeRecipient),
    });
    await notify(trx, recipients, ESCALATION_ACTION, row.case_id, now, {
      ...notice,
      action: ESCALATION_ACTION,
      actionName: ESCALATION_ACTION_NAME,
      level: l,
      levelName: ESCALATION_LEVEL_NAMES[l],
      overrunMultiple: status.overrunMultiple,
      urgent: true,
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

const same = (a: Date | null, b: Date | null) => (a === null ? b === null : b !== null && a.getTime() === b.getTime());

/** One event row per level, as the system, bumping the case version (the event's sequence number). */
async function writeEscalationEvent(trx: Kysely<DB>, row: ClaimedRow, now: Date, payload: Record<string, unknown>) {
  const bumped = await trx
    .updateTable('cases')
    .set((eb) => ({ version: eb('version', '+', 1), overdue: true, updated_at: now }))
    .where('id', '=', row.case_id)
    .returning(['version', 'state'])
    .executeTakeFirstOrThrow();
  const actor: Actor = { ...SYSTEM_ACTOR, unit: { kind: 'region', level: 'district', code: row.district_code } };
  await trx
    .insertInto('case_events')
    .values({
      case_id: row.case_id,
      seq: bumped.version,
      at: now,
      action: ESCALATION_ACTION,
      from_state: bumped.state,
      to_state: bumped.state,
      actor_user_id: actor.userId,
      actor_name: actor.displayName,
      actor_role: actor.role,
      actor_unit: formatUnit(actor.unit),
      payload: JSON.stringify(payload),
      // the clock keeps running: this event finishes no stage
      stage: null,
    })
    .execute();
}

const describeRecipient = (r: EscalationRecipient): string =>
  r.kind === 'user' ? `user:${r.userId}` : r.kind === 'department' ? `dept:${r.id}${r.role ? `#${r.role}` : ''}` : `region:${r.code}`;

async function notify(
  trx: Kysely<DB>,
  recipients: readonly EscalationRecipient[],
  kind: string,
  caseId: string,
  at: Date,
  payload: Record<string, unknown>,
): Promise<void> {
  if (recipients.length === 0) return;
  await trx
    .insertInto('notifications')
    .values(
      recipients.map((r) => ({
        recipient_user_id: r.kind === 'user' ? r.userId : null,
        recipient_department_id: r.kind === 'department' ? r.id : null,
        recipient_region_code: r.kind === 'region' ? r.code : null,
        recipient_role: r.kind === 'user' ? null : r.role,
        kind,
        case_id: caseId,
        payload: JSON.stringify(payload),
        created_at: at,
      })),
    )
    .execute();
}
