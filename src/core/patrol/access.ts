import type { Actor } from '../actor.ts';

const CENTRE_ROLES = new Set(['dispatcher', 'shift_lead', 'leader', 'admin']);

/**
 * Who may see a patrol's track, its live position and its patroller's figures (DESIGN §6: tracks are
 * personal data): the patroller, the street sub-centre of the patrol's street (dispatcher, shift lead,
 * leader), and the district centre above it. Nobody else — not departments, not other patrollers.
 */
export function canSeePatrol(actor: Actor, patrol: { userId: string; streetCode: string }): boolean {
  if (actor.userId === patrol.userId) return true;
  if (!CENTRE_ROLES.has(actor.role) || actor.unit.kind !== 'region') return false;
  const u = actor.unit;
  return u.level === 'district'
    ? patrol.streetCode.startsWith(u.code)
    : u.level === 'street' && u.code === patrol.streetCode;
}

/**
 * The streets whose patrols and coverage an actor sees as a centre: null = all (district), [] = none
 * (they see only their own patrols, if any).
 */
export function patrolStreetsOf(actor: Actor): string[] | null {
  if (!CENTRE_ROLES.has(actor.role) || actor.unit.kind !== 'region') return [];
  if (actor.unit.level === 'district') return null;
  return actor.unit.level === 'street' ? [actor.unit.code] : [];
}

/** A patrol is started and fed by patrollers only. */
export const canPatrol = (actor: Actor): boolean => actor.role === 'patroller';

/** Grid frequencies are reference data: district administrators change them. */
export const canSetPatrolFrequency = (actor: Actor): boolean =>
  actor.role === 'admin' && actor.unit.kind === 'region' && actor.unit.level === 'district';
