import type { Role, Unit } from '../actor.ts';
import { AppError } from '../errors.ts';
import type { RegionLevel } from '../geo/region-code.ts';

/** What a role may be bound to: a region level, a department, or nothing (citizens). */
export type UnitSlot = RegionLevel | 'department' | 'none';

/**
 * Which units each role may be bound to (DESIGN §2). A dispatcher works for a street sub-centre or the
 * district centre, a patroller for a grid (or a whole committee), a department role for a department.
 * `system` is the platform itself and never an account.
 */
export const ROLE_UNITS: Record<Exclude<Role, 'system'>, readonly UnitSlot[]> = {
  patroller: ['grid', 'committee'],
  coordinator: ['committee'],
  station_operator: ['committee'],
  police: ['department'],
  dispatcher: ['street', 'district'],
  shift_lead: ['street', 'district'],
  dept_handler: ['department'],
  dept_lead: ['department'],
  leader: ['street', 'district'],
  admin: ['district'],
  citizen: ['none'],
};

const LEVEL_BY_LENGTH: Record<number, RegionLevel> = {
  6: 'district',
  9: 'street',
  12: 'committee',
  14: 'grid',
};

/** The level of a region from its code length (6/9/12/14 digits, DESIGN §3), or null if it is no code. */
export function regionLevelOfCode(code: string): RegionLevel | null {
  if (!/^[0-9]+$/.test(code)) return null;
  return LEVEL_BY_LENGTH[code.length] ?? null;
}

/**
 * Reads a unit as written on the command line or in an admin form: a region code (`310112006`), a
 * department id (`police-310112006`, optionally `dept:`-prefixed), or `none`.
 */
export function parseUnit(text: string): Unit {
  const t = text.trim();
  if (t === '' || t === 'none') return { kind: 'none' };
  const level = regionLevelOfCode(t);
  if (level) return { kind: 'region', level, code: t };
  if (/^[0-9]+$/.test(t))
    throw new AppError('validation_failed', `A region code has 6, 9, 12 or 14 digits: "${t}"`);
  const id = t.startsWith('dept:') ? t.slice(5) : t;
  if (/^[a-z0-9][a-z0-9_-]*$/.test(id)) return { kind: 'department', id };
  throw new AppError(
    'validation_failed',
    `Not a unit: "${text}" (expected a region code, a department id or "none")`,
  );
}

/** The slot a unit fills, for checking it against ROLE_UNITS. */
export const unitSlot = (unit: Unit): UnitSlot =>
  unit.kind === 'region' ? unit.level : unit.kind === 'department' ? 'department' : 'none';

/** Throws `validation_failed` when the role cannot be bound to this unit. */
export function assertRoleUnit(role: Role, unit: Unit): void {
  if (role === 'system') throw new AppError('validation_failed', 'The system role is not an account role');
  const allowed = ROLE_UNITS[role];
  if (!allowed.includes(unitSlot(unit))) {
    throw new AppError('validation_failed', `Role ${role} must be bound to: ${allowed.join(' or ')}`, {
      role,
      allowedUnits: allowed,
    });
  }
  if (unit.kind === 'region' && regionLevelOfCode(unit.code) !== unit.level) {
    throw new AppError('validation_failed', `Region code ${unit.code} is not a ${unit.level} code`);
  }
}

/** A unit as one string (the inverse of parseUnit), for logs, audit payloads and the CLI. */
export const formatUnit = (unit: Unit): string =>
  unit.kind === 'region' ? unit.code : unit.kind === 'department' ? `dept:${unit.id}` : 'none';
