import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { appendAudit, recordAudit } from '../audit/append-audit.ts';
import type { ClientInfo, IdentityDeps } from './deps.ts';
import { verifyPassword } from './passwords.ts';
import { admitLogin, forgetPairFailures } from './throttle.ts';
import { newSessionToken, tokenHash } from './tokens.ts';
import { actorOfRow, getUserView, type UserView } from './user-view.ts';

export interface LoginInput extends ClientInfo {
  username: string;
  password: string;
}

export interface LoginResult {
  /** The session token: a bearer token for the API, also set as the `ld_session` cookie. */
  token: string;
  expiresAt: Date;
  user: UserView;
  actor: Actor;
}

const WRONG = 'Wrong username or password';

/**
 * Password login (argon2id). Throttled per (account, address), per account and per address (policy:
 * src/core/policy/login-throttle.ts): each attempt is admitted and counted in the database *before* the
 * password is checked; a refused one answers `rate_limited` with `retryAfter` (seconds) and its password
 * is never evaluated. Every outcome is audited: `auth.login`, `auth.login_failed`, `auth.login_throttled`.
 */
export async function login(deps: IdentityDeps, input: LoginInput): Promise<LoginResult> {
  const now = deps.now();
  const username = input.username.trim().toLowerCase();
  const address = input.address ?? null;

  const user = await deps.db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username))
    .executeTakeFirst();

  const admission = await admitLogin(deps.db, { username, address, knownUser: user !== undefined }, now);
  if (!admission.allowed) {
    const wait = admission.wait;
    await recordAudit(deps.db, {
      actor: null,
      action: 'auth.login_throttled',
      target: null,
      address,
      payload: { username, retryAfter: wait },
      at: now,
    });
    throw new AppError('rate_limited', `Too many failed logins; try again in ${wait} s`, {
      retryAfter: wait,
    });
  }

  const passwordOk = await verifyPassword(user?.password_hash ?? null, input.password);

  if (!user || !passwordOk || user.disabled) {
    // the attempt was counted on admission; a disabled account with the right password is not a guess
    const reason = !user ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'disabled';
    await deps.db.transaction().execute(async (trx) => {
      if (reason === 'disabled') await forgetPairFailures(trx, username, address);
      await appendAudit(trx, {
        actor: null,
        action: 'auth.login_failed',
        target: user ? `user:${user.id}` : null,
        address,
        payload: { username, reason },
        at: now,
      });
    });
    if (reason === 'disabled') throw new AppError('unauthenticated', 'This account is disabled');
    throw new AppError('unauthenticated', WRONG);
  }

  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + deps.sessionHours * 3600_000);
  const actor = actorOfRow(user);
  await deps.db.transaction().execute(async (trx) => {
    await forgetPairFailures(trx, username, address);
    await trx.deleteFrom('sessions').where('expires_at', '<=', now).execute();
    await trx
      .insertInto('sessions')
      .values({
        token_hash: tokenHash(token),
        user_id: user.id,
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
        address,
        user_agent: input.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    await appendAudit(trx, {
      actor,
      action: 'auth.login',
      target: `user:${user.id}`,
      address,
      payload: { expiresAt: expiresAt.toISOString() },
      at: now,
    });
  });
  return { token, expiresAt, user: await getUserView(deps.db, user.id), actor };
}
