/**
 * 回访 (satisfaction follow-up), pure rules. A closed case whose reporter can be reached — reported by the
 * public (citizen page/app/Open311 or the 12345 hotline) with a phone number or a citizen account — owes
 * a follow-up to the hotline/intake staff (dispatchers and shift leads) of the centre that owns it, due a
 * configurable number of working days after the closure. The task is derived from the case row and its
 * event log (no task table, so no drift): it is open while no `follow_up` event came after the (latest)
 * closure. An unsatisfied result stays visible to the centre until a shift lead reopens the case.
 */
import type { Actor } from '../actor.ts';
import { addDuration } from '../calendar/deadline.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';

/** Sources whose reporter is a member of the public who can be called back. */
export const FOLLOW_UP_SOURCES = ['citizen', 'hotline'] as const;

/** Default: the follow-up is due 3 working days after the closure (`app_settings` `evaluation`). */
export const DEFAULT_FOLLOW_UP_DAYS = 3;
export const MAX_FOLLOW_UP_DAYS = 30;

export interface FollowUpCandidate {
  source: string;
  state: string;
  reporterPhone: string | null;
  reporterUserId: string | null;
}

/** Whether a case owes a follow-up once closed: public source, and a phone or a citizen account. */
export const isReachable = (c: Omit<FollowUpCandidate, 'state'>): boolean =>
  (FOLLOW_UP_SOURCES as readonly string[]).includes(c.source) &&
  ((c.reporterPhone ?? '').trim() !== '' || c.reporterUserId !== null);

/** The follow-up's due time: `days` working days after the closure (the working calendar decides). */
export const followUpDue = (calendar: WorkingCalendar, closedAt: Date, days: number): Date =>
  addDuration(calendar, closedAt, days, 'work_day');

export type FollowUpStatus = 'pending' | 'overdue';

export const followUpStatus = (due: Date, now: Date): FollowUpStatus =>
  now.getTime() > due.getTime() ? 'overdue' : 'pending';

/**
 * Who works the follow-up list: the intake staff of a centre — dispatchers and shift leads of the street
 * and district centres, the operators of a committee work station (who own 小事不出居村 cases). The same
 * people the workflow lets record `follow_up` (the owning centre's intake).
 */
export const worksFollowUps = (actor: Actor): boolean =>
  (actor.role === 'dispatcher' || actor.role === 'shift_lead' || actor.role === 'station_operator') &&
  actor.unit.kind === 'region';

/**
 * The latest closure time whose follow-up is overdue at `now` (due before `now`): every case closed at
 * or before it is overdue. Found by bisection over `followUpDue`, which never decreases, to the second.
 */
export function overdueCutoff(calendar: WorkingCalendar, now: Date, days: number): Date {
  let lo = now.getTime() - (days * 3 + 60) * 86_400_000; // surely overdue (holidays included)
  let hi = now.getTime(); // surely not (due after now)
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    if (followUpDue(calendar, new Date(mid), days).getTime() < now.getTime()) lo = mid;
    else hi = mid;
  }
  return new Date(lo);
}
