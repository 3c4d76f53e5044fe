import type { Actor } from '../../core/actor.ts';
import { AppError, refusal } from '../../core/errors.ts';
import { canManageUsers } from '../../core/policy/admin.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { ClientInfo, IdentityDeps } from './deps.ts';
import { assertNotLastAdmin } from './last-admin.ts';
import { getUserView, type UserView } from './user-view.ts';

/**
 * Disables (or re-enables) an account (admins). Disabling ends all its sessions at once. Accounts are
 * never deleted: cases and the audit log keep referring to them.
 */
export async function setUserDisabled(
  deps: IdentityDeps,
  actor: Actor,
  userId: string,
  disabled: boolean,
  client: ClientInfo = {},
): Promise<UserView> {
  if (!canManageUsers(actor)) throw new AppError('forbidden', 'Only administrators may disable users');
  if (disabled && userId === actor.userId)
    throw refusal('conflict', 'own_account', 'You cannot disable your own account');
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['role', 'disabled'])
      .where('id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!user) throw new AppError('not_found', `No user ${userId}`);
    if (user.disabled === disabled) return;
    if (disabled && user.role === 'admin') await assertNotLastAdmin(trx, userId);
    await trx.updateTable('users').set({ disabled, updated_at: now }).where('id', '=', userId).execute();
    if (disabled) await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await appendAudit(trx, {
      actor,
      action: disabled ? 'user.disable' : 'user.enable',
      target: `user:${userId}`,
      address: client.address ?? null,
      at: now,
    });
  });
  return getUserView(deps.db, userId);
}
