import { Type, type Static } from 'typebox';
import type { CampaignDetail, CampaignSummary, CampaignView } from '../../app/screening/campaigns.ts';
import type { FindingView, TargetPoint } from '../../app/screening/reports.ts';
import type { TaskView, VisitView } from '../../app/screening/visits.ts';
import { DWELLING_USES, INDUSTRIES } from '../../core/baseinfo/types.ts';
import { ASSIGNEE_ROLES, TASK_STATUSES } from '../../core/screening/tasks.ts';
import {
  FIELD_KINDS,
  SCREENING_THEMES,
  TARGET_KINDS,
  TARGET_RULES,
  VISIT_OUTCOMES,
} from '../../core/screening/themes.ts';
import { VISIBLE_TEXT_PATTERN } from '../../core/text.ts';
import { DateKey } from '../input/index.ts';
import { DateTime, Nullable, StringEnum, type SameKeys } from './common.ts';

export const ScreeningThemeSchema = StringEnum([...SCREENING_THEMES], { $id: 'ScreeningTheme' });
export const TaskStatusSchema = StringEnum([...TASK_STATUSES], { $id: 'ScreeningTaskStatus' });
export const VisitOutcomeSchema = StringEnum([...VISIT_OUTCOMES], { $id: 'VisitOutcome' });
const Label = Type.Object({ zh: Type.String(), en: Type.String() });
const RegionCodeSchema = Type.String({ pattern: '^[0-9]{6}([0-9]{3}([0-9]{3}([0-9]{2})?)?)?$' });

export const TargetRuleSchema = Type.Object(
  {
    rule: StringEnum([...TARGET_RULES]),
    minOccupants: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    industries: Type.Optional(Type.Array(StringEnum([...INDUSTRIES]), { maxItems: 20, uniqueItems: true })),
    uses: Type.Optional(Type.Array(StringEnum([...DWELLING_USES]), { maxItems: 10, uniqueItems: true })),
  },
  { $id: 'ScreeningTargetRule', additionalProperties: false },
);

export const ScreeningThemesSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        theme: ScreeningThemeSchema,
        label: Label,
        defaultRule: TargetRuleSchema,
        rules: Type.Array(StringEnum([...TARGET_RULES])),
        fields: Type.Array(
          Type.Object({
            key: Type.String(),
            kind: StringEnum([...FIELD_KINDS]),
            label: Label,
            required: Type.Boolean(),
            min: Type.Optional(Type.Number()),
            max: Type.Optional(Type.Number()),
            maxLength: Type.Optional(Type.Integer()),
            options: Type.Optional(
              Type.Array(Type.Object({ value: Type.String(), zh: Type.String(), en: Type.String() })),
            ),
          }),
        ),
      }),
    ),
  },
  { $id: 'ScreeningThemes' },
);

const campaignProperties = {
  id: Type.String(),
  name: Type.String(),
  theme: ScreeningThemeSchema,
  territory: Type.Array(Type.String()),
  target: TargetRuleSchema,
  assigneeRole: StringEnum([...ASSIGNEE_ROLES]),
  rounds: Type.Integer(),
  roundWorkDays: Type.Integer(),
  startsOn: Type.String(),
  endsOn: Type.String(),
  ownerCode: Type.String(),
  state: StringEnum(['active', 'closed']),
  currentRound: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
  allowedActions: Type.Array(StringEnum(['update', 'next_round', 'close'])),
};
export const CampaignSchema = Type.Object(campaignProperties, { $id: 'ScreeningCampaign' });

export const CampaignListSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        ...campaignProperties,
        tasks: Type.Integer({ description: 'tasks of the current round in your regions' }),
        visited: Type.Integer(),
        findings: Type.Integer(),
      }),
    ),
  },
  { $id: 'ScreeningCampaignList' },
);

export const CampaignBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: VISIBLE_TEXT_PATTERN }),
    theme: ScreeningThemeSchema,
    territory: Type.Array(RegionCodeSchema, { minItems: 1, maxItems: 200, uniqueItems: true }),
    target: Type.Optional(TargetRuleSchema),
    assigneeRole: Type.Optional(StringEnum([...ASSIGNEE_ROLES])),
    rounds: Type.Integer({ minimum: 1, maximum: 24 }),
    roundWorkDays: Type.Integer({ minimum: 1, maximum: 120 }),
    startsOn: DateKey(),
    endsOn: DateKey(),
  },
  { $id: 'ScreeningCampaignBody', additionalProperties: false },
);

export const CampaignChangeBodySchema = Type.Object(
  {
    action: StringEnum(['update', 'next_round', 'close']),
    version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: VISIBLE_TEXT_PATTERN })),
    endsOn: Type.Optional(DateKey()),
  },
  { $id: 'ScreeningCampaignChange', additionalProperties: false },
);

const ProgressRowSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  total: Type.Integer(),
  pending: Type.Integer(),
  revisit: Type.Integer(),
  normal: Type.Integer(),
  problemFound: Type.Integer(),
  refused: Type.Integer(),
  unreachable: Type.Integer(),
  overdue: Type.Integer(),
});

export const CampaignDetailSchema = Type.Object(
  {
    campaign: CampaignSchema,
    round: Type.Integer(),
    rounds: Type.Array(
      Type.Object({
        roundNo: Type.Integer(),
        openedAt: DateTime,
        generatedAt: Nullable(DateTime),
        dueAt: Nullable(DateTime),
        closedAt: Nullable(DateTime),
        comparison: Nullable(
          Type.Object({
            targets: Type.Integer(),
            added: Type.Integer(),
            continuing: Type.Integer(),
            problemStillMatching: Type.Integer(),
            dropped: Type.Integer(),
          }),
        ),
      }),
    ),
    total: ProgressRowSchema,
    byCommittee: Type.Array(ProgressRowSchema),
    byGrid: Type.Array(ProgressRowSchema),
    cases: Type.Object({ opened: Type.Integer(), closed: Type.Integer() }),
  },
  { $id: 'ScreeningCampaignDetail' },
);

const Facts = Type.Record(Type.String(), Type.Union([Type.Number(), Type.String()]));
const Answers = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]));

export const TaskSchema = Type.Object(
  {
    id: Type.String(),
    campaignId: Type.String(),
    campaignName: Type.String(),
    theme: ScreeningThemeSchema,
    roundNo: Type.Integer(),
    targetKind: StringEnum([...TARGET_KINDS]),
    targetId: Type.String(),
    label: Type.String(),
    addressId: Type.String(),
    committeeCode: Nullable(Type.String()),
    gridCode: Nullable(Type.String()),
    lon: Nullable(Type.Number()),
    lat: Nullable(Type.Number()),
    facts: Facts,
    standing: StringEnum(['new', 'again', 'again_after_problem']),
    assigneeId: Nullable(Type.String()),
    assigneeName: Nullable(Type.String()),
    status: TaskStatusSchema,
    dueAt: DateTime,
    revisitAt: Nullable(DateTime),
    attempts: Type.Integer(),
    version: Type.Integer(),
    distanceM: Nullable(Type.Integer()),
  },
  { $id: 'ScreeningTask' },
);
export const TaskListSchema = Type.Object({ items: Type.Array(TaskSchema) }, { $id: 'ScreeningTaskList' });

export const VisitBodySchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    outcome: VisitOutcomeSchema,
    answers: Type.Record(
      Type.String({ pattern: '^[A-Za-z]{1,40}$' }),
      Type.Union([Type.String({ maxLength: 1000 }), Type.Number(), Type.Boolean()]),
      { maxProperties: 30 },
    ),
    photos: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 30, uniqueItems: true }),
    ),
    position: Type.Optional(
      Nullable(
        Type.Object(
          {
            lon: Type.Number({ minimum: -180, maximum: 180 }),
            lat: Type.Number({ minimum: -90, maximum: 90 }),
            accuracyM: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100_000 }))),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    farReason: Type.Optional(Type.String({ maxLength: 500 })),
    finding: Type.Optional(
      Type.Object(
        {
          description: Type.String({ minLength: 1, maxLength: 2000, pattern: VISIBLE_TEXT_PATTERN }),
          category: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{4}$' }))),
          urgency: Type.Optional(StringEnum(['normal', 'urgent'])),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { $id: 'ScreeningVisitBody', additionalProperties: false },
);

export const VisitSchema = Type.Object(
  {
    id: Type.String(),
    taskId: Type.String(),
    outcome: VisitOutcomeSchema,
    at: DateTime,
    distanceM: Nullable(Type.Integer()),
    taskStatus: TaskStatusSchema,
    revisitAt: Nullable(DateTime),
    caseId: Nullable(Type.String()),
    caseNumber: Nullable(Type.String()),
  },
  { $id: 'ScreeningVisit' },
);

export const FindingListSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        visitId: Type.String(),
        taskId: Type.String(),
        roundNo: Type.Integer(),
        at: DateTime,
        label: Type.String(),
        addressId: Type.String(),
        committeeCode: Nullable(Type.String()),
        gridCode: Nullable(Type.String()),
        visitorName: Type.String(),
        answers: Answers,
        photos: Type.Array(Type.String()),
        caseId: Nullable(Type.String()),
        caseNo: Nullable(Type.String()),
        caseState: Nullable(Type.String()),
      }),
    ),
  },
  { $id: 'ScreeningFindingList' },
);

export const TargetPointsSchema = Type.Object(
  {
    round: Type.Integer(),
    items: Type.Array(
      Type.Object({
        taskId: Type.String(),
        targetKind: StringEnum([...TARGET_KINDS]),
        label: Type.String(),
        lon: Type.Number(),
        lat: Type.Number(),
        status: TaskStatusSchema,
        gridCode: Nullable(Type.String()),
      }),
    ),
  },
  { $id: 'ScreeningTargetPoints' },
);

export const screeningContractChecks: [
  SameKeys<CampaignView, Static<typeof CampaignSchema>>,
  SameKeys<CampaignSummary, Static<typeof CampaignListSchema>['items'][number]>,
  SameKeys<CampaignDetail, Static<typeof CampaignDetailSchema>>,
  SameKeys<TaskView, Static<typeof TaskSchema>>,
  SameKeys<VisitView, Static<typeof VisitSchema>>,
  SameKeys<FindingView, Static<typeof FindingListSchema>['items'][number]>,
  SameKeys<TargetPoint, Static<typeof TargetPointsSchema>['items'][number]>,
] = [true, true, true, true, true, true, true];
