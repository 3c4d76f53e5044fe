import type { Actor } from '../actor.ts';

/** Who creates and runs campaigns: the street sub-centres and the district centre (dispatchers, shift leads). */
const MANAGING_ROLES = new Set(['dispatcher', 'shift_lead']);

/**
 * Campaign results follow the base-information scopes (issue 13 req. 5): an actor sees a campaign when
 * its territory and the actor's base-information regions overlap (a street centre sees its street's
 * campaigns and the district's campaigns as far as they reach into the street; a coordinator those
 * reaching into the committee); what is shown of it (tasks, progress, findings) is cut to the regions.
 */
export function campaignOverlaps(regions: readonly string[], territory: readonly string[]): boolean {
  return regions.some((r) =>
    territory.some((t) => r.length > 0 && t.length > 0 && (t.startsWith(r) || r.startsWith(t))),
  );
}

/**
 * May create and manage (change, close, start the next round of) a campaign over `territory`: a
 * dispatcher or shift lead of a centre whose region holds every code of the territory.
 */
export function canManageCampaign(actor: Actor, territory: readonly string[]): boolean {
  if (!MANAGING_ROLES.has(actor.role) || actor.unit.kind !== 'region') return false;
  if (actor.unit.level !== 'district' && actor.unit.level !== 'street') return false;
  const unit = actor.unit.code;
  return territory.length > 0 && territory.every((t) => t.startsWith(unit));
}

/** The managing roles, for the UI and the matrix. */
export const isCampaignManager = (actor: Actor): boolean =>
  MANAGING_ROLES.has(actor.role) &&
  actor.unit.kind === 'region' &&
  (actor.unit.level === 'district' || actor.unit.level === 'street');
