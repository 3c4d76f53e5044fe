import type { Actor } from '../actor.ts';

const CENTRE_ROLES = new Set(['dispatcher', 'shift_lead', 'leader', 'admin']);
/** Who may act on a warning (acknowledge, convert, dismiss): the centre's staff, not its leaders. */
const ACTING_ROLES = new Set(['dispatcher', 'shift_lead', 'admin']);

/**
 * Warnings are the owning centre's and above (issue 13): a street sub-centre sees the warnings its
 * street owns, the district centre all of them. null = all, [] = none.
 */
export function warningStreetsOf(actor: Actor): string[] | null {
  if (!CENTRE_ROLES.has(actor.role) || actor.unit.kind !== 'region') return [];
  if (actor.unit.level === 'district') return null;
  return actor.unit.level === 'street' ? [actor.unit.code] : [];
}

export function canSeeWarning(actor: Actor, warning: { ownerCode: string }): boolean {
  const streets = warningStreetsOf(actor);
  return streets === null || streets.includes(warning.ownerCode);
}

export const canActOnWarning = (actor: Actor, warning: { ownerCode: string }): boolean =>
  ACTING_ROLES.has(actor.role) && canSeeWarning(actor, warning);

/** The rules' parameters are reference data: district administrators change them. */
export const canSetWarningPolicy = (actor: Actor): boolean =>
  actor.role === 'admin' && actor.unit.kind === 'region' && actor.unit.level === 'district';
