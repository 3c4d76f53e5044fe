/**
 * Who sees which evaluation (DESIGN §7): a district leader (or admin) every unit; a street leader the
 * street and what lies in it (its committees and grids, and the centre staff and patrollers whose unit is
 * in the street); a department's lead their own department. Editing weights and the threshold: district
 * admins. Everyone else: no evaluation.
 */
import type { Actor } from '../actor.ts';
import { TERRITORY_KINDS, UNIT_KINDS, type UnitKind } from './definitions.ts';

export type EvaluationScope =
  { kind: 'all' } | { kind: 'street'; code: string } | { kind: 'department'; id: string };

export function evaluationScope(actor: Actor): EvaluationScope | null {
  const u = actor.unit;
  if ((actor.role === 'leader' || actor.role === 'admin') && u.kind === 'region' && u.level === 'district') {
    return { kind: 'all' };
  }
  if (actor.role === 'leader' && u.kind === 'region' && u.level === 'street')
    return { kind: 'street', code: u.code };
  if (actor.role === 'dept_lead' && u.kind === 'department') return { kind: 'department', id: u.id };
  return null;
}

/** The unit kinds a scope shows (the first is the default tab). */
export function scopeKinds(scope: EvaluationScope): readonly UnitKind[] {
  switch (scope.kind) {
    case 'all':
      return UNIT_KINDS;
    case 'street':
      return UNIT_KINDS.filter((k) => k !== 'department');
    case 'department':
      return ['department'];
  }
}

/**
 * Whether a unit is in scope. `unitCode` is the region code the unit sits in: the unit itself for
 * territory kinds, the user's unit code for people (null when unknown).
 */
export function unitInScope(
  scope: EvaluationScope,
  kind: UnitKind,
  unit: string,
  unitCode: string | null,
): boolean {
  if (!scopeKinds(scope).includes(kind)) return false;
  switch (scope.kind) {
    case 'all':
      return true;
    case 'department':
      return unit === scope.id;
    case 'street': {
      const code = (TERRITORY_KINDS as readonly UnitKind[]).includes(kind) ? unit : unitCode;
      return code !== null && code.startsWith(scope.code);
    }
  }
}

export const canEditEvaluationSettings = (actor: Actor): boolean =>
  actor.role === 'admin' && actor.unit.kind === 'region' && actor.unit.level === 'district';
