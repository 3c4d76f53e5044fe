import type { Actor } from '../../core/actor.ts';
import { maskAddress } from './session-address.ts';
import type { IdentityDeps } from './deps.ts';

/** One of the caller's own sessions, as the account page lists it. */
export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  /** The address it signed in from, masked (203.0.113.* · 2001:db8:1:*). */
  address: string | null;
  userAgent: string | null;
  /** The session making this request. */
  current: boolean;
}

/** The caller's unexpired sessions: the current one first, then the most recently used. */
export async function listSessions(
  deps: Pick<IdentityDeps, 'db' | 'now'>,
  actor: Actor,
  currentSessionId: string | null,
): Promise<SessionView[]> {
  const rows = await deps.db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'address', 'user_agent'])
    .where('user_id', '=', actor.userId)
    .where('expires_at', '>', deps.now())
    .orderBy('last_seen_at', 'desc')
    .orderBy('id')
    .execute();
  const current = rows.filter((row) => row.id === currentSessionId);
  return [...current, ...rows.filter((row) => row.id !== currentSessionId)].map((row) => ({
    id: row.id,
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    address: row.address === null ? null : maskAddress(row.address),
    userAgent: row.user_agent,
    current: row.id === currentSessionId,
  }));
}
