import type { Actor, Role } from '../actor.ts';
import { AppError, err, ok, type Result } from '../errors.ts';
import type { CaseEffect, CaseEventDraft, NotifyTarget, TransitionOutput } from './effects.ts';
import { parsePayload, payloadProblem } from './payloads.ts';
import type {
  CaseSnapshot,
  CaseSource,
  CaseTerritory,
  CategoryTraits,
  OwnerLevel,
  Verification,
} from './snapshot.ts';
import { isOpen, STATES } from './states.ts';

/** Which roles may file a report from which source. */
export const SOURCE_ROLES: Record<CaseSource, readonly Role[]> = {
  patrol: ['patroller'],
  screening: ['coordinator', 'patroller'], // a patroller may work a screening task too
  station: ['station_operator'],
  citizen: ['citizen', 'system'], // the system files Open311 requests
  hotline: ['dispatcher', 'shift_lead', 'system'],
  // the intake desk (issue 11) records visits, departments' transfers and leaders' instructions too
  walk_in: ['dispatcher', 'shift_lead'],
  department: ['dept_handler', 'dept_lead', 'police', 'dispatcher', 'shift_lead'],
  leader: ['leader', 'dispatcher', 'shift_lead'],
  warning: ['system'],
};

/**
 * Sources open to the public (a citizen's app or web report; Open311 requests are filed as citizen):
 * they may not report in a stability category (不稳定因素/矛盾纠纷 are staff information, DESIGN §4) —
 * a citizen reports without a category, or in a public one, and intake categorises at registration.
 */
export const PUBLIC_SOURCES: readonly CaseSource[] = ['citizen'];

/**
 * Whether the actor records someone else's report (a hotline caller, a visitor at the desk, a leader's
 * instruction or a department's transfer taken by the centre): the case has no reporting account then,
 * and the contact is the one given with the report.
 */
export function filesOnBehalf(actor: Pick<Actor, 'role'>, source: CaseSource): boolean {
  return (
    actor.role === 'system' ||
    source === 'hotline' ||
    source === 'walk_in' ||
    actor.role === 'dispatcher' ||
    actor.role === 'shift_lead'
  );
}

/** Reports from people who were not on site are verified (核实) before registration. */
const NEEDS_VERIFICATION: Record<CaseSource, boolean> = {
  patrol: false,
  screening: false,
  station: false,
  citizen: true,
  hotline: true,
  walk_in: true,
  department: false,
  leader: false,
  warning: true,
};

export interface OpenCaseInput {
  /** Chosen by the use case (e.g. a UUID), so that effects and events can name the case. */
  caseId: string;
  territory: CaseTerritory;
  /** null when the reporter did not categorise it (citizens); intake categorises on registration. */
  category: CategoryTraits | null;
  /** The `report` payload (payloads.ts), unvalidated. */
  report: unknown;
}

/**
 * Create a case from a report (上报). Decides the first state, the owning centre and who is told:
 * - a patroller's self-handled report (自行处置, before/after photos) goes straight to resolved;
 * - an urgent stability report (possible mass incident, 群体性事件苗头) goes to the street sub-centre and
 *   the covering police station at once, bypassing the committee, and starts an urgent clock;
 * - other stability/dispute reports from a coordinator go to the committee work station and the
 *   community police officer of that committee at the same moment, both with read receipts;
 * - committee sources (screening, work station) are owned by the committee; the rest by the street;
 * - citizen, hotline and early-warning reports must be verified on site before registration;
 * - a public source (citizen) may not choose a stability category (see PUBLIC_SOURCES).
 */
export function openCase(input: OpenCaseInput, actor: Actor, now: Date): Result<TransitionOutput> {
  const parsed = parsePayload('report', input.report);
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  if (!SOURCE_ROLES[p.source].includes(actor.role))
    return err(
      new AppError('forbidden', `the role ${actor.role} may not report as ${p.source}`, { action: 'report' }),
    );

  const { territory: t, category } = input;
  const urgency = p.urgency ?? 'normal';
  const massIncident = category?.stability === true && urgency === 'urgent';
  if (category?.stability && PUBLIC_SOURCES.includes(p.source))
    return err(
      payloadProblem(
        'report',
        '/category',
        'a public report may not use a stability or dispute category',
        'stability_category_not_public',
      ),
    );
  if (p.selfHandled) {
    if (p.source !== 'patrol')
      return err(
        payloadProblem('report', '/selfHandled', 'only patrollers self-handle', 'self_handle_not_patroller'),
      );
    if (!p.photos?.length)
      return err(
        payloadProblem(
          'report',
          '/photos',
          'a self-handled report needs a photo before',
          'self_handle_needs_photo',
        ),
      );
    if (!category)
      return err(
        payloadProblem(
          'report',
          '/category',
          'a self-handled report needs a category',
          'self_handle_needs_category',
        ),
      );
    if (massIncident)
      return err(
        payloadProblem(
          'report',
          '/selfHandled',
          'a possible mass incident cannot be self-handled',
          'mass_incident_not_self_handled',
        ),
      );
  }

  const committeeOwned =
    !massIncident && t.committeeCode !== null && (p.source === 'screening' || p.source === 'station');
  const ownerLevel: OwnerLevel = committeeOwned ? 'committee' : 'street';
  const ownerCode = committeeOwned && t.committeeCode ? t.committeeCode : t.streetCode;
  const state = p.selfHandled ? 'resolved' : 'reported';
  const verification: Verification =
    NEEDS_VERIFICATION[p.source] && !p.selfHandled ? 'required' : 'not_required';
  const clock = STATES[state].clock;

  const snapshot: CaseSnapshot = {
    id: input.caseId,
    version: 1,
    state,
    source: p.source,
    categoryCode: category?.code ?? null,
    policeLinkage: category?.policeLinkage ?? 'none',
    urgency,
    priority: urgency === 'urgent' ? 'high' : 'normal',
    supervised: false,
    selfHandled: p.selfHandled !== undefined,
    ownerLevel,
    ownerCode,
    districtCode: t.districtCode,
    streetCode: t.streetCode,
    committeeCode: t.committeeCode,
    gridCode: t.gridCode,
    policeDepartmentId: t.policeDepartmentId,
    leadDepartmentId: null,
    assistingDepartmentIds: [],
    assigneeId: null,
    // a hotline operator, the intake desk or the system files on someone else's behalf
    reporterIds: filesOnBehalf(actor, p.source) ? [] : [actor.userId],
    verification,
    pendingRequests: [],
    counters: { returns: 0, reworks: 0, reopens: 0, escalations: 0, supervisions: 0 },
    awaitingArbitration: false,
    arbitrated: false,
    deadline: clock ? { stage: clock, dueAt: null } : null,
    overdue: false,
    closureType: null,
    mergedIntoCaseId: null,
    satisfaction: null,
  };

  const urgent = urgency === 'urgent';
  const notices: { to: NotifyTarget; receipt: boolean }[] = [
    { to: { kind: 'centre', level: ownerLevel, code: ownerCode }, receipt: massIncident },
  ];
  if (massIncident && t.policeDepartmentId)
    notices.push({ to: { kind: 'police_station', departmentId: t.policeDepartmentId }, receipt: true });
  if (category?.stability && !massIncident && p.source === 'screening' && t.committeeCode) {
    notices[0] = { to: notices[0]!.to, receipt: true };
    notices.push({ to: { kind: 'community_police', committeeCode: t.committeeCode }, receipt: true });
  }
  const effects: CaseEffect[] = [
    ...(clock ? [{ kind: 'start_clock' as const, stage: clock }] : []),
    ...notices.map((n) => ({
      kind: 'notify' as const,
      to: n.to,
      topic: 'report' as const,
      urgent,
      receipt: n.receipt,
    })),
  ];
  const event: CaseEventDraft = {
    caseId: input.caseId,
    action: 'report',
    fromState: null,
    toState: state,
    at: now,
    actor: { userId: actor.userId, role: actor.role, unit: actor.unit },
    payload: p,
    stage: null,
    overdue: false,
  };
  return ok({ next: snapshot, changes: snapshot, events: [event], effects });
}

/**
 * The master's side of a merge: call after `transition(duplicate, 'merge', …)` in the same transaction,
 * with the duplicate as it is after the merge. The master gains the duplicate's reporters (so both are
 * kept informed) and a `merge` event; its state does not change.
 */
export function absorbDuplicate(
  master: CaseSnapshot,
  duplicate: CaseSnapshot,
  actor: Actor,
  now: Date,
): Result<TransitionOutput> {
  if (duplicate.mergedIntoCaseId !== master.id || master.id === duplicate.id)
    return err(
      new AppError('invalid_transition', 'the duplicate was not merged into this case', { action: 'merge' }),
    );
  if (!isOpen(master.state))
    return err(
      new AppError('invalid_transition', `cannot merge into a case that is ${master.state}`, {
        action: 'merge',
        state: master.state,
      }),
    );
  const reporterIds = [...new Set([...master.reporterIds, ...duplicate.reporterIds])];
  const next: CaseSnapshot = { ...master, reporterIds, version: master.version + 1 };
  const event: CaseEventDraft = {
    caseId: master.id,
    action: 'merge',
    fromState: master.state,
    toState: master.state,
    at: now,
    actor: { userId: actor.userId, role: actor.role, unit: actor.unit },
    payload: { duplicateCaseId: duplicate.id },
    stage: null,
    overdue: false,
  };
  return ok({ next, changes: { reporterIds, version: next.version }, events: [event], effects: [] });
}
