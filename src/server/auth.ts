import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../core/actor.ts';
import { AppError, refusal } from '../core/errors.ts';
import { authenticate } from '../app/identity/authenticate.ts';
import type { IdentityDeps } from '../app/identity/deps.ts';
import { csrfTokenFor, sameSecret } from '../app/identity/tokens.ts';
import type { AppContext } from './context.ts';

/**
 * Authentication at the edge. A request is authenticated by either
 * - `Authorization: Bearer <token>` (API clients, scripts, mobile): no CSRF check, since browsers never
 *   attach that header on their own; an unknown or expired bearer token is answered 401 at once; or
 * - the HttpOnly, SameSite=Lax cookie `ld_session` (the web app). For unsafe methods (POST, PUT,
 *   PATCH, DELETE) the web app must also send the header `X-CSRF-Token` with the value of the
 *   (readable, non-HttpOnly) cookie `ld_csrf` — also returned as `csrfToken` by login and `GET /me`.
 *   A stale cookie makes the request anonymous rather than failing it, so public pages keep working.
 * The resulting actor is `request.actor` (null when anonymous); routes call `requireActor(request)`.
 * A session whose user must change the password reaches only the API routes marked
 * `config.allowedBeforePasswordChange` (me, change password, logout); every other `/api/` request answers
 * 403 `forbidden` with reason `password_change_required` (the web pages themselves still load).
 */
export const SESSION_COOKIE = 'ld_session';
export const CSRF_COOKIE = 'ld_csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session token that authenticated the request (bearer or cookie), or null. */
    sessionToken: string | null;
    /** How the request was authenticated. */
    authVia: 'bearer' | 'cookie' | null;
    /** When the authenticating session expires. */
    sessionExpiresAt: Date | null;
    /** The public id of the authenticating session (GET /me/sessions). */
    sessionId: string | null;
  }
  interface FastifyContextConfig {
    /**
     * The route answers a session whose user must change the password (after an admin reset or a
     * generated first password): only me, change password and logout set it.
     */
    allowedBeforePasswordChange?: boolean;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The identity dependencies of the HTTP layer, built from the context. */
export const identityDeps = (ctx: AppContext): IdentityDeps => ({
  db: ctx.database.db,
  now: ctx.now ?? (() => new Date()),
  sessionHours: ctx.config.sessionHours,
});

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AppError('unauthenticated', 'The Authorization header must be "Bearer <token>"');
  return match[1]!;
}

/** Registers cookie parsing and the authentication hook on the root instance (all routes). */
export async function registerAuth(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const deps = identityDeps(ctx);
  await app.register(cookie);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('authVia', null);
  app.decorateRequest('sessionExpiresAt', null);
  app.decorateRequest('sessionId', null);

  app.addHook('onRequest', async (request) => {
    // the web app's hashed static bundles need no identity: spare the session lookup
    if (request.url.startsWith('/assets/')) return;
    const bearer = bearerToken(request.headers.authorization);
    const token = bearer ?? request.cookies[SESSION_COOKIE] ?? null;
    if (!token) return;
    const auth = await authenticate(deps, token);
    if (!auth) {
      if (bearer) throw new AppError('unauthenticated', 'The session token is unknown or has expired');
      return;
    }
    if (!bearer && UNSAFE.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, csrfTokenFor(token))) {
        throw new AppError(
          'forbidden',
          `Cookie-authenticated ${request.method} requests need the ${CSRF_HEADER} header`,
          {
            reason: 'csrf',
          },
        );
      }
    }
    if (
      auth.mustChangePassword &&
      request.url.startsWith('/api/') &&
      request.routeOptions.config.allowedBeforePasswordChange !== true
    ) {
      throw refusal(
        'forbidden',
        'password_change_required',
        'Change your password first (POST /api/v1/me/password)',
      );
    }
    request.actor = auth.actor;
    request.sessionToken = token;
    request.authVia = bearer ? 'bearer' : 'cookie';
    request.sessionExpiresAt = auth.expiresAt;
    request.sessionId = auth.sessionId;
  });
}

/** The authenticated actor, or `unauthenticated` (401). */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'Sign in first');
  return request.actor;
}

/** Sets the session and CSRF cookies after a login. */
export function setSessionCookies(reply: FastifyReply, token: string, expiresAt: Date): void {
  const common = { path: '/', sameSite: 'lax' as const, secure: 'auto' as const, expires: expiresAt };
  reply.setCookie(SESSION_COOKIE, token, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, csrfTokenFor(token), { ...common, httpOnly: false });
}

/** Clears both cookies (logout). */
export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
