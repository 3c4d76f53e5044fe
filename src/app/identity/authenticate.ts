import type { Actor } from '../../core/actor.ts';
import type { IdentityDeps } from './deps.ts';
import { tokenHash } from './tokens.ts';
import { actorOfRow } from './user-view.ts';

export interface Authenticated {
  actor: Actor;
  expiresAt: Date;
  mustChangePassword: boolean;
}

/**
 * The actor behind a session token, or null when the token is unknown, expired, or its user disabled.
 * Reads the user afresh on every call, so a changed role or unit applies at the next request.
 */
export async function authenticate(
  deps: Pick<IdentityDeps, 'db' | 'now'>,
  token: string,
): Promise<Authenticated | null> {
  if (!token || token.length > 200) return null;
  const row = await deps.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select('sessions.expires_at')
    .where('sessions.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row || row.disabled || row.expires_at.getTime() <= deps.now().getTime()) return null;
  const { expires_at, ...user } = row;
  return { actor: actorOfRow(user), expiresAt: expires_at, mustChangePassword: user.must_change_password };
}
