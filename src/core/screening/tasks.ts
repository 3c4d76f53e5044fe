import type { Actor } from '../actor.ts';
import { addDuration } from '../calendar/deadline.ts';
import { addDays, dateKeyOf, dayStartMs } from '../calendar/time.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import { distanceMetres } from '../geo/crs.ts';
import type { Target, TargetPlace } from './targets.ts';
import type { VisitOutcome } from './themes.ts';

export const TASK_STATUSES = [
  'pending', // not visited yet
  'revisit', // nobody home: a revisit is scheduled
  'normal', // visited, nothing wrong
  'problem_found', // visited, a problem found (a finding)
  'refused', // the occupant refused the visit
  'unreachable', // nobody home MAX_ATTEMPTS times
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = ['pending', 'revisit'];

/** Who takes the tasks of a grid first. */
export const ASSIGNEE_ROLES = ['coordinator', 'patroller'] as const;
export type AssigneeRole = (typeof ASSIGNEE_ROLES)[number];

export interface Staff {
  userId: string;
  role: AssigneeRole;
  /** the region the account is bound to (a committee or a grid) */
  unitCode: string;
}

/**
 * Each target goes to a person of its grid (DESIGN §2: coordinators belong to a committee, patrollers to a
 * grid): the preferred role first — a patroller bound to the target's grid, a coordinator bound to its
 * committee (or grid) —, then the other role. When several people qualify, the grid's tasks all go to
 * the same one, chosen by the grid code (so a grid is one person's round, stable from round to round).
 * A target nobody qualifies for stays unassigned: the committee's coordinators see it and may take it.
 */
export function assignTargets(
  targets: readonly Target[],
  staff: readonly Staff[],
  prefer: AssigneeRole,
): Map<string, string | null> {
  const sorted = [...staff].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const out = new Map<string, string | null>();
  const roles: AssigneeRole[] =
    prefer === 'coordinator' ? ['coordinator', 'patroller'] : ['patroller', 'coordinator'];
  for (const t of targets) {
    let chosen: string | null = null;
    for (const role of roles) {
      const candidates = sorted.filter((s) => s.role === role && servesPlace(s, t));
      if (candidates.length > 0) {
        const key = t.gridCode ?? t.committeeCode ?? t.streetCode;
        chosen = candidates[hash(key) % candidates.length]!.userId;
        break;
      }
    }
    out.set(`${t.kind}:${t.id}`, chosen);
  }
  return out;
}

function servesPlace(s: Staff, p: TargetPlace): boolean {
  if (s.role === 'patroller') return p.gridCode !== null && s.unitCode === p.gridCode;
  return (
    (p.committeeCode !== null && s.unitCode === p.committeeCode) ||
    (p.gridCode !== null && s.unitCode === p.gridCode)
  );
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
  return h;
}

/** A round's tasks are due `workDays` working days after generation (the working calendar: weekends, 调休). */
export const roundDueAt = (calendar: WorkingCalendar, generatedAt: Date, workDays: number): Date =>
  addDuration(calendar, generatedAt, workDays, 'work_day');

/** A GPS fix farther than this from the target's address needs the visitor's reason. */
export const NEAR_ADDRESS_METRES = 150;
/** A fix less accurate than this counts as no fix. */
export const MAX_ACCURACY_METRES = 100;
/** After this many visits with nobody home the task ends as unreachable. */
export const MAX_ATTEMPTS = 3;

export interface VisitPosition {
  lon: number;
  lat: number;
  accuracyM?: number | null | undefined;
}

/**
 * The GPS-near-the-address rule: the visit's fix must lie within NEAR_ADDRESS_METRES of the target (the
 * distance measured on the ground, the boundary itself counts as near, the fix's accuracy is not added);
 * otherwise — far, no fix, or a fix less accurate than MAX_ACCURACY_METRES — the visitor says why.
 * A target without a point cannot be checked: any visit passes.
 */
export function checkVisitPosition(
  target: { lon: number | null; lat: number | null },
  position: VisitPosition | null,
  reason: string | null | undefined,
):
  | { ok: true; distanceM: number | null; near: boolean }
  | { ok: false; distanceM: number | null; why: 'far' | 'no_fix' } {
  const hasReason = (reason ?? '').trim().length > 0;
  if (target.lon === null || target.lat === null) return { ok: true, distanceM: null, near: true };
  if (!position || (position.accuracyM ?? 0) > MAX_ACCURACY_METRES)
    return hasReason
      ? { ok: true, distanceM: null, near: false }
      : { ok: false, distanceM: null, why: 'no_fix' };
  const distanceM = Math.round(distanceMetres([target.lon, target.lat], [position.lon, position.lat]));
  if (distanceM <= NEAR_ADDRESS_METRES) return { ok: true, distanceM, near: true };
  return hasReason ? { ok: true, distanceM, near: false } : { ok: false, distanceM, why: 'far' };
}

/**
 * A task after a visit: normal / problem_found / refused end it; nobody_home schedules a revisit on the
 * next working day (the start of its first working span after the visit) until MAX_ATTEMPTS visits, then
 * ends it as unreachable.
 */
export function afterVisit(
  outcome: VisitOutcome,
  attemptsBefore: number,
  calendar: WorkingCalendar,
  at: Date,
): { status: TaskStatus; revisitAt: Date | null } {
  if (outcome !== 'nobody_home') return { status: outcome, revisitAt: null };
  if (attemptsBefore + 1 >= MAX_ATTEMPTS) return { status: 'unreachable', revisitAt: null };
  return { status: 'revisit', revisitAt: nextWorkingDay(calendar, at) };
}

/** The first working instant of the first working day after the visit's day (a Friday visit: Monday 09:00). */
export function nextWorkingDay(calendar: WorkingCalendar, at: Date): Date {
  let date = addDays(dateKeyOf(at), 1);
  for (let i = 0; i < 60 && !calendar.day(date).workday; i++) date = addDays(date, 1);
  return new Date(dayStartMs(date) + (calendar.segmentSpans[0]?.startMs ?? 9 * 3_600_000));
}

/** Who may visit a task: its assignee; an unassigned task, the coordinators and patrollers whose region holds it. */
export function canVisitTask(actor: Actor, task: TargetPlace & { assigneeId: string | null }): boolean {
  if (actor.role !== 'coordinator' && actor.role !== 'patroller') return false;
  if (task.assigneeId !== null) return task.assigneeId === actor.userId;
  if (actor.unit.kind !== 'region') return false;
  const place = task.gridCode ?? task.committeeCode ?? task.streetCode;
  return place.startsWith(actor.unit.code);
}

/** Tasks sorted by distance from a point (those without a point last), ties by id. */
export function byDistance<T extends { id: string; lon: number | null; lat: number | null }>(
  tasks: readonly T[],
  from: { lon: number; lat: number } | null,
): (T & { distanceM: number | null })[] {
  const withDistance = tasks.map((t) => ({
    ...t,
    distanceM:
      from && t.lon !== null && t.lat !== null
        ? Math.round(distanceMetres([from.lon, from.lat], [t.lon, t.lat]))
        : null,
  }));
  return withDistance.sort((a, b) => {
    if (a.distanceM === null && b.distanceM === null) return a.id < b.id ? -1 : 1;
    if (a.distanceM === null) return 1;
    if (b.distanceM === null) return -1;
    return a.distanceM - b.distanceM || (a.id < b.id ? -1 : 1);
  });
}
