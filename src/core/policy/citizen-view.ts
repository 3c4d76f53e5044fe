import type { Actor } from '../actor.ts';
import { AppError } from '../errors.ts';

/**
 * The citizen's public view (issue 11 §5), as rules every route applies: "no names, notes or internal
 * steps". A signed-in citizen sees the cases they reported, but only what the public page would show.
 */

/**
 * The steps of a case that change what the public sees (受理, 立案, 派遣, 结案, 不予立案, 作废, 合并,
 * 重新办理). Other steps (signing, handling, checking, escalation, supervision, notes of staff) are
 * internal: a citizen never sees them, neither in the timeline nor on the live stream.
 */
export const PUBLIC_STEPS: ReadonlySet<string> = new Set([
  'report',
  'register',
  'dispatch',
  'close',
  'reject',
  'cancel',
  'merge',
  'reopen',
]);

/** Whether a step of a case's history is part of the public view. */
export const isPublicStep = (action: string): boolean => PUBLIC_STEPS.has(action);

/** Whether the actor gets the public view of cases (a citizen account). */
export const seesPublicViewOnly = (actor: Pick<Actor, 'role'>): boolean => actor.role === 'citizen';

/**
 * Refuses staff views (dashboards, counts by deadline, exports, the case console's context) to a citizen:
 * they are made of internal fields, which the public view never shows.
 */
export function refuseCitizen(actor: Pick<Actor, 'role'>, what: string): void {
  if (seesPublicViewOnly(actor)) {
    throw new AppError('forbidden', `${what} is for staff; citizens get the public view of their cases`);
  }
}
