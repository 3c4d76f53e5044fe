import type { Actor, Unit } from '../../core/actor.ts';
import { AppError, refusal } from '../../core/errors.ts';
import { canManageUsers } from '../../core/policy/admin.ts';
import { assertRoleUnit, formatUnit } from '../../core/policy/units.ts';
import type { UserRole } from '../../db/schema/identity.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { ClientInfo, IdentityDeps } from './deps.ts';
import { assertPasswordPolicy, generatePassword, hashPassword } from './passwords.ts';
import { assertUnitExists, getUserView, normaliseUsername, unitColumns, type UserView } from './user-view.ts';

export interface CreateUserInput extends ClientInfo {
  username: string;
  displayName?: string | undefined;
  /** When absent a random password is generated, returned once, and must be changed at first login. */
  password?: string | undefined;
  role: UserRole;
  unit: Unit;
  phone?: string | null | undefined;
  /**
   * Must the user replace the password at the first login? Default: when it was generated. Over HTTP an
   * administrator's chosen initial password must be replaced too (the admin knows it); the CLI may keep it.
   */
  mustChangePassword?: boolean | undefined;
}

/** Creates an account bound to a role and unit (admins; the CLI acts as the system). Audited. */
export async function createUser(
  deps: IdentityDeps,
  actor: Actor,
  input: CreateUserInput,
): Promise<{ user: UserView; generatedPassword: string | null }> {
  if (!canManageUsers(actor)) throw new AppError('forbidden', 'Only administrators may create users');
  const username = normaliseUsername(input.username);
  assertRoleUnit(input.role, input.unit);
  const generatedPassword = input.password === undefined ? generatePassword() : null;
  const password = input.password ?? generatedPassword!;
  assertPasswordPolicy(password, username, input.displayName);
  const passwordHash = await hashPassword(password);
  const now = deps.now();

  const id = await deps.db.transaction().execute(async (trx) => {
    await assertUnitExists(trx, input.role, input.unit);
    const taken = await trx
      .selectFrom('users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['username']), '=', username))
      .executeTakeFirst();
    if (taken) throw refusal('conflict', 'username_taken', `The username ${username} is taken`);
    const row = await trx
      .insertInto('users')
      .values({
        username,
        display_name: input.displayName?.trim() || username,
        password_hash: passwordHash,
        role: input.role,
        ...unitColumns(input.unit),
        phone: input.phone ?? null,
        must_change_password: input.mustChangePassword ?? generatedPassword !== null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actor,
      action: 'user.create',
      target: `user:${row.id}`,
      address: input.address ?? null,
      payload: { username, role: input.role, unit: formatUnit(input.unit) },
      at: now,
    });
    return row.id;
  });
  return { user: await getUserView(deps.db, id), generatedPassword };
}
