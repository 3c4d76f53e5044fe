import type { Actor } from '../../core/actor.ts';
import type { IdentityDeps } from './deps.ts';
import { tokenHash } from './tokens.ts';
import { actorOfRow } from './user-view.ts';

export interface Authenticated {
  actor: Actor;
  expiresAt: Date;
  mustChangePassword: boolean;
  /** The public id of the session (GET /me/sessions marks it as the current one). */
  sessionId: string;
}

/** How stale `sessions.last_seen_at` may get before a request refreshes it (one write per 5 minutes). */
export const SESSION_SEEN_RESOLUTION_MS = 5 * 60_000;

/**
 * The actor behind a session token, or null when the token is unknown, expired, or its user disabled.
 * Reads the user afresh on every call, so a changed role or unit applies at the next request, and marks
 * the session as seen (at most once per SESSION_SEEN_RESOLUTION_MS).
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
    .select(['sessions.expires_at', 'sessions.id as session_id', 'sessions.last_seen_at'])
    .where('sessions.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  const now = deps.now();
  if (!row || row.disabled || row.expires_at.getTime() <= now.getTime()) return null;
  const { expires_at, session_id, last_seen_at, ...user } = row;
  if (now.getTime() - last_seen_at.getTime() >= SESSION_SEEN_RESOLUTION_MS) {
    await deps.db
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('token_hash', '=', tokenHash(token))
      .execute();
  }
  return {
    actor: actorOfRow(user),
    expiresAt: expires_at,
    mustChangePassword: user.must_change_password,
    sessionId: session_id,
  };
}
