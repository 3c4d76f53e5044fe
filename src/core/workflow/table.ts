import type { CaseTransitionAction } from './actions.ts';
import { department, DEPARTMENT_ROLES, everyone, intake, shiftLead } from './assignment.ts';
import {
  bump,
  centre,
  dept,
  dispatchNotices,
  laterThanDeadline,
  leadNotAssisting,
  maxPriority,
  pending,
  raise,
  reporters,
  request,
  toAssignee,
  toDepartments,
  toLead,
  user,
  withoutRequest,
  type ActionRule,
} from './rule-kit.ts';
import type { CaseSnapshot, ClosureType, OwnerLevel } from './snapshot.ts';
import { CASE_STATE_LIST, OPEN_STATES } from './states.ts';

/**
 * THE workflow (DESIGN §4): for every action on an existing case, the states it starts from, who may do
 * it, what else the case must satisfy, payload rules that involve the case, and what it changes. The
 * engine (transition.ts) checks in that order and derives the deadline clocks from the states (states.ts).
 * A report creates a case and is handled by openCase (intake.ts).
 */
export const RULES: { [A in CaseTransitionAction]: ActionRule<A> } = {
  request_verification: {
    from: ['reported'],
    who: intake,
    apply: ({ c, p }) => ({
      to: 'verifying',
      // once sent to verify, registration waits for the result even for trusted sources
      set: { assigneeId: p.patrollerId, verification: 'required' },
      notify: [{ to: user(p.patrollerId), urgent: c.urgency === 'urgent' }],
    }),
  },
  submit_verification: {
    from: ['verifying'],
    who: { patroller: 'assignee' },
    check: (p) => (!p.confirmed && !p.note ? ['/note', 'say what was found on site'] : null),
    apply: ({ c, p }) => ({
      to: 'reported',
      set: { verification: p.confirmed ? 'confirmed' : 'not_confirmed', assigneeId: null },
      notify: [{ to: centre(c) }],
    }),
  },
  register: {
    from: ['reported'],
    who: intake,
    requires: (c) =>
      c.verification === 'required'
        ? 'the report must be verified on site first (核实)'
        : c.verification === 'not_confirmed'
          ? 'verification did not confirm the problem: reject it or verify again'
          : null,
    check: (p, c) =>
      !p.category && c.categoryCode === null ? ['/category', 'a case needs a category'] : null,
    apply: ({ c, p }) => {
      const urgency = p.urgency ?? c.urgency;
      return {
        to: 'registered',
        set: {
          categoryCode: p.category?.code ?? c.categoryCode,
          policeLinkage: p.category?.policeLinkage ?? c.policeLinkage,
          urgency,
          priority: urgency === 'urgent' ? maxPriority(c.priority, 'high') : c.priority,
        },
        notify: [{ to: reporters }],
      };
    },
  },
  reject: {
    from: ['reported', 'verifying'],
    who: shiftLead,
    apply: ({ c }) => ({
      to: 'rejected',
      set: { assigneeId: null },
      notify: [{ to: reporters }, ...toAssignee(c)],
    }),
  },
  merge: {
    from: ['reported', 'verifying', 'registered'],
    who: intake,
    check: (p, c) =>
      p.masterCaseId === c.id ? ['/masterCaseId', 'a case cannot be merged into itself'] : null,
    apply: ({ c, p }) => ({
      // a registered duplicate was registered by mistake: 作废 counts against registration accuracy
      to: c.state === 'registered' ? 'cancelled' : 'rejected',
      set: { mergedIntoCaseId: p.masterCaseId, assigneeId: null },
      effects: [{ kind: 'merge_into', masterCaseId: p.masterCaseId, reporterIds: c.reporterIds }],
      notify: [{ to: reporters }, ...toAssignee(c)],
    }),
  },
  dispatch: {
    from: ['registered'],
    who: { dispatcher: 'owning_centre', shift_lead: 'owning_centre' },
    check: (p) => leadNotAssisting(p.leadDepartmentId, p.assistingDepartmentIds),
    // only departments covering the case's place (a street's units their street, bureaus the district)
    reaches: (p) => [p.leadDepartmentId, ...(p.assistingDepartmentIds ?? [])],
    apply: ({ c, p }) => {
      const assisting = p.assistingDepartmentIds ?? [];
      return {
        to: 'dispatched',
        set: {
          leadDepartmentId: p.leadDepartmentId,
          assistingDepartmentIds: assisting,
          awaitingArbitration: false,
        },
        notify: dispatchNotices(c, p.leadDepartmentId, assisting),
      };
    },
  },
  handle_locally: {
    from: ['registered'],
    who: { station_operator: 'owning_centre' },
    apply: () => ({ to: 'handled' }),
  },
  sign: {
    from: ['dispatched'],
    who: department('lead_department'),
    apply: () => ({ to: 'in_progress' }),
  },
  return: {
    from: ['dispatched'],
    who: department('lead_department'),
    requires: (c) =>
      c.arbitrated ? 'the district has ruled on jurisdiction (裁定): the case cannot be returned' : null,
    apply: ({ c }) => ({
      to: 'registered',
      set: { leadDepartmentId: null, assistingDepartmentIds: [], counters: bump(c, 'returns') },
      notify: [{ to: centre(c) }, ...c.assistingDepartmentIds.map((id) => ({ to: dept(id) }))],
    }),
  },
  request_extension: {
    from: ['in_progress'],
    who: department('lead_department'),
    requires: (c) =>
      pending(c, 'extension') ? 'an extension request is already waiting for approval' : null,
    check: (p, c, now) => laterThanDeadline('/requestedDueAt', new Date(p.requestedDueAt), c, now),
    apply: ({ c, p, actor, now }) => ({
      to: 'in_progress',
      set: {
        pendingRequests: [
          ...c.pendingRequests,
          request('extension', c, actor, p.reason, new Date(p.requestedDueAt), now),
        ],
      },
      notify: [{ to: centre(c) }],
    }),
  },
  approve_extension: {
    from: ['in_progress'],
    who: { shift_lead: 'owning_centre' },
    requires: (c) => (pending(c, 'extension') ? null : 'no extension request is waiting'),
    check: (p, c, now) => {
      const dueAt = p.dueAt ?? pending(c, 'extension')?.requestedDueAt?.toISOString();
      return dueAt
        ? laterThanDeadline('/dueAt', new Date(dueAt), c, now)
        : ['/dueAt', 'give the new deadline'];
    },
    apply: ({ c, p }) => {
      const dueAt = new Date(p.dueAt ?? pending(c, 'extension')?.requestedDueAt ?? NaN);
      return {
        to: 'in_progress',
        set: { pendingRequests: withoutRequest(c, 'extension'), deadline: { stage: 'handle', dueAt } },
        effects: [{ kind: 'extend_clock', stage: 'handle', dueAt }],
        notify: toLead(c),
      };
    },
  },
  deny_extension: {
    from: ['in_progress'],
    who: { shift_lead: 'owning_centre' },
    requires: (c) => (pending(c, 'extension') ? null : 'no extension request is waiting'),
    apply: ({ c }) => ({
      to: 'in_progress',
      set: { pendingRequests: withoutRequest(c, 'extension') },
      notify: toLead(c),
    }),
  },
  request_suspension: {
    from: ['in_progress'],
    who: department('lead_department'),
    requires: (c) =>
      pending(c, 'suspension') ? 'a suspension request is already waiting for approval' : null,
    apply: ({ c, p, actor, now }) => ({
      to: 'in_progress',
      set: { pendingRequests: [...c.pendingRequests, request('suspension', c, actor, p.reason, null, now)] },
      notify: [{ to: centre(c) }],
    }),
  },
  approve_suspension: {
    from: ['in_progress'],
    who: { shift_lead: 'owning_centre' },
    requires: (c) => (pending(c, 'suspension') ? null : 'no suspension request is waiting'),
    apply: ({ c }) => ({ to: 'suspended', notify: toLead(c) }),
  },
  deny_suspension: {
    from: ['in_progress'],
    who: { shift_lead: 'owning_centre' },
    requires: (c) => (pending(c, 'suspension') ? null : 'no suspension request is waiting'),
    apply: ({ c }) => ({
      to: 'in_progress',
      set: { pendingRequests: withoutRequest(c, 'suspension') },
      notify: toLead(c),
    }),
  },
  resume: {
    from: ['suspended'],
    who: { shift_lead: 'owning_centre', ...department('lead_department') },
    apply: ({ c, actor }) => ({
      to: 'in_progress',
      // tell the other side: the centre when the department resumes, the department when the centre does
      notify: DEPARTMENT_ROLES.includes(actor.role) ? [{ to: centre(c) }] : toLead(c),
    }),
  },
  handle: {
    from: ['in_progress'],
    who: department('lead_department'),
    apply: ({ c }) => ({ to: 'handled', notify: [{ to: centre(c) }] }),
  },
  assist_feedback: {
    from: ['dispatched', 'in_progress', 'suspended', 'handled', 'checking'],
    who: department('involved_department'),
    apply: ({ c }) => ({ to: c.state, notify: toLead(c) }),
  },
  assign_check: {
    from: ['handled'],
    who: intake,
    apply: ({ c, p }) => ({
      to: 'checking',
      set: { assigneeId: p.patrollerId },
      notify: [{ to: user(p.patrollerId), urgent: c.urgency === 'urgent' }],
    }),
  },
  submit_check: {
    from: ['checking'],
    who: { patroller: 'assignee' },
    check: (p) => (!p.passed && !p.note ? ['/note', 'a failed check must say what is wrong (返工)'] : null),
    apply: ({ c, p }) =>
      p.passed
        ? { to: 'resolved', set: { assigneeId: null }, notify: [{ to: centre(c) }] }
        : {
            // 返工: back to the lead department; a case the work station handled itself goes back to it
            to: c.leadDepartmentId ? 'in_progress' : 'registered',
            set: { assigneeId: null, counters: bump(c, 'reworks') },
            notify: [{ to: centre(c) }, ...toLead(c)],
          },
  },
  close: {
    from: ['resolved', 'suspended'],
    who: shiftLead,
    check: (p, c) =>
      c.state === 'suspended' && !p.note
        ? ['/note', 'closing a suspended case (特殊结案) needs a note']
        : null,
    apply: ({ c, now }) => ({
      to: 'closed',
      set: { closureType: closureTypeOf(c, now) },
      notify: [{ to: reporters }, ...toLead(c)],
    }),
  },
  cancel: {
    from: ['registered', 'dispatched', 'in_progress', 'suspended', 'handled', 'checking', 'resolved'],
    who: shiftLead,
    apply: ({ c }) => ({
      to: 'cancelled',
      set: { assigneeId: null },
      notify: [...toDepartments(c), ...toAssignee(c), { to: reporters }],
    }),
  },
  escalate: {
    from: ['reported', 'verifying', 'registered', 'dispatched', 'in_progress', 'suspended'],
    who: shiftLead,
    requires: (c) => (c.ownerLevel === 'district' ? 'the district centre is the top level' : null),
    apply: ({ c }) => {
      const ownerLevel: OwnerLevel = c.ownerLevel === 'committee' ? 'street' : 'district';
      const ownerCode = ownerLevel === 'street' ? c.streetCode : c.districtCode;
      return {
        to: c.state,
        set: {
          ownerLevel,
          ownerCode,
          awaitingArbitration: ownerLevel === 'district',
          counters: bump(c, 'escalations'),
        },
        notify: [
          { to: { kind: 'centre', level: ownerLevel, code: ownerCode }, urgent: c.urgency === 'urgent' },
        ],
      };
    },
  },
  arbitrate: {
    from: ['registered', 'dispatched', 'in_progress', 'suspended'],
    who: { shift_lead: 'owning_centre' },
    requires: (c) =>
      c.ownerLevel === 'district' ? null : 'only the district centre arbitrates: escalate first',
    check: (p) => leadNotAssisting(p.leadDepartmentId, p.assistingDepartmentIds),
    // the district may rule across coverage: the ruling is the reason, the event names who was outside
    reaches: (p) => [p.leadDepartmentId, ...(p.assistingDepartmentIds ?? [])],
    mayCrossCoverage: true,
    apply: ({ c, p }) => {
      const assisting = p.assistingDepartmentIds ?? [];
      const kept = new Set([p.leadDepartmentId, ...assisting]);
      const dropped = [c.leadDepartmentId, ...c.assistingDepartmentIds].filter(
        (id): id is string => id !== null && !kept.has(id),
      );
      const back = p.handBack === true;
      return {
        to: 'dispatched',
        restartClock: true,
        set: {
          leadDepartmentId: p.leadDepartmentId,
          assistingDepartmentIds: assisting,
          arbitrated: true,
          awaitingArbitration: false,
          ...(back ? { ownerLevel: 'street' as const, ownerCode: c.streetCode } : {}),
        },
        notify: [
          ...dispatchNotices(c, p.leadDepartmentId, assisting),
          ...dropped.map((id) => ({ to: dept(id) })),
          ...(back ? [{ to: { kind: 'centre', level: 'street', code: c.streetCode } as const }] : []),
        ],
      };
    },
  },
  supervise: {
    from: OPEN_STATES,
    who: { leader: 'anyone' },
    apply: ({ c, p }) => ({
      to: c.state,
      set: {
        supervised: true,
        priority: maxPriority(raise(c.priority), p.priority ?? 'normal'),
        counters: bump(c, 'supervisions'),
      },
      notify: [{ to: centre(c), urgent: true }, ...toLead(c).map((n) => ({ ...n, urgent: true }))],
    }),
  },
  comment: {
    from: CASE_STATE_LIST,
    who: { ...everyone('anyone'), citizen: 'reporter' },
    apply: ({ c }) => ({ to: c.state }),
  },
  follow_up: {
    from: ['closed'],
    who: { ...intake, citizen: 'reporter' },
    apply: ({ c, p }) => ({
      to: 'closed',
      set: { satisfaction: p.satisfaction },
      notify: p.satisfaction === 'unsatisfied' ? [{ to: centre(c) }] : [],
    }),
  },
  reopen: {
    from: ['closed'],
    who: shiftLead,
    apply: ({ c }) => ({
      to: 'registered',
      set: {
        counters: bump(c, 'reopens'),
        closureType: null,
        selfHandled: false,
        leadDepartmentId: null,
        assistingDepartmentIds: [],
        arbitrated: false,
        awaitingArbitration: false,
      },
      notify: [{ to: reporters }, ...toLead(c)],
    }),
  },
};

/**
 * 结案类型: self-handled reports keep their type; closing a suspended case is a special closure (特殊结案);
 * a case that missed any stage deadline on the way closes overdue (超期结案).
 */
export function closureTypeOf(c: CaseSnapshot, now: Date): ClosureType {
  if (c.selfHandled) return 'self_handled';
  if (c.state === 'suspended') return 'special';
  const dueAt = c.deadline?.dueAt;
  const lateNow = dueAt !== null && dueAt !== undefined && now.getTime() > dueAt.getTime();
  return c.overdue || lateNow ? 'overdue' : 'normal';
}
