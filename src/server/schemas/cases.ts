import { Type, type Static } from 'typebox';
import type { CaseActionResult } from '../../app/cases/perform-case-action.ts';
import type { CreateCaseResult } from '../../app/cases/create-case.ts';
import type { CaseDetail, CaseEventView, DeadlineView } from '../../app/cases/get-case.ts';
import type { CaseList } from '../../app/cases/list-cases.ts';
import type { CaseSummary } from '../../app/cases/present-case.ts';
import type { Routing } from '../../app/cases/routing.ts';
import type { DuplicateSuggestion } from '../../app/cases/find-duplicates.ts';
import type { CaseContext, PatrollerView, PoliceNoticeView } from '../../app/console/case-context.ts';
import type { StoredAttachment } from '../../app/cases/store-attachment.ts';
import { CASE_ACTION_LIST, CASE_SOURCES, CASE_STATE_LIST, CLOCK_STAGES } from '../../core/workflow/index.ts';
import { DateTime, Nullable, StringEnum, type SameKeys } from './common.ts';

/** The published shapes of cases: lists, detail with timeline and clocks, and the answers of actions. */

export const CaseStateSchema = StringEnum(CASE_STATE_LIST as readonly (typeof CASE_STATE_LIST)[number][], {
  $id: 'CaseState',
  description: 'case state (待受理 … 结案)',
});
export const CaseSourceSchema = StringEnum(
  Object.keys(CASE_SOURCES) as readonly (keyof typeof CASE_SOURCES)[],
  { $id: 'CaseSource', description: 'where the case came from (巡查, 热线 …)' },
);
export const CaseActionNameSchema = StringEnum(
  CASE_ACTION_LIST as readonly (typeof CASE_ACTION_LIST)[number][],
  {
    $id: 'CaseActionName',
  },
);
const Stage = StringEnum(CLOCK_STAGES);
const Urgency = StringEnum(['normal', 'urgent'] as const);
const Priority = StringEnum(['normal', 'high', 'critical'] as const);
const PoliceMode = StringEnum(['none', 'notify', 'assist', 'lead'] as const);
const Colour = StringEnum(['green', 'yellow', 'red'] as const);
const OwnerLevel = StringEnum(['committee', 'street', 'district'] as const);
const ClosureType = StringEnum(['normal', 'overdue', 'special', 'self_handled'] as const);

export const RunningDeadlineSchema = Type.Object(
  {
    stage: Stage,
    dueAt: Nullable(DateTime),
    warnAt: Nullable(DateTime),
    colour: Nullable(Colour),
    provisional: Type.Boolean({
      description: 'the clock counts days of a year whose holiday schedule is not confirmed yet: it may move',
    }),
  },
  { $id: 'RunningDeadline', description: 'the running stage clock of a case: due date and colour now' },
);

const summaryProperties = {
  id: Type.String({ format: 'uuid' }),
  caseNo: Type.String({ description: 'e.g. 310112-2026-000123' }),
  state: CaseStateSchema,
  stateName: Type.String({ description: 'the state in Chinese' }),
  version: Type.Integer({ minimum: 1 }),
  source: CaseSourceSchema,
  ticketNo: Nullable(
    Type.String({ description: 'the 12345 hotline ticket (工单号) the case was taken from' }),
  ),
  categoryCode: Nullable(Type.String()),
  urgency: Urgency,
  priority: Priority,
  description: Type.String(),
  address: Nullable(Type.String()),
  location: Type.Object({ lon: Type.Number(), lat: Type.Number() }, { description: 'WGS84' }),
  districtCode: Type.String(),
  streetCode: Nullable(Type.String()),
  committeeCode: Nullable(Type.String()),
  gridCode: Nullable(Type.String()),
  owner: Type.Object({ level: OwnerLevel, code: Type.String() }),
  leadDepartmentId: Nullable(Type.String()),
  assistingDepartmentIds: Type.Array(Type.String()),
  policeDepartmentId: Nullable(Type.String()),
  policeMode: PoliceMode,
  assigneeUserId: Nullable(Type.String({ description: 'the patroller sent to verify or check' })),
  supervised: Type.Boolean(),
  escalated: Type.Boolean(),
  selfHandled: Type.Boolean(),
  overdue: Type.Boolean({ description: 'sticky: some stage deadline was missed on the way' }),
  closureType: Nullable(ClosureType),
  mergedInto: Nullable(Type.String()),
  deadline: Nullable(RunningDeadlineSchema),
  reportedAt: DateTime,
  updatedAt: DateTime,
  closedAt: Nullable(DateTime),
};

export const CaseSummarySchema = Type.Object(summaryProperties, {
  $id: 'CaseSummary',
  description: 'a case in lists, queues and on the map: no personal data, no timeline',
});

export const CaseListSchema = Type.Object(
  {
    items: Type.Array(CaseSummarySchema),
    nextCursor: Nullable(Type.String({ description: 'pass as `cursor` for the next page' })),
  },
  { $id: 'CaseList' },
);

export const RoutingSchema = Type.Object(
  {
    leadDepartmentId: Nullable(Type.String()),
    assistingDepartmentIds: Type.Array(Type.String()),
    policeMode: PoliceMode,
    matchedRule: Nullable(Type.String({ description: 'the matrix row that decided, e.g. 0101@310112006' })),
  },
  { $id: 'Routing', description: 'the responsibility matrix’s answer (责任矩阵)' },
);

export const DuplicateSuggestionSchema = Type.Object(
  {
    id: Type.String(),
    caseNo: Type.String(),
    state: CaseStateSchema,
    distanceM: Type.Number(),
    reportedAt: DateTime,
    description: Type.String(),
  },
  { $id: 'DuplicateSuggestion', description: 'an open case of the same category nearby' },
);

export const CreateCaseResultSchema = Type.Object(
  {
    case: CaseSummarySchema,
    duplicates: Type.Array(DuplicateSuggestionSchema),
    routing: Nullable(RoutingSchema),
    replayed: Type.Boolean({ description: 'an earlier request with the same Idempotency-Key created it' }),
    followUpCode: Nullable(
      Type.String({ description: '查询码: with the case number, follows the case on the public page' }),
    ),
  },
  { $id: 'CreateCaseResult' },
);

export const EscalationViewSchema = Type.Object(
  {
    level: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)]),
    levelName: Type.String({
      description: 'the level in Chinese (超时提醒责任单位, 升级至街镇分中心, 升级至区中心)',
    }),
    stage: Type.String({ description: 'the stage whose limit ran out' }),
    used: Nullable(Type.Number({ description: 'time used when the level was reached, in the limit’s unit' })),
    limit: Nullable(Type.Number({ description: 'the limit, extensions included' })),
    unit: Nullable(Type.String()),
    overrunMultiple: Nullable(Type.Number({ description: '超时倍数: (used − limit) / limit' })),
    dueAt: Nullable(DateTime),
    clockId: Nullable(Type.Integer({ description: 'the stage clock (absent on older events)' })),
    notified: Type.Array(
      Type.Object({
        kind: StringEnum(['region', 'department', 'user', 'police', 'reporters'] as const),
        id: Type.String(),
        role: Nullable(Type.String()),
        name: Nullable(Type.String()),
      }),
    ),
  },
  { $id: 'EscalationView', description: 'one escalation level reached on one stage clock, and who was told' },
);

export const CaseEventSchema = Type.Object(
  {
    id: Type.Integer(),
    seq: Type.Integer(),
    at: DateTime,
    action: Type.String({ description: 'a case action, or a system event such as the sweeper’s escalation' }),
    actionName: Type.String(),
    fromState: Nullable(CaseStateSchema),
    toState: CaseStateSchema,
    actor: Type.Object({
      userId: Nullable(Type.String()),
      name: Nullable(Type.String()),
      role: Type.String(),
      unit: Type.String(),
    }),
    payload: Type.Unsafe<unknown>(
      Nullable(
        Type.Record(Type.String(), Type.Unknown(), { description: 'what the action carried (its payload)' }),
      ),
    ),
    stage: Nullable(Stage),
    timeUsed: Nullable(Type.Number()),
    timeLimit: Nullable(Type.Number()),
    timeUnit: Nullable(Type.String()),
    onTime: Nullable(Type.Boolean()),
    escalation: Nullable(EscalationViewSchema),
  },
  { $id: 'CaseEvent', description: 'one entry of the timeline (the event log)' },
);

export const DeadlineViewSchema = Type.Object(
  {
    id: Type.Integer(),
    stage: Stage,
    status: StringEnum(['running', 'paused', 'stopped'] as const),
    startedAt: DateTime,
    dueAt: Nullable(DateTime),
    limit: Type.Object({ amount: Type.Number(), unit: Type.String(), extension: Type.Number() }),
    used: Type.Number({ description: 'time used so far in the limit’s unit, suspensions excluded' }),
    colour: Colour,
    overdue: Type.Boolean(),
    overrunMultiple: Type.Number(),
    pausedMs: Type.Number(),
    stoppedAt: Nullable(DateTime),
    onTime: Nullable(Type.Boolean()),
    escalationLevel: Type.Integer(),
    provisional: Type.Boolean({ description: 'depends on a year without a published holiday schedule' }),
  },
  { $id: 'DeadlineView', description: 'a stage clock: used vs limit, colour, overrun' },
);

export const CaseAttachmentSchema = Type.Object(
  {
    id: Type.String(),
    sha256: Type.String(),
    mime: Type.String(),
    size: Type.Integer(),
    purpose: Nullable(Type.String()),
    eventId: Nullable(Type.Integer()),
    url: Type.String(),
  },
  { $id: 'CaseAttachment' },
);

const PendingRequest = Type.Object({
  kind: StringEnum(['extension', 'suspension'] as const),
  departmentId: Type.String(),
  requestedBy: Type.String(),
  reason: Type.String(),
  requestedDueAt: Nullable(DateTime),
  at: DateTime,
});

export const CaseDetailSchema = Type.Object(
  {
    ...summaryProperties,
    reporter: Type.Object({
      name: Nullable(Type.String()),
      phone: Nullable(Type.String()),
      masked: Type.Boolean(),
    }),
    followUpCode: Nullable(
      Type.String({
        description:
          '查询码, for the reporter and the owning centre’s intake staff (to read out to a caller); else null',
      }),
    ),
    verification: StringEnum(['not_required', 'required', 'confirmed', 'not_confirmed'] as const),
    // stored as JSON by the workflow: typed here for the contract, `unknown` to the use case
    pendingRequests: Type.Unsafe<unknown>(
      Type.Array(PendingRequest, { description: '延期/挂账 requests awaiting the shift lead' }),
    ),
    counters: Type.Object({
      returns: Type.Integer(),
      reworks: Type.Integer(),
      reopens: Type.Integer(),
      escalations: Type.Integer(),
      supervisions: Type.Integer(),
    }),
    awaitingArbitration: Type.Boolean(),
    arbitrated: Type.Boolean(),
    satisfaction: Nullable(StringEnum(['satisfied', 'basically_satisfied', 'unsatisfied'] as const)),
    names: Type.Record(Type.String(), Type.String(), {
      description: 'display names of the regions, departments and category, by code or id',
    }),
    events: Type.Array(CaseEventSchema),
    deadlines: Type.Array(DeadlineViewSchema),
    attachments: Type.Array(CaseAttachmentSchema),
    allowedActions: Type.Array(CaseActionNameSchema, { description: 'what you may do now' }),
    routing: Nullable(RoutingSchema),
  },
  {
    $id: 'CaseDetail',
    description: 'one case with its timeline, clocks, attachments and your allowed actions',
  },
);

export const CaseActionResultSchema = Type.Object(
  {
    case: CaseSummarySchema,
    event: Type.Object({ id: Type.Integer(), seq: Type.Integer(), action: CaseActionNameSchema }),
    allowedActions: Type.Array(CaseActionNameSchema),
  },
  { $id: 'CaseActionResult' },
);

export const CaseContextSchema = Type.Object(
  {
    duplicates: Type.Array(DuplicateSuggestionSchema),
    policeNotices: Type.Array(
      Type.Object(
        {
          id: Type.Integer(),
          kind: Type.String(),
          recipientName: Nullable(Type.String()),
          createdAt: DateTime,
          readAt: Nullable(DateTime),
          readByName: Nullable(Type.String()),
        },
        {
          $id: 'PoliceNotice',
          description: 'a linkage notice (联动通知) to a police station, with its receipt',
        },
      ),
    ),
    patrollers: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          displayName: Type.String(),
          username: Type.String(),
          unitName: Nullable(Type.String()),
        },
        { $id: 'Patroller' },
      ),
    ),
  },
  {
    $id: 'CaseContext',
    description: 'around a case: nearby duplicates, police notices, assignable patrollers',
  },
);

export const AttachmentSchema = Type.Object(
  { id: Type.String(), sha256: Type.String(), mime: Type.String(), size: Type.Integer() },
  { $id: 'Attachment', description: 'a stored upload: name its id in a report or an action' },
);

export const ReporterContactSchema = Type.Object(
  { name: Nullable(Type.String()), phone: Nullable(Type.String()), masked: Type.Boolean() },
  { $id: 'ReporterContact' },
);

// a field added to a use case's answer must be added here too (or it would be dropped on the way out)
export const caseChecks: [
  SameKeys<CaseSummary, Static<typeof CaseSummarySchema>>,
  SameKeys<NonNullable<CaseSummary['deadline']>, Static<typeof RunningDeadlineSchema>>,
  SameKeys<CaseList, Static<typeof CaseListSchema>>,
  SameKeys<Routing, Static<typeof RoutingSchema>>,
  SameKeys<DuplicateSuggestion, Static<typeof DuplicateSuggestionSchema>>,
  SameKeys<CreateCaseResult, Static<typeof CreateCaseResultSchema>>,
  SameKeys<CaseEventView, Static<typeof CaseEventSchema>>,
  SameKeys<DeadlineView, Static<typeof DeadlineViewSchema>>,
  SameKeys<CaseDetail, Static<typeof CaseDetailSchema>>,
  SameKeys<CaseActionResult, Static<typeof CaseActionResultSchema>>,
  SameKeys<CaseContext, Static<typeof CaseContextSchema>>,
  SameKeys<PoliceNoticeView, Static<typeof CaseContextSchema>['policeNotices'][number]>,
  SameKeys<PatrollerView, Static<typeof CaseContextSchema>['patrollers'][number]>,
  SameKeys<StoredAttachment, Static<typeof AttachmentSchema>>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true];
