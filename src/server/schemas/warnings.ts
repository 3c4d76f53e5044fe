import { Type, type Static } from 'typebox';
import type { WarningView } from '../../app/warnings/present-warning.ts';
import type { WarningCount } from '../../app/warnings/count-warnings.ts';
import { WARNING_STATES } from '../../core/warnings/lifecycle.ts';
import { WARNING_POLICY_BOUNDS, type WarningPolicy } from '../../core/warnings/policy.ts';
import { WARNING_RULES } from '../../core/warnings/rules.ts';
import { DateTime, Nullable, StringEnum, type SameKeys } from './common.ts';

export const WarningRuleSchema = StringEnum([...WARNING_RULES], { $id: 'WarningRule' });
export const WarningStateSchema = StringEnum([...WARNING_STATES], { $id: 'WarningState' });

export const WarningSchema = Type.Object(
  {
    id: Type.String(),
    rule: WarningRuleSchema,
    state: WarningStateSchema,
    categoryCode: Nullable(Type.String()),
    caseIds: Type.Array(Type.String(), { description: 'evidence: the cases the rule counted' }),
    recordIds: Type.Array(Type.String(), {
      description: "evidence: base information, 'dwelling:<id>' / 'unit:<id>'",
    }),
    facts: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String()]), {
      description: 'the figures of the rule (counts, baseline, p-value…)',
    }),
    lat: Type.Number(),
    lon: Type.Number(),
    addressId: Nullable(Type.String()),
    streetCode: Nullable(Type.String()),
    committeeCode: Nullable(Type.String()),
    gridCode: Nullable(Type.String()),
    ownerCode: Type.String({ description: 'the owning centre (street)' }),
    raisedAt: DateTime,
    updatedAt: DateTime,
    dismissReason: Nullable(Type.String()),
    caseId: Nullable(Type.String({ description: 'the case it was converted into' })),
    version: Type.Integer(),
    allowedActions: Type.Array(StringEnum(['acknowledge', 'convert', 'dismiss'])),
  },
  { $id: 'Warning' },
);

export const WarningListSchema = Type.Object(
  { items: Type.Array(WarningSchema), total: Type.Integer() },
  { $id: 'WarningList' },
);

export const WarningActionBodySchema = Type.Object(
  {
    action: StringEnum(['acknowledge', 'convert', 'dismiss']),
    version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'dismiss: why' })),
    category: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{2}([0-9]{2})?$' }))),
    description: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  },
  { $id: 'WarningActionBody' },
);

const policyFields = Object.fromEntries(
  Object.entries(WARNING_POLICY_BOUNDS).map(([k, [min, max]]) => [
    k,
    Type.Number({ minimum: min, maximum: max }),
  ]),
) as Record<keyof WarningPolicy, ReturnType<typeof Type.Number>>;

export const WarningPolicySchema = Type.Object(policyFields, { $id: 'WarningPolicy' });
export const WarningPolicyBodySchema = Type.Partial(Type.Object(policyFields), {
  $id: 'WarningPolicyBody',
  additionalProperties: false,
});

export const WarningCountsSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        unitCode: Type.String(),
        raised: Type.Integer(),
        converted: Type.Integer(),
        dismissed: Type.Integer(),
      }),
    ),
  },
  { $id: 'WarningCounts' },
);

export const warningContractChecks: [
  SameKeys<WarningView, Static<typeof WarningSchema>>,
  SameKeys<WarningCount, Static<typeof WarningCountsSchema>['items'][number]>,
] = [true, true];
