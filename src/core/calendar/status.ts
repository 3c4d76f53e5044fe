/**
 * The state of one deadline at a moment: due date, time used against the limit, colour and overrun —
 * what the workbench shows and what the overdue sweep and the evaluation read.
 */
import { AppError } from '../errors.ts';
import {
  computeDue,
  deadlineColour,
  isOverdue,
  measureElapsed,
  overrunMultiple,
  type DeadlineColour,
  type Pause,
  type TimeUnit,
} from './deadline.ts';
import type { WorkingCalendar } from './working-calendar.ts';

export interface DeadlineSpec {
  /** When the clock started (e.g. dispatch time for the sign-for limit). */
  start: Date;
  amount: number;
  unit: TimeUnit;
  /** Approved suspensions (挂账); the clock stops during each. */
  pauses?: readonly Pause[];
  /** Approved extensions (延期), each in the same unit as the limit: they move the due date. */
  extensions?: readonly number[];
}

export interface DeadlineStatus {
  /** null while an open suspension holds the clock. */
  due: Date | null;
  /** Limit in the unit, extensions included. */
  limit: number;
  /** Time used so far in the unit, suspensions excluded. */
  used: number;
  /** limit − used (negative once overdue). */
  remaining: number;
  colour: DeadlineColour;
  overdue: boolean;
  /** 超时倍数, 0 when not overdue. */
  overrunMultiple: number;
  /** `now` lies inside a suspension. */
  suspended: boolean;
  /** Some day involved lies in a year whose official schedule is unknown. */
  provisional: boolean;
}

/** Evaluates a deadline at `now` (a parameter: the core never reads the clock). */
export function deadlineStatus(calendar: WorkingCalendar, spec: DeadlineSpec, now: Date): DeadlineStatus {
  const pauses = spec.pauses ?? [];
  const extensions = spec.extensions ?? [];
  for (const e of extensions) {
    if (!Number.isFinite(e) || e < 0)
      throw new AppError('validation_failed', `Extension must be ≥ 0, got ${e}`);
  }
  const limit = spec.amount + extensions.reduce((sum, e) => sum + e, 0);
  const due = computeDue(calendar, spec.start, limit, spec.unit, pauses);
  const used = measureElapsed(calendar, spec.start, now, spec.unit, pauses);
  const t = now.getTime();
  const suspended = pauses.some((p) => p.start.getTime() <= t && (p.end === null || t < p.end.getTime()));
  return {
    due: due.due,
    limit,
    used: used.value,
    remaining: limit - used.value,
    colour: deadlineColour(limit, used.value),
    overdue: isOverdue(limit, used.value),
    overrunMultiple: overrunMultiple(limit, used.value),
    suspended,
    provisional: due.provisional || used.provisional,
  };
}
