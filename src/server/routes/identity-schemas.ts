import { Type, type Static } from 'typebox';
import type { ROLES } from '../../core/actor.ts';

/** Shared OpenAPI schemas of the identity routes (auth, me, users). */

export const RoleSchema = Type.Union(
  [
    Type.Literal('patroller'),
    Type.Literal('coordinator'),
    Type.Literal('station_operator'),
    Type.Literal('police'),
    Type.Literal('dispatcher'),
    Type.Literal('shift_lead'),
    Type.Literal('dept_handler'),
    Type.Literal('dept_lead'),
    Type.Literal('leader'),
    Type.Literal('admin'),
    Type.Literal('citizen'),
  ],
  { $id: 'Role' },
);
// keep in step with the roles of the core (all but `system`, which is never an account)
const _sameRoles: Exclude<(typeof ROLES)[number], 'system'> extends Static<typeof RoleSchema> ? true : never =
  true;
void _sameRoles;

export const UnitSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('region'), Type.Literal('department'), Type.Literal('none')]),
    level: Type.Optional(
      Type.Union([
        Type.Literal('district'),
        Type.Literal('street'),
        Type.Literal('committee'),
        Type.Literal('grid'),
      ]),
    ),
    code: Type.Optional(Type.String()),
    id: Type.Optional(Type.String()),
  },
  {
    $id: 'Unit',
    description: 'region unit {kind, level, code} · department unit {kind, id} · {kind: "none"}',
  },
);

/** A unit as written in requests: a region code, a department id (`dept:` prefix optional) or `none`. */
export const UnitInputSchema = Type.String({
  minLength: 1,
  maxLength: 80,
  description: 'region code (310112006), department id (police-310112006 or dept:police-310112006) or "none"',
});

export const UserSchema = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    role: Type.String(),
    unit: UnitSchema,
    unitName: Type.Union([Type.String(), Type.Null()]),
    phone: Type.Union([Type.String(), Type.Null()]),
    disabled: Type.Boolean(),
    mustChangePassword: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'User' },
);

export const PermissionsSchema = Type.Object(
  {
    manageUsers: Type.Boolean(),
    readAudit: Type.Boolean(),
    manageReferenceData: Type.Boolean(),
  },
  { $id: 'Permissions' },
);
