import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { changePassword } from '../../app/identity/change-password.ts';
import { login } from '../../app/identity/login.ts';
import { listSessions } from '../../app/identity/list-sessions.ts';
import { logout } from '../../app/identity/logout.ts';
import { revokeOtherSessions, revokeSession } from '../../app/identity/revoke-sessions.ts';
import { csrfTokenFor } from '../../app/identity/tokens.ts';
import { getUserView } from '../../app/identity/user-view.ts';
import { canManageReferenceData, canManageUsers, canReadAudit } from '../../core/policy/admin.ts';
import { clearSessionCookies, identityDeps, requireActor, setSessionCookies } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { ProblemSchema } from '../problem.ts';
import { DateTime, errorResponses, NoContent } from '../schemas/common.ts';
import { LOGIN_RATE_LIMIT } from '../security.ts';
import { PermissionsSchema, UserSchema } from './identity-schemas.ts';

/** One of your sessions, as GET /me/sessions lists it. */
const SessionSchema = Type.Object(
  {
    id: Type.String(),
    createdAt: DateTime,
    lastSeenAt: DateTime,
    expiresAt: DateTime,
    address: Type.Union([Type.String(), Type.Null()], {
      description: 'masked: IPv4 keeps three octets (203.0.113.*), IPv6 its /48 (2001:db8:1:*)',
    }),
    userAgent: Type.Union([Type.String(), Type.Null()]),
    current: Type.Boolean({ description: 'the session making this request' }),
  },
  { $id: 'Session' },
);

/** Sign in, sign out, who am I, your sessions. */
const authRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const deps = identityDeps(ctx);

  app.post(
    '/api/v1/auth/login',
    {
      config: { rateLimit: LOGIN_RATE_LIMIT },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password',
        description:
          'Returns a bearer token for API clients and sets the HttpOnly session cookie `ld_session` plus the ' +
          'readable `ld_csrf` cookie for the web app (send its value as `X-CSRF-Token` on unsafe requests). ' +
          'After 5 failures an account cools down (30 s, doubling, at most 15 min): 429 with `retryAfter`.',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 100 }),
            password: Type.String({ minLength: 1, maxLength: 300 }),
          },
          { $id: 'LoginBody' },
        ),
        response: {
          200: Type.Object(
            {
              token: Type.String(),
              expiresAt: Type.String({ format: 'date-time' }),
              csrfToken: Type.String(),
              user: UserSchema,
            },
            { $id: 'LoginResult' },
          ),
          400: ProblemSchema,
          401: ProblemSchema,
          429: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await login(deps, {
        username: request.body.username,
        password: request.body.password,
        address: request.ip,
        userAgent: request.headers['user-agent'],
      });
      setSessionCookies(reply, result.token, result.expiresAt);
      return {
        token: result.token,
        expiresAt: result.expiresAt.toISOString(),
        csrfToken: csrfTokenFor(result.token),
        user: result.user,
      };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { allowedBeforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'End the current session (idempotent)',
        response: { 204: NoContent, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      if (request.sessionToken)
        await logout(deps, request.sessionToken, request.actor, { address: request.ip });
      clearSessionCookies(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { allowedBeforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, their session and what they may administer',
        response: {
          200: Type.Object(
            {
              user: UserSchema,
              expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
              csrfToken: Type.Union([Type.String(), Type.Null()]),
              permissions: PermissionsSchema,
              demo: Type.Boolean(),
            },
            { $id: 'Me' },
          ),
          400: ProblemSchema,
          401: ProblemSchema,
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const user = await getUserView(deps.db, actor.userId);
      return {
        user,
        expiresAt: request.sessionExpiresAt?.toISOString() ?? null,
        csrfToken: request.sessionToken ? csrfTokenFor(request.sessionToken) : null,
        permissions: {
          manageUsers: canManageUsers(actor),
          readAudit: canReadAudit(actor),
          manageReferenceData: canManageReferenceData(actor),
        },
        demo: ctx.demo,
      };
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      config: { rateLimit: LOGIN_RATE_LIMIT, allowedBeforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (other sessions end)',
        description:
          'The new password needs 10–256 characters, must not be the username or name, and must be hard to ' +
          'guess (zxcvbn score ≥ 3); otherwise 400 with reason `weak_password` and the broken `rule`. ' +
          'While `mustChangePassword` is set (after an admin reset or a generated first password) every ' +
          'other API route but `GET /me` and logout answers 403 with reason `password_change_required`.',
        body: Type.Object(
          {
            currentPassword: Type.String({ minLength: 1, maxLength: 300 }),
            newPassword: Type.String({ minLength: 1, maxLength: 300 }),
          },
          { $id: 'ChangePasswordBody' },
        ),
        response: { 204: NoContent, 400: ProblemSchema, 401: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      await changePassword(deps, actor, {
        currentPassword: request.body.currentPassword,
        newPassword: request.body.newPassword,
        currentToken: request.sessionToken ?? undefined,
        address: request.ip,
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me/sessions',
    {
      schema: {
        tags: ['auth'],
        summary: 'Your active sessions (address masked), the current one marked',
        response: {
          200: Type.Object({ items: Type.Array(SessionSchema) }, { $id: 'SessionList' }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => ({
      items: await listSessions(deps, requireActor(request), request.sessionId),
    }),
  );

  app.delete(
    '/api/v1/me/sessions/:id',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out one of your sessions (the current one too: then its cookies are cleared)',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { current } = await revokeSession(deps, requireActor(request), request.params.id, {
        address: request.ip,
        currentSessionId: request.sessionId,
      });
      if (current) clearSessionCookies(reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/me/sessions/revoke-others',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out every session of yours but this one',
        response: {
          200: Type.Object({ revoked: Type.Integer({ minimum: 0 }) }, { $id: 'RevokeOtherSessionsResult' }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return revokeOtherSessions(deps, actor, {
        address: request.ip,
        currentSessionId: request.sessionId!,
      });
    },
  );
};

export default authRoutes;
