import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { changePassword } from '../../app/identity/change-password.ts';
import { login } from '../../app/identity/login.ts';
import { logout } from '../../app/identity/logout.ts';
import { csrfTokenFor } from '../../app/identity/tokens.ts';
import { getUserView } from '../../app/identity/user-view.ts';
import { canManageReferenceData, canManageUsers, canReadAudit } from '../../core/policy/admin.ts';
import { clearSessionCookies, identityDeps, requireActor, setSessionCookies } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { ProblemSchema } from '../problem.ts';
import { errorResponses, NoContent } from '../schemas/common.ts';
import { LOGIN_RATE_LIMIT } from '../security.ts';
import { PermissionsSchema, UserSchema } from './identity-schemas.ts';

/** Sign in, sign out, who am I. */
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
      config: { rateLimit: LOGIN_RATE_LIMIT },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (other sessions end)',
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
};

export default authRoutes;
