import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { ClientInfo, IdentityDeps } from './deps.ts';

/**
 * Signs out one of the caller's own sessions (`auth.session_revoke`). Another user's session, or one that
 * no longer exists, is `not_found`: ids of other people's sessions do not leak. Returns whether it was the
 * current one (the route then clears the cookies).
 */
export async function revokeSession(
  deps: Pick<IdentityDeps, 'db' | 'now'>,
  actor: Actor,
  sessionId: string,
  client: ClientInfo & { currentSessionId: string | null },
): Promise<{ current: boolean }> {
  return deps.db.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom('sessions')
      .where('id', '=', sessionId)
      .where('user_id', '=', actor.userId)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw new AppError('not_found', `No session ${sessionId}`);
    const current = sessionId === client.currentSessionId;
    await appendAudit(trx, {
      actor,
      action: 'auth.session_revoke',
      target: `user:${actor.userId}`,
      address: client.address ?? null,
      payload: { sessionId, current },
      at: deps.now(),
    });
    return { current };
  });
}

/** Signs out every session of the caller but the current one (`auth.sessions_revoke_others`). */
export async function revokeOtherSessions(
  deps: Pick<IdentityDeps, 'db' | 'now'>,
  actor: Actor,
  client: ClientInfo & { currentSessionId: string },
): Promise<{ revoked: number }> {
  return deps.db.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom('sessions')
      .where('user_id', '=', actor.userId)
      .where('id', '!=', client.currentSessionId)
      .returning('id')
      .execute();
    const revoked = deleted.length;
    await appendAudit(trx, {
      actor,
      action: 'auth.sessions_revoke_others',
      target: `user:${actor.userId}`,
      address: client.address ?? null,
      payload: { revoked, sessionIds: deleted.map((d) => d.id) },
      at: deps.now(),
    });
    return { revoked };
  });
}
