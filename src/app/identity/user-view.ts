import type { Kysely, Selectable } from 'kysely';
import type { Actor, Unit } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { regionLevelOfCode } from '../../core/policy/units.ts';
import type { DB } from '../../db/schema/index.ts';
import type { UsersTable } from '../../db/schema/identity.ts';

export type UserRow = Selectable<UsersTable>;

/** A user as the API shows it (never the password hash). */
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: UserRow['role'];
  unit: Unit;
  /** Name of the unit (古美街道, 古美派出所…), when it has one. */
  unitName: string | null;
  phone: string | null;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: string;
}

/** The unit a user row is bound to. */
export function unitOfRow(row: Pick<UserRow, 'unit_kind' | 'unit_code' | 'department_id'>): Unit {
  if (row.unit_kind === 'department' && row.department_id)
    return { kind: 'department', id: row.department_id };
  if (row.unit_kind === 'region' && row.unit_code) {
    const level = regionLevelOfCode(row.unit_code);
    if (level) return { kind: 'region', level, code: row.unit_code };
  }
  return { kind: 'none' };
}

/** The actor a user acts as. */
export const actorOfRow = (row: UserRow): Actor => ({
  userId: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  unit: unitOfRow(row),
});

export const presentUser = (row: UserRow, unitName: string | null): UserView => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  unit: unitOfRow(row),
  unitName,
  phone: row.phone,
  disabled: row.disabled,
  mustChangePassword: row.must_change_password,
  createdAt: row.created_at.toISOString(),
});

/** Users with the name of their unit, for lists and details. */
export function selectUsersWithUnit(db: Kysely<DB>) {
  return db
    .selectFrom('users')
    .leftJoin('regions', 'regions.code', 'users.unit_code')
    .leftJoin('departments', 'departments.id', 'users.department_id')
    .selectAll('users')
    .select((eb) => eb.fn.coalesce('regions.name', 'departments.name').as('unit_name'));
}

export async function getUserView(db: Kysely<DB>, id: string): Promise<UserView> {
  const row = await selectUsersWithUnit(db).where('users.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `No user ${id}`);
  const { unit_name, ...user } = row;
  return presentUser(user, unit_name);
}

/** Checks that a unit exists (a region of the right level, an active department) and suits the role. */
export async function assertUnitExists(db: Kysely<DB>, role: UserRow['role'], unit: Unit): Promise<void> {
  if (unit.kind === 'region') {
    const region = await db
      .selectFrom('regions')
      .select('level')
      .where('code', '=', unit.code)
      .executeTakeFirst();
    if (!region || region.level !== unit.level)
      throw new AppError(
        'validation_failed',
        `No ${unit.level} ${unit.code} (import the territory first: liandong import regions FILE)`,
      );
  } else if (unit.kind === 'department') {
    const dept = await db
      .selectFrom('departments')
      .select(['type', 'active'])
      .where('id', '=', unit.id)
      .executeTakeFirst();
    if (!dept || !dept.active) throw new AppError('validation_failed', `No active department ${unit.id}`);
    if (role === 'police' && dept.type !== 'police') {
      throw new AppError(
        'validation_failed',
        `Role police must be bound to a police station; ${unit.id} is ${dept.type}`,
      );
    }
  }
}

/** The users-table columns for a unit. */
export const unitColumns = (unit: Unit) => ({
  unit_kind: unit.kind,
  unit_code: unit.kind === 'region' ? unit.code : null,
  department_id: unit.kind === 'department' ? unit.id : null,
});

/** Usernames: lower case letters, digits, '.', '_' and '-', 2–40 characters (e.g. gumei.dispatcher). */
export function normaliseUsername(username: string): string {
  const u = username.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9._-]{1,39}$/.test(u)) {
    throw new AppError(
      'validation_failed',
      'A username has 2–40 characters: letters, digits, ".", "_" or "-"',
    );
  }
  return u;
}
