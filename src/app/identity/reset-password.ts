import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { canManageUsers } from '../../core/policy/admin.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { ClientInfo, IdentityDeps } from './deps.ts';
import { assertPasswordPolicy, generatePassword, hashPassword } from './passwords.ts';
import { clearAccountThrottle } from './throttle.ts';

/**
 * Sets a new password for a user (admins): the given one or a generated one (returned once). The user
 * must change it at next login; all their sessions end and their login cool-down is lifted.
 */
export async function resetPassword(
  deps: IdentityDeps,
  actor: Actor,
  userId: string,
  input: ClientInfo & { password?: string | undefined } = {},
): Promise<{ generatedPassword: string | null }> {
  if (!canManageUsers(actor)) throw new AppError('forbidden', 'Only administrators may reset passwords');
  const user = await deps.db
    .selectFrom('users')
    .select(['username', 'display_name'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw new AppError('not_found', `No user ${userId}`);
  const generatedPassword = input.password === undefined ? generatePassword() : null;
  const password = input.password ?? generatedPassword!;
  assertPasswordPolicy(password, user.username, user.display_name);
  const passwordHash = await hashPassword(password);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, must_change_password: true, updated_at: now })
      .where('id', '=', userId)
      .execute();
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await clearAccountThrottle(trx, user.username.toLowerCase());
    await appendAudit(trx, {
      actor,
      action: 'user.reset_password',
      target: `user:${userId}`,
      address: input.address ?? null,
      payload: { generated: generatedPassword !== null },
      at: now,
    });
  });
  return { generatedPassword };
}
