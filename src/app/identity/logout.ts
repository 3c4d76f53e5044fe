import type { Actor } from '../../core/actor.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { ClientInfo, IdentityDeps } from './deps.ts';
import { tokenHash } from './tokens.ts';

/** Ends the session of this token (idempotent: an unknown or expired token is simply gone). */
export async function logout(
  deps: IdentityDeps,
  token: string,
  actor: Actor | null,
  client: ClientInfo = {},
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom('sessions')
      .where('token_hash', '=', tokenHash(token))
      .executeTakeFirst();
    if (actor && Number(deleted.numDeletedRows) > 0) {
      await appendAudit(trx, {
        actor,
        action: 'auth.logout',
        target: `user:${actor.userId}`,
        address: client.address ?? null,
        at: deps.now(),
      });
    }
  });
}
