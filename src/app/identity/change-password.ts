import type { Actor } from '../../core/actor.ts';
import { AppError, refusal } from '../../core/errors.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { ClientInfo, IdentityDeps } from './deps.ts';
import { assertPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';
import { tokenHash } from './tokens.ts';

export interface ChangePasswordInput extends ClientInfo {
  currentPassword: string;
  newPassword: string;
  /** The session making the change stays signed in; every other session of the user ends. */
  currentToken?: string | undefined;
}

/** A user changes their own password (needed after an admin reset or a generated first password). */
export async function changePassword(
  deps: IdentityDeps,
  actor: Actor,
  input: ChangePasswordInput,
): Promise<void> {
  const user = await deps.db
    .selectFrom('users')
    .select(['username', 'display_name', 'password_hash', 'must_change_password'])
    .where('id', '=', actor.userId)
    .executeTakeFirst();
  if (!user) throw new AppError('unauthenticated', 'No such account');
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw refusal('validation_failed', 'wrong_current_password', 'The current password is wrong', {
      field: 'currentPassword',
    });
  }
  if (input.newPassword === input.currentPassword) {
    throw refusal('validation_failed', 'weak_password', 'The new password must differ from the current one', {
      field: 'newPassword',
      rule: 'unchanged',
    });
  }
  assertPasswordPolicy(input.newPassword, user.username, user.display_name);
  const passwordHash = await hashPassword(input.newPassword);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, must_change_password: false, updated_at: now })
      .where('id', '=', actor.userId)
      .execute();
    let others = trx.deleteFrom('sessions').where('user_id', '=', actor.userId);
    if (input.currentToken) others = others.where('token_hash', '!=', tokenHash(input.currentToken));
    const ended = await others.executeTakeFirst();
    await appendAudit(trx, {
      actor,
      action: 'auth.password_change',
      target: `user:${actor.userId}`,
      address: input.address ?? null,
      // forced: the change an admin reset or a generated first password demanded
      payload: { forced: user.must_change_password, endedSessions: Number(ended.numDeletedRows) },
      at: now,
    });
  });
}
