import { citizenDetail } from './present-citizen-view.ts';
import type { Kysely, Selectable } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { deadlineStatus, type DeadlineColour } from '../../core/calendar/index.ts';
import { ESCALATION_ACTION, ESCALATION_ACTION_NAME } from '../../core/deadlines/escalation.ts';
import type { WorkingCalendar } from '../../core/calendar/working-calendar.ts';
import { AppError } from '../../core/errors.ts';
import {
  canReadFollowUpCode,
  canSeeReporterContact,
  isCaseInScope,
  presentContact,
} from '../../core/policy/index.ts';
import {
  actionLabel,
  allowedActions,
  type CaseAction,
  type CaseState,
  type CaseTransitionAction,
  type ClockStage,
} from '../../core/workflow/index.ts';
import type { Database } from '../../db/database.ts';
import type { CaseDeadlinesTable } from '../../db/schema/cases.ts';
import type { DB } from '../../db/schema/index.ts';
import { piiKeyring } from '../baseinfo/pii.ts';
import { loadCalendar } from '../calendar/load-calendar.ts';
import { reporterContactOf } from '../public/public-contact.ts';
import { loadCase, scopeRowOf, toSnapshot, type CaseRow } from './case-record.ts';
import { clockSpecOf, pausesOf } from './clocks.ts';
import { escalationViews, type EscalationView } from './escalation-view.ts';
import { presentSummary, type CaseSummary } from './present-case.ts';
import { loadCategory, resolveRouting, type Routing } from './routing.ts';

export interface CaseEventView {
  id: number;
  seq: number;
  at: string;
  action: string;
  actionName: string;
  fromState: CaseState | null;
  toState: CaseState;
  actor: { userId: string | null; name: string | null; role: string; unit: string };
  payload: unknown;
  /** The stage this action finished, with the time it took against its limit. */
  stage: ClockStage | null;
  timeUsed: number | null;
  timeLimit: number | null;
  timeUnit: string | null;
  onTime: boolean | null;
  /** For a sweeper escalation: its level, stage, time used vs limit and who was told (issue 11 §6). */
  escalation: EscalationView | null;
}

export interface DeadlineView {
  id: number;
  stage: ClockStage;
  status: DeadlineRow['status'];
  startedAt: string;
  dueAt: string | null;
  limit: { amount: number; unit: string; extension: number };
  /** Time used so far (or until stopped), in the limit's unit, suspensions excluded. */
  used: number;
  colour: DeadlineColour;
  overdue: boolean;
  overrunMultiple: number;
  pausedMs: number;
  stoppedAt: string | null;
  onTime: boolean | null;
  escalationLevel: number;
  /** Depends on a year whose official holiday schedule is not known yet. */
  provisional: boolean;
}

export interface AttachmentView {
  id: string;
  sha256: string;
  mime: string;
  size: number;
  purpose: string | null;
  eventId: number | null;
  url: string;
}

export interface CaseDetail extends CaseSummary {
  reporter: { name: string | null; phone: string | null; masked: boolean };
  /** 查询码 for the public page: for the reporter and the owning centre's intake staff, else null. */
  followUpCode: string | null;
  assigneeUserId: string | null;
  verification: CaseRow['verification'];
  pendingRequests: unknown;
  counters: { returns: number; reworks: number; reopens: number; escalations: number; supervisions: number };
  awaitingArbitration: boolean;
  arbitrated: boolean;
  satisfaction: CaseRow['satisfaction'];
  /** Display names of the regions, departments and category the case refers to, by code or id. */
  names: Record<string, string>;
  events: CaseEventView[];
  deadlines: DeadlineView[];
  attachments: AttachmentView[];
  /** What the caller may do now: the workflow's answer for this actor on a case in their scope. */
  allowedActions: CaseTransitionAction[];
  /** The responsibility matrix's answer for dispatching (for intake staff, before dispatch). */
  routing: Routing | null;
}

/**
 * One case with its timeline, clocks, attachments and the caller's allowed actions. A case outside the
 * caller's scope is `not_found`, exactly like a missing one, so existence does not leak.
 */
export async function getCase(
  deps: { database: Database; now: () => Date },
  actor: Actor,
  ref: string,
): Promise<CaseDetail> {
  const { db } = deps.database;
  const now = deps.now();
  const row = await loadCase(db, ref);
  if (!isCaseInScope(scopeRowOf(row), actor)) throw new AppError('not_found', `No case ${ref}`);
  const { calendar } = await loadCalendar(deps.database);
  const [events, deadlines, attachments, names] = await Promise.all([
    db
      .selectFrom('case_events')
      .selectAll()
      .where('case_id', '=', row.id)
      .orderBy('seq')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('case_deadlines')
      .selectAll()
      .where('case_id', '=', row.id)
      .orderBy('started_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('attachments')
      .selectAll()
      .where('case_id', '=', row.id)
      .orderBy('uploaded_at')
      .orderBy('id')
      .execute(),
    namesFor(db, row),
  ]);
  const escalations = await escalationViews(db, events);
  const snapshot = toSnapshot(row);
  const actions = allowedActions(snapshot, actor, now);
  const contactVisible = canSeeReporterContact(actor, scopeRowOf(row));
  // an anonymous report's contact is stored encrypted (public_reports); an e-mail masks as w***@domain
  const stored = await reporterContactOf(db, piiKeyring, row);
  const presented = presentContact(
    { name: stored.name, phone: stored.phone, idNumber: null },
    contactVisible,
  );
  const contact =
    presented.masked && stored.masked !== undefined ? { ...presented, phone: stored.masked } : presented;
  const routing =
    actions.includes('dispatch') && row.category_code
      ? await resolveRouting(db, {
          category: await loadCategory(db, row.category_code),
          regionCodes: [row.grid_code, row.committee_code, row.street_code, row.district_code],
          policeDepartmentId: row.police_department_id,
        })
      : null;

  const detail: CaseDetail = {
    ...presentSummary(row, now, calendar),
    reporter: { name: contact.name, phone: contact.phone, masked: contact.masked },
    followUpCode: canReadFollowUpCode(actor, scopeRowOf(row)) ? row.follow_up_code : null,
    assigneeUserId: row.assignee_user_id,
    verification: row.verification,
    pendingRequests: row.pending_requests,
    counters: snapshot.counters,
    awaitingArbitration: row.awaiting_arbitration,
    arbitrated: row.arbitrated,
    satisfaction: row.satisfaction,
    names,
    events: events.map((e) => ({
      id: Number(e.id),
      seq: e.seq,
      at: e.at.toISOString(),
      action: e.action,
      actionName:
        actionLabel(e.action as CaseAction) ??
        (e.action === ESCALATION_ACTION ? ESCALATION_ACTION_NAME : e.action),
      fromState: e.from_state,
      toState: e.to_state,
      actor: { userId: e.actor_user_id, name: e.actor_name, role: e.actor_role, unit: e.actor_unit },
      payload: e.payload,
      stage: e.stage,
      timeUsed: e.time_used,
      timeLimit: e.time_limit,
      timeUnit: e.time_unit,
      onTime: e.on_time,
      escalation: escalations.get(Number(e.id)) ?? null,
    })),
    deadlines: deadlines.map((d) => presentDeadline(calendar, d, now)),
    attachments: attachments.map((a) => ({
      id: a.id,
      sha256: a.sha256,
      mime: a.mime,
      size: a.size,
      purpose: a.purpose,
      eventId: a.event_id === null ? null : Number(a.event_id),
      url: `/api/v1/attachments/${a.id}`,
    })),
    allowedActions: actions,
    routing,
  };
  // a citizen gets the public view of their own case, whatever the page asks (issue 11 §5)
  return actor.role === 'citizen' ? citizenDetail(detail, actor) : detail;
}

type DeadlineRow = Selectable<CaseDeadlinesTable>;

/** A stage clock as the workbench shows it: used vs limit, colour, overrun. */
export function presentDeadline(calendar: WorkingCalendar, d: DeadlineRow, now: Date): DeadlineView {
  const status = deadlineStatus(calendar, clockSpecOf(d, pausesOf(d, null)), d.stopped_at ?? now);
  return {
    id: Number(d.id),
    stage: d.stage,
    status: d.status,
    startedAt: d.started_at.toISOString(),
    dueAt: (d.due_at ?? status.due)?.toISOString() ?? null,
    limit: { amount: d.limit_amount, unit: d.limit_unit, extension: d.extension_amount },
    used: d.time_used ?? status.used,
    colour: status.colour,
    overdue: status.overdue,
    overrunMultiple: status.overrunMultiple,
    pausedMs: Number(d.paused_total_ms),
    stoppedAt: d.stopped_at?.toISOString() ?? null,
    onTime: d.on_time,
    escalationLevel: d.escalation_level,
    provisional: status.provisional,
  };
}

async function namesFor(db: Kysely<DB>, row: CaseRow): Promise<Record<string, string>> {
  const regionCodes = [
    row.district_code,
    row.street_code,
    row.committee_code,
    row.grid_code,
    row.owner_code,
  ].filter((c): c is string => c !== null);
  const departmentIds = [
    row.lead_department_id,
    ...row.assisting_department_ids,
    row.police_department_id,
  ].filter((c): c is string => c !== null);
  const [regions, departments, category] = await Promise.all([
    db.selectFrom('regions').select(['code', 'name']).where('code', 'in', regionCodes).execute(),
    departmentIds.length > 0
      ? db.selectFrom('departments').select(['id', 'name']).where('id', 'in', departmentIds).execute()
      : Promise.resolve([]),
    row.category_code
      ? db
          .selectFrom('categories')
          .select(['code', 'name_zh'])
          .where('code', '=', row.category_code)
          .execute()
      : Promise.resolve([]),
  ]);
  return Object.fromEntries([
    ...regions.map((r) => [r.code, r.name] as const),
    ...departments.map((d) => [d.id, d.name] as const),
    ...category.map((c) => [`category:${c.code}`, c.name_zh] as const),
  ]);
}
