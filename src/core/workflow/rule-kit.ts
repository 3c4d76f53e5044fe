import type { Actor } from '../actor.ts';
import type { DepartmentCoverage } from '../policy/department-coverage.ts';
import type { CaseTransitionAction } from './actions.ts';
import type { Who } from './assignment.ts';
import type { CaseEffect, NotifyTarget } from './effects.ts';
import type { PayloadOf } from './payloads.ts';
import { PRIORITIES, type CaseSnapshot, type PendingRequest, type Priority } from './snapshot.ts';
import type { CaseState } from './states.ts';

/** The shape of one rule of the workflow table (table.ts), and the small helpers the rules read with. */
export interface ActionRule<A extends CaseTransitionAction> {
  from: readonly CaseState[];
  who: Who;
  /** A condition on the case beyond its state; returns why it is not met. → invalid_transition */
  requires?: (c: CaseSnapshot) => string | null;
  /** A payload rule involving the case or the clock; returns [JSON pointer, message]. → validation_failed */
  check?: (p: PayloadOf<A>, c: CaseSnapshot, now: Date) => readonly [string, string] | null;
  /**
   * The departments the action hands the case to. Each must cover the case's place
   * (src/core/policy/department-coverage.ts) → `unprocessable` with reason `outside_coverage`.
   */
  reaches?: (p: PayloadOf<A>) => readonly string[];
  /** The district's ruling (裁定) may cross coverage; the event records the departments outside it. */
  mayCrossCoverage?: true;
  apply: (x: { c: CaseSnapshot; p: PayloadOf<A>; actor: Actor; now: Date }) => Applied;
}

/**
 * Reference data a rule needs beyond the case, looked up by the use case for the payload at hand.
 * `departmentCoverage`: the coverage of every department the payload names (dispatch, arbitrate).
 */
export interface TransitionFacts {
  departmentCoverage?: DepartmentCoverage;
}

export interface Applied {
  to: CaseState;
  set?: Partial<CaseSnapshot>;
  notify?: readonly Notice[];
  /** Staying in the same state but restarting its clock (re-dispatch after a ruling). */
  restartClock?: boolean;
  effects?: readonly CaseEffect[];
}

export interface Notice {
  to: NotifyTarget;
  urgent?: boolean;
  receipt?: boolean;
}

export const reporters: NotifyTarget = { kind: 'reporters' };
export const user = (userId: string): NotifyTarget => ({ kind: 'user', userId });
export const dept = (id: string): NotifyTarget => ({ kind: 'department', id });
export const centre = (c: CaseSnapshot): NotifyTarget => ({
  kind: 'centre',
  level: c.ownerLevel,
  code: c.ownerCode,
});
export const toLead = (c: CaseSnapshot): Notice[] =>
  c.leadDepartmentId ? [{ to: dept(c.leadDepartmentId) }] : [];
export const toDepartments = (c: CaseSnapshot): Notice[] => [
  ...toLead(c),
  ...c.assistingDepartmentIds.map((id) => ({ to: dept(id) })),
];
export const toAssignee = (c: CaseSnapshot): Notice[] => (c.assigneeId ? [{ to: user(c.assigneeId) }] : []);

/** The lead and assisting departments must sign; the police are informed when the category says so. */
export function dispatchNotices(c: CaseSnapshot, lead: string, assisting: readonly string[]): Notice[] {
  const urgent = c.urgency === 'urgent' || c.priority === 'critical';
  const notices: Notice[] = [lead, ...assisting].map((id) => ({ to: dept(id), urgent, receipt: true }));
  const police = c.policeDepartmentId;
  if (c.policeLinkage === 'notify' && police && police !== lead && !assisting.includes(police))
    notices.push({ to: { kind: 'police_station', departmentId: police }, urgent, receipt: true });
  return notices;
}

export function leadNotAssisting(
  lead: string,
  assisting: readonly string[] | undefined,
): readonly [string, string] | null {
  return assisting?.includes(lead)
    ? ['/assistingDepartmentIds', 'the lead department cannot also assist']
    : null;
}

export function laterThanDeadline(
  path: string,
  dueAt: Date,
  c: CaseSnapshot,
  now: Date,
): readonly [string, string] | null {
  if (dueAt.getTime() <= now.getTime()) return [path, 'the new deadline must be in the future'];
  const current = c.deadline?.dueAt;
  if (current && dueAt.getTime() <= current.getTime())
    return [path, 'the new deadline must be later than the current one'];
  return null;
}

export const pending = (c: CaseSnapshot, kind: 'extension' | 'suspension') =>
  c.pendingRequests.find((r) => r.kind === kind);
export const withoutRequest = (c: CaseSnapshot, kind: 'extension' | 'suspension') =>
  c.pendingRequests.filter((r) => r.kind !== kind);

export function request(
  kind: 'extension' | 'suspension',
  c: CaseSnapshot,
  actor: Actor,
  reason: string,
  requestedDueAt: Date | null,
  at: Date,
): PendingRequest {
  const departmentId = actor.unit.kind === 'department' ? actor.unit.id : (c.leadDepartmentId ?? '');
  return { kind, departmentId, requestedBy: actor.userId, reason, requestedDueAt, at };
}

export const bump = (c: CaseSnapshot, counter: keyof CaseSnapshot['counters']) => ({
  ...c.counters,
  [counter]: c.counters[counter] + 1,
});

export const rank = (p: Priority) => PRIORITIES.indexOf(p);
export const maxPriority = (a: Priority, b: Priority): Priority => (rank(a) >= rank(b) ? a : b);
export const raise = (p: Priority): Priority => PRIORITIES[Math.min(rank(p) + 1, PRIORITIES.length - 1)] ?? p;
