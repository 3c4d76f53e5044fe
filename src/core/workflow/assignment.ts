import { ROLES, type Actor, type Role } from '../actor.ts';
import type { CaseSnapshot } from './snapshot.ts';

/**
 * What ties an actor to a case, beyond their role. Territory visibility is the policy's job
 * (src/core/policy); these are the workflow's own "is it your case?" checks.
 */
export type Assignee =
  /** Works for the centre that owns the case (its unit is the owner level and code). */
  | 'owning_centre'
  /** Works for the lead department. */
  | 'lead_department'
  /** Works for the lead or an assisting department. */
  | 'involved_department'
  /** Is the patroller sent to verify or check the case. */
  | 'assignee'
  /** Reported the case. */
  | 'reporter'
  /** Any actor with the role (scoped by territory elsewhere). */
  | 'anyone';

/** Who may take an action: each role and the tie to the case it needs. */
export type Who = Partial<Record<Role, Assignee>>;

export function holds(assignee: Assignee, c: CaseSnapshot, actor: Actor): boolean {
  const { unit } = actor;
  switch (assignee) {
    case 'owning_centre':
      return unit.kind === 'region' && unit.level === c.ownerLevel && unit.code === c.ownerCode;
    case 'lead_department':
      return unit.kind === 'department' && c.leadDepartmentId !== null && unit.id === c.leadDepartmentId;
    case 'involved_department':
      return (
        unit.kind === 'department' &&
        (unit.id === c.leadDepartmentId || c.assistingDepartmentIds.includes(unit.id))
      );
    case 'assignee':
      return c.assigneeId !== null && actor.userId === c.assigneeId;
    case 'reporter':
      return c.reporterIds.includes(actor.userId);
    case 'anyone':
      return true;
  }
}

/** Whether the actor's role appears in `who` and the actor holds the tie that role needs. */
export function isPermitted(who: Who, c: CaseSnapshot, actor: Actor): 'ok' | 'role' | 'assignment' {
  const assignee = who[actor.role];
  if (assignee === undefined) return 'role';
  return holds(assignee, c, actor) ? 'ok' : 'assignment';
}

const each = (roles: readonly Role[], assignee: Assignee): Who =>
  Object.fromEntries(roles.map((r) => [r, assignee])) as Who;

/** Department staff: handlers, leads and police stations (which act as departments). */
export const DEPARTMENT_ROLES: readonly Role[] = ['dept_handler', 'dept_lead', 'police'];
export const department = (assignee: 'lead_department' | 'involved_department'): Who =>
  each(DEPARTMENT_ROLES, assignee);

/**
 * Centre staff doing intake work (受理/派遣). At a committee the work-station operator does it all; the
 * shift lead can do everything the dispatcher does.
 */
export const intake: Who = each(['dispatcher', 'shift_lead', 'station_operator'], 'owning_centre');
/** Centre staff taking decisions (值班长: approve, reject, close, cancel, escalate). */
export const shiftLead: Who = each(['shift_lead', 'station_operator'], 'owning_centre');

/** Every role with the same tie. */
export const everyone = (assignee: Assignee): Who => each(ROLES, assignee);
