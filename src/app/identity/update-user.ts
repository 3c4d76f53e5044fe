import type { Actor, Unit } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { canManageUsers } from '../../core/policy/admin.ts';
import { assertRoleUnit, formatUnit } from '../../core/policy/units.ts';
import type { UserRole } from '../../db/schema/identity.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { ClientInfo, IdentityDeps } from './deps.ts';
import { assertNotLastAdmin } from './last-admin.ts';
import { assertUnitExists, getUserView, unitColumns, unitOfRow, type UserView } from './user-view.ts';

export interface UpdateUserInput extends ClientInfo {
  displayName?: string | undefined;
  phone?: string | null | undefined;
  /** Role and unit change together: a new role must suit the (new or current) unit. */
  role?: UserRole | undefined;
  unit?: Unit | undefined;
}

/**
 * Changes a user's name, phone, role or unit (admins). The new scope applies at the user's next request
 * (sessions re-read the user). Audited with the values before and after.
 */
export async function updateUser(
  deps: IdentityDeps,
  actor: Actor,
  userId: string,
  input: UpdateUserInput,
): Promise<UserView> {
  if (!canManageUsers(actor)) throw new AppError('forbidden', 'Only administrators may change users');
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('users')
      .selectAll()
      .where('id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new AppError('not_found', `No user ${userId}`);
    const role = input.role ?? before.role;
    const unit = input.unit ?? unitOfRow(before);
    const reassigned = input.role !== undefined || input.unit !== undefined;
    if (reassigned) {
      assertRoleUnit(role, unit);
      await assertUnitExists(trx, role, unit);
      if (before.role === 'admin' && role !== 'admin') await assertNotLastAdmin(trx, userId);
    }
    await trx
      .updateTable('users')
      .set({
        ...(input.displayName !== undefined
          ? { display_name: input.displayName.trim() || before.username }
          : {}),
        ...(input.phone !== undefined ? { phone: input.phone } : {}),
        ...(reassigned ? { role, ...unitColumns(unit) } : {}),
        updated_at: now,
      })
      .where('id', '=', userId)
      .execute();
    await appendAudit(trx, {
      actor,
      action: 'user.update',
      target: `user:${userId}`,
      address: input.address ?? null,
      payload: {
        before: {
          displayName: before.display_name,
          role: before.role,
          unit: formatUnit(unitOfRow(before)),
          phoneSet: before.phone !== null,
        },
        after: {
          displayName: input.displayName ?? before.display_name,
          role,
          unit: formatUnit(unit),
          phoneSet: (input.phone !== undefined ? input.phone : before.phone) !== null,
        },
      },
      at: now,
    });
  });
  return getUserView(deps.db, userId);
}
