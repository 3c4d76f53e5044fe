import { Type, type Static } from 'typebox';
import type { CategoryAdminView } from '../../app/territory/manage-categories.ts';
import type { MatrixRowView, RoutingPreview } from '../../app/territory/manage-organisation.ts';
import { DEPARTMENT_TYPES } from '../../core/organisation/departments.ts';
import { CLOCK_STAGES } from '../../core/workflow/states.ts';
import { Nullable, StringEnum, type SameKeys } from './common.ts';

/** Administration of the reference data (issue 11): categories and their limits, departments, the matrix. */

export const PoliceModeSchema = StringEnum(['none', 'notify', 'assist', 'lead'] as const, {
  $id: 'PoliceMode',
});
export const TimeUnitSchema = StringEnum(['urgent_hour', 'work_hour', 'work_day', 'natural_day'] as const, {
  $id: 'TimeUnit',
});
export const ClockStageSchema = StringEnum([...CLOCK_STAGES], { $id: 'ClockStage' });
const UrgencySchema = StringEnum(['normal', 'urgent'] as const);

export const CategoryCodeSchema = Type.String({
  pattern: '^[0-9]{2}([0-9]{2})?$',
  description: '大类 (2 digits) or 小类 (4)',
});
export const RegionCodeSchema = Type.String({
  pattern: '^[0-9]{6}([0-9]{3})?([0-9]{3})?([0-9]{2})?$',
  description: '6/9/12/14-digit region code',
});

const StageLimitSchema = Type.Object({
  amount: Type.Number(),
  unit: TimeUnitSchema,
  source: Type.String({ description: '"default", "policy 05", "policy 0501", "category 0501"' }),
});

export const CategoryAdminSchema = Type.Object(
  {
    code: Type.String(),
    parentCode: Nullable(Type.String()),
    nameZh: Type.String(),
    nameEn: Type.String(),
    urgency: UrgencySchema,
    policeMode: PoliceModeSchema,
    stability: Type.Boolean(),
    public: Type.Boolean({ description: 'shown on the public page, open to citizens' }),
    limits: Type.Array(
      Type.Object(
        {
          stage: ClockStageSchema,
          urgency: UrgencySchema,
          amount: Type.Number(),
          unit: TimeUnitSchema,
          source: Type.String(),
          own: Type.Boolean({ description: 'set on this category itself' }),
        },
        { $id: 'CategoryStageLimit' },
      ),
    ),
  },
  { $id: 'CategoryAdmin', description: 'a category with its effective time limit per stage and urgency' },
);
export const CategoryPolicyListSchema = Type.Object(
  { items: Type.Array(CategoryAdminSchema) },
  { $id: 'CategoryPolicyList' },
);

export const UpdateCategoryBodySchema = Type.Object(
  {
    policeMode: Type.Optional(PoliceModeSchema),
    public: Type.Optional(Type.Boolean()),
    urgency: Type.Optional(UrgencySchema),
  },
  { $id: 'UpdateCategoryBody' },
);

export const CategoryLimitsBodySchema = Type.Object(
  {
    limits: Type.Array(
      Type.Object({
        stage: ClockStageSchema,
        urgency: UrgencySchema,
        amount: Type.Number(),
        unit: TimeUnitSchema,
      }),
      { maxItems: 14, description: 'the limits set on the category itself; stages left out inherit' },
    ),
  },
  { $id: 'CategoryLimitsBody' },
);

export const DepartmentBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    type: StringEnum([...DEPARTMENT_TYPES]),
    level: StringEnum(['district', 'street'] as const),
    regionCode: RegionCodeSchema,
    phone: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
    coverage: Type.Array(RegionCodeSchema, { minItems: 1, maxItems: 500 }),
  },
  { $id: 'DepartmentBody' },
);

export const DepartmentStateBodySchema = Type.Object(
  { active: Type.Boolean({ description: 'false: disable the department; true: enable it again' }) },
  { $id: 'DepartmentStateBody' },
);

export const MatrixRowSchema = Type.Object(
  {
    id: Type.Integer(),
    categoryCode: Type.String(),
    regionCode: Type.String(),
    leadDepartmentId: Type.String(),
    assistingDepartmentIds: Type.Array(Type.String()),
    policeMode: Nullable(PoliceModeSchema),
  },
  { $id: 'MatrixRow', description: '权责清单: category × territory → lead and assisting departments' },
);
export const MatrixListSchema = Type.Object(
  { items: Type.Array(MatrixRowSchema), total: Type.Integer() },
  { $id: 'MatrixList' },
);
export const MatrixRowBodySchema = Type.Object(
  {
    categoryCode: CategoryCodeSchema,
    regionCode: RegionCodeSchema,
    leadDepartmentId: Type.String({ minLength: 1, maxLength: 64 }),
    assistingDepartmentIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20 }),
    policeMode: Nullable(PoliceModeSchema),
  },
  { $id: 'MatrixRowBody' },
);

export const RoutingPreviewSchema = Type.Object(
  {
    categoryCode: Type.String(),
    regionCode: Type.String(),
    urgency: UrgencySchema,
    leadDepartmentId: Nullable(Type.String()),
    assistingDepartmentIds: Type.Array(Type.String()),
    policeMode: PoliceModeSchema,
    policeDepartmentId: Nullable(Type.String()),
    matchedRule: Nullable(Type.String()),
    limits: Type.Object({ register: StageLimitSchema, handle: StageLimitSchema }),
  },
  { $id: 'RoutingPreview', description: 'what a new case would get, by the routing code of intake' },
);

export const adminChecks: [
  SameKeys<CategoryAdminView, Static<typeof CategoryAdminSchema>>,
  SameKeys<CategoryAdminView['limits'][number], Static<typeof CategoryAdminSchema>['limits'][number]>,
  SameKeys<MatrixRowView, Static<typeof MatrixRowSchema>>,
  SameKeys<RoutingPreview, Static<typeof RoutingPreviewSchema>>,
] = [true, true, true, true];
