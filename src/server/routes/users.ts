import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createUser } from '../../app/identity/create-user.ts';
import { getUser, listUsers } from '../../app/identity/list-users.ts';
import { resetPassword } from '../../app/identity/reset-password.ts';
import { setUserDisabled } from '../../app/identity/set-user-disabled.ts';
import { updateUser } from '../../app/identity/update-user.ts';
import { parseUnit } from '../../core/policy/units.ts';
import { identityDeps, requireActor } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { BoundedInteger } from '../input/index.ts';
import { ProblemSchema } from '../problem.ts';
import { RoleSchema, UnitInputSchema, UserSchema } from './identity-schemas.ts';

const UserId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
};
const Phone = Type.Union([Type.String({ maxLength: 40 }), Type.Null()]);

/** User administration (district admins): accounts, role × unit, disable, password reset. All audited. */
const userRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const deps = identityDeps(ctx);

  app.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'List users (admins)',
        querystring: Type.Object({
          role: Type.Optional(RoleSchema),
          unit: Type.Optional(Type.String({ maxLength: 80, description: 'region code or department id' })),
          q: Type.Optional(Type.String({ maxLength: 100 })),
          includeDisabled: Type.Optional(Type.Boolean()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          offset: Type.Optional(BoundedInteger({ minimum: 0 })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(UserSchema), total: Type.Integer() }, { $id: 'UserList' }),
          ...errors,
        },
      },
    },
    async (request) => listUsers(deps, requireActor(request), request.query),
  );

  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user (admins)',
        description:
          'Without `password`, a random one is generated and returned once. Either way the user must change ' +
          'the initial password at the first login (the API allows nothing else until then).',
        body: Type.Object(
          {
            username: Type.String({ minLength: 2, maxLength: 40 }),
            displayName: Type.Optional(Type.String({ maxLength: 100 })),
            password: Type.Optional(Type.String({ maxLength: 300 })),
            role: RoleSchema,
            unit: UnitInputSchema,
            phone: Type.Optional(Phone),
          },
          { $id: 'CreateUserBody' },
        ),
        response: {
          201: Type.Object(
            { user: UserSchema, generatedPassword: Type.Union([Type.String(), Type.Null()]) },
            { $id: 'CreateUserResult' },
          ),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const result = await createUser(deps, actor, {
        ...request.body,
        unit: parseUnit(request.body.unit),
        mustChangePassword: true,
        address: request.ip,
      });
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'One user (admins, or yourself)',
        params: UserId,
        response: { 200: UserSchema, ...errors },
      },
    },
    async (request) => getUser(deps, requireActor(request), request.params.id),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change name, phone, role or unit (admins)',
        params: UserId,
        body: Type.Object(
          {
            displayName: Type.Optional(Type.String({ maxLength: 100 })),
            phone: Type.Optional(Phone),
            role: Type.Optional(RoleSchema),
            unit: Type.Optional(UnitInputSchema),
          },
          { $id: 'UpdateUserBody' },
        ),
        response: { 200: UserSchema, ...errors },
      },
    },
    async (request) => {
      const { unit, ...rest } = request.body;
      return updateUser(deps, requireActor(request), request.params.id, {
        ...rest,
        unit: unit === undefined ? undefined : parseUnit(unit),
        address: request.ip,
      });
    },
  );

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(
      `/api/v1/users/:id/${action}`,
      {
        schema: {
          tags: ['users'],
          summary: disabled ? 'Disable a user and end their sessions (admins)' : 'Re-enable a user (admins)',
          params: UserId,
          response: { 200: UserSchema, ...errors },
        },
      },
      async (request) =>
        setUserDisabled(deps, requireActor(request), request.params.id, disabled, { address: request.ip }),
    );
  }

  app.post(
    '/api/v1/users/:id/reset-password',
    {
      schema: {
        tags: ['users'],
        summary: 'Reset a password (admins); without `password` one is generated and returned once',
        params: UserId,
        body: Type.Optional(
          Type.Object(
            { password: Type.Optional(Type.String({ maxLength: 300 })) },
            { $id: 'ResetPasswordBody' },
          ),
        ),
        response: {
          200: Type.Object(
            { generatedPassword: Type.Union([Type.String(), Type.Null()]) },
            { $id: 'ResetPasswordResult' },
          ),
          ...errors,
        },
      },
    },
    async (request) =>
      resetPassword(deps, requireActor(request), request.params.id, {
        password: request.body?.password,
        address: request.ip,
      }),
  );
};

export default userRoutes;
