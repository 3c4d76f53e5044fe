import { Type, type Static } from 'typebox';
import type { EvaluationCaseList, EvaluationCaseRow } from '../../app/evaluation/list-evaluation-cases.ts';
import type { EvaluationTable, EvaluationUnitRow } from '../../app/evaluation/get-evaluation.ts';
import type {
  FollowUpList,
  FollowUpTask,
  UnsatisfiedFollowUp,
} from '../../app/evaluation/list-follow-ups.ts';
import { GRADES, INDICATOR_IDS, ITEM_REASONS, UNIT_KINDS } from '../../core/evaluation/index.ts';
import { DateTime, Nullable, StringEnum, type SameKeys } from './common.ts';

/** The evaluation (综合评价, DESIGN §7): table, drill-down, definitions, settings. */

export const UnitKindSchema = StringEnum([...UNIT_KINDS], { $id: 'EvaluationUnitKind' });
export const IndicatorIdSchema = StringEnum([...INDICATOR_IDS], { $id: 'EvaluationIndicatorId' });
const ReasonSchema = StringEnum(Object.keys(ITEM_REASONS) as (keyof typeof ITEM_REASONS)[]);
const GradeSchema = StringEnum(GRADES.map((g) => g.grade));

/** A period key, or empty for this month; from/to give a range of days. */
export const PeriodQuery = {
  period: Type.Optional(
    Type.String({
      maxLength: 40,
      description:
        'month 2026-11 (default: this month), week 2026-W47, quarter 2026-Q4, year 2026, or 2026-11-03..2026-11-20',
    }),
  ),
  from: Type.Optional(
    Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'first day (Beijing)' }),
  ),
  to: Type.Optional(
    Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'last day (Beijing), included' }),
  ),
};

const IndicatorValueSchema = Type.Object(
  {
    id: IndicatorIdSchema,
    numerator: Type.Integer(),
    denominator: Type.Integer(),
    rate: Nullable(Type.Number()),
  },
  { $id: 'EvaluationIndicatorValue' },
);

const UnitRowSchema = Type.Object(
  {
    unit: Type.String(),
    name: Type.String(),
    indicators: Type.Array(IndicatorValueSchema),
    composite: Nullable(Type.Number({ description: 'weighted sum of the indicator scores, 0–100' })),
    grade: Nullable(GradeSchema),
    size: Type.Integer({ description: 'largest denominator: the sample size' }),
    small: Type.Boolean({ description: 'sample below the threshold: flagged, not ranked' }),
    rank: Nullable(Type.Integer()),
    previousComposite: Nullable(Type.Number()),
    change: Nullable(Type.Number()),
  },
  { $id: 'EvaluationUnitRow' },
);

export const EvaluationTableSchema = Type.Object(
  {
    period: Type.Object({ key: Type.String(), kind: Type.String(), from: DateTime, to: DateTime }),
    previousPeriod: Type.String(),
    asOf: DateTime,
    unitKind: UnitKindSchema,
    kinds: Type.Array(UnitKindSchema),
    indicators: Type.Array(Type.Object({ id: IndicatorIdSchema, weight: Type.Number() })),
    minDenominator: Type.Integer(),
    units: Type.Array(UnitRowSchema),
  },
  { $id: 'EvaluationTable', description: 'the evaluation table of one unit kind for a period (综合评价)' },
);

const CaseRowSchema = Type.Object(
  {
    caseId: Type.String(),
    caseNo: Type.String(),
    at: DateTime,
    reason: ReasonSchema,
    numerator: Type.Boolean(),
    denominator: Type.Boolean(),
    state: Type.String(),
    description: Type.String(),
  },
  { $id: 'EvaluationCaseRow' },
);

export const EvaluationCaseListSchema = Type.Object(
  {
    indicator: IndicatorIdSchema,
    unitKind: UnitKindSchema,
    unit: Type.String(),
    unitName: Type.String(),
    period: Type.String(),
    part: StringEnum(['numerator', 'denominator'] as const),
    total: Type.Integer(),
    items: Type.Array(CaseRowSchema),
  },
  { $id: 'EvaluationCaseList', description: 'the cases behind one number of the evaluation table' },
);

const Text2 = Type.Object({ zh: Type.String(), en: Type.String() });
export const EvaluationDefinitionsSchema = Type.Object(
  {
    unitKinds: Type.Array(Type.Object({ id: UnitKindSchema, name: Text2 })),
    indicators: Type.Array(
      Type.Object({
        id: IndicatorIdSchema,
        kinds: Type.Array(UnitKindSchema),
        name: Text2,
        numerator: Text2,
        denominator: Text2,
        formula: Text2,
        better: StringEnum(['higher', 'lower'] as const),
        weight: Type.Number({ description: 'default weight' }),
        standard: Type.String(),
        rule: Text2,
      }),
    ),
    grades: Type.Array(Type.Object({ grade: GradeSchema, min: Type.Number() })),
    reasons: Type.Array(Type.Object({ id: ReasonSchema, name: Text2 })),
    rules: Type.Array(Text2),
  },
  { $id: 'EvaluationDefinitions', description: 'indicator definitions, formulas, standards (CJ/T 292)' },
);

const Weights = Type.Record(
  Type.String(),
  Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 100 })),
  {
    description:
      'unit kind → indicator id → weight (0–100); missing entries use the default weight; the weights of a kind add up to 100',
  },
);
export const EvaluationSettingsSchema = Type.Object(
  {
    weights: Weights,
    minDenominator: Type.Integer({ minimum: 1, maximum: 100000 }),
    followUpDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 30,
        description: '回访: working days after the closure by which the follow-up is due (default 3)',
      }),
    ),
  },
  { $id: 'EvaluationSettings', additionalProperties: false },
);

export type EvaluationSettingsBody = Static<typeof EvaluationSettingsSchema>;

const FollowUpTaskSchema = Type.Object(
  {
    caseId: Type.String(),
    caseNo: Type.String(),
    version: Type.Integer(),
    source: Type.String(),
    description: Type.String(),
    address: Nullable(Type.String()),
    closedAt: DateTime,
    dueAt: DateTime,
    status: StringEnum(['pending', 'overdue'] as const),
    reporterName: Nullable(Type.String({ description: 'masked' })),
    reporterPhone: Nullable(Type.String({ description: 'masked; unmask with a reason (audited)' })),
  },
  { $id: 'FollowUpTask' },
);

const UnsatisfiedFollowUpSchema = Type.Object(
  {
    caseId: Type.String(),
    caseNo: Type.String(),
    version: Type.Integer(),
    description: Type.String(),
    followedUpAt: DateTime,
    by: Nullable(Type.String()),
    note: Nullable(Type.String()),
    canReopen: Type.Boolean(),
  },
  { $id: 'UnsatisfiedFollowUp' },
);

export const FollowUpListSchema = Type.Object(
  {
    days: Type.Integer({ description: 'working days after the closure by which a follow-up is due' }),
    pending: Type.Integer({ description: 'open follow-up tasks of the centre' }),
    overdue: Type.Integer({ description: 'of those, past their due time' }),
    tasks: Type.Array(FollowUpTaskSchema),
    unsatisfied: Type.Array(UnsatisfiedFollowUpSchema),
  },
  { $id: 'FollowUpList', description: '回访 tasks of the caller’s centre, derived from the event log' },
);

export const evaluationChecks: [
  SameKeys<EvaluationTable, Static<typeof EvaluationTableSchema>>,
  SameKeys<EvaluationUnitRow, Static<typeof UnitRowSchema>>,
  SameKeys<EvaluationCaseList, Static<typeof EvaluationCaseListSchema>>,
  SameKeys<EvaluationCaseRow, Static<typeof CaseRowSchema>>,
  SameKeys<FollowUpList, Static<typeof FollowUpListSchema>>,
  SameKeys<FollowUpTask, Static<typeof FollowUpTaskSchema>>,
  SameKeys<UnsatisfiedFollowUp, Static<typeof UnsatisfiedFollowUpSchema>>,
] = [true, true, true, true, true, true, true];
