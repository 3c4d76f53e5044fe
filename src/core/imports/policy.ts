import type { Actor } from '../actor.ts';

/**
 * Who may import base information, and where (issue 12 §4): a district administrator anywhere in the
 * district; a street sub-centre's dispatcher or shift lead (the street's operators) into their own
 * street only; the CLI as the system. Nobody else — not district dispatchers, departments, committees or patrollers.
 */
export type ImportScope = { kind: 'district' } | { kind: 'street'; code: string };

export function importScope(actor: Actor): ImportScope | null {
  // the platform itself: the `import` CLI (whoever holds the database holds the keys)
  if (actor.role === 'system') return { kind: 'district' };
  if (actor.unit.kind !== 'region') return null;
  if (actor.role === 'admin' && actor.unit.level === 'district') return { kind: 'district' };
  if ((actor.role === 'dispatcher' || actor.role === 'shift_lead') && actor.unit.level === 'street')
    return { kind: 'street', code: actor.unit.code };
  return null;
}

/** May the actor import into `streetCode` (null = no street given: district administrators only)? */
export function canImportInto(actor: Actor, streetCode: string | null): boolean {
  const scope = importScope(actor);
  if (!scope) return false;
  return scope.kind === 'district' || scope.code === streetCode;
}

/** May the actor see a run that was for `streetCode`? The same rule as importing there. */
export const canSeeImportRun = canImportInto;
