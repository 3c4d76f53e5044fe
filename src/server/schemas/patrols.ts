import { Type, type Static } from 'typebox';
import type { CheckinResult } from '../../app/patrols/check-in-patrol.ts';
import type { PatrolSummary } from '../../app/patrols/present-patrol.ts';
import type { CoverageView, PatrollerFigures } from '../../app/patrols/query-coverage.ts';
import type { LivePatrol, PatrolDetail } from '../../app/patrols/query-patrols.ts';
import type { PointsResult } from '../../app/patrols/record-patrol-points.ts';
import type { NearestResult } from '../../app/patrols/send-nearest-patroller.ts';
import { CaseActionResultSchema } from './cases.ts';
import { DateTime, Nullable, StringEnum, type SameKeys } from './common.ts';

const Position = Type.Object({ lon: Type.Number(), lat: Type.Number(), at: DateTime });

export const PatrolSummarySchema = Type.Object(
  {
    id: Type.String(),
    userId: Type.String(),
    patrollerName: Nullable(Type.String()),
    unitCode: Type.String(),
    streetCode: Type.String(),
    startedAt: DateTime,
    endedAt: Nullable(DateTime),
    endReason: Nullable(StringEnum(['manual', 'idle'] as const)),
    durationS: Type.Integer({ description: 'seconds from start to end (to now while open)' }),
    distanceM: Type.Integer({ description: 'metres walked between valid points' }),
    pointsTotal: Type.Integer(),
    pointsValid: Type.Integer(),
    checkins: Type.Integer(),
    lastSeq: Nullable(
      Type.Integer({ description: 'highest point number received: the phone resumes after it' }),
    ),
    lastPosition: Nullable(Position),
    trackPurged: Type.Boolean({ description: 'the track points were deleted after the retention period' }),
  },
  { $id: 'PatrolSummary', description: '巡查: a patrol with its time and distance' },
);

export const PatrolListSchema = Type.Object(
  { items: Type.Array(PatrolSummarySchema) },
  { $id: 'PatrolList' },
);

export const CurrentPatrolSchema = Type.Object(
  { patrol: Nullable(PatrolSummarySchema) },
  { $id: 'CurrentPatrol', description: 'the caller’s open patrol, if any' },
);

export const PatrolDetailSchema = Type.Object(
  {
    ...PatrolSummarySchema.properties,
    track: Type.Array(
      Type.Object({
        seq: Type.Integer(),
        at: DateTime,
        lon: Type.Number(),
        lat: Type.Number(),
        accuracyM: Nullable(Type.Number()),
        valid: Type.Boolean(),
        reason: Nullable(Type.String({ description: 'why ignored: accuracy · speed · time · order' })),
        gridCode: Nullable(Type.String()),
      }),
    ),
    checkinList: Type.Array(
      Type.Object({
        id: Type.String(),
        at: DateTime,
        lon: Nullable(Type.Number()),
        lat: Nullable(Type.Number()),
        note: Type.String(),
        gridCode: Nullable(Type.String()),
      }),
    ),
    reports: Type.Array(
      Type.Object({ id: Type.String(), caseNo: Type.String(), state: Type.String(), reportedAt: DateTime }),
    ),
  },
  { $id: 'PatrolDetail', description: 'a patrol with its track (personal data), check-ins and reports' },
);

export const PointsBodySchema = Type.Object(
  {
    points: Type.Array(
      Type.Object({
        seq: Type.Integer({
          minimum: 0,
          maximum: 2_000_000_000,
          description: 'the phone’s own number for the point',
        }),
        at: Type.String({ format: 'date-time', description: 'when the fix was taken' }),
        lon: Type.Number({ minimum: -180, maximum: 180 }),
        lat: Type.Number({ minimum: -90, maximum: 90 }),
        accuracy: Nullable(Type.Number({ minimum: 0, maximum: 1_000_000, description: 'metres' })),
      }),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { $id: 'PatrolPointsBody' },
);

export const PointsResultSchema = Type.Object(
  {
    accepted: Type.Integer(),
    duplicates: Type.Integer({ description: 'already stored (a re-sent batch): not stored twice' }),
    ignored: Type.Integer({ description: 'stored but ignored for distance and coverage' }),
    distanceM: Type.Integer(),
    lastSeq: Nullable(Type.Integer()),
  },
  { $id: 'PatrolPointsResult' },
);

export const CheckinBodySchema = Type.Object(
  {
    clientId: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' }),
    at: Type.String({ format: 'date-time' }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    accuracy: Nullable(Type.Number({ minimum: 0, maximum: 1_000_000 })),
    note: Type.String({ maxLength: 500 }),
  },
  { $id: 'PatrolCheckinBody' },
);

export const CheckinResultSchema = Type.Object(
  { id: Type.String(), gridCode: Nullable(Type.String()), at: DateTime, replayed: Type.Boolean() },
  { $id: 'PatrolCheckinResult' },
);

export const LivePatrolListSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        patrolId: Type.String(),
        userId: Type.String(),
        patrollerName: Type.String(),
        unitCode: Type.String(),
        streetCode: Type.String(),
        startedAt: DateTime,
        distanceM: Type.Integer(),
        position: Nullable(
          Type.Object({ lon: Type.Number(), lat: Type.Number(), at: DateTime, ageS: Type.Integer() }),
        ),
      }),
    ),
  },
  { $id: 'LivePatrolList', description: 'who is on patrol now: last position and its age' },
);

export const NearestBodySchema = Type.Object(
  {
    caseRef: Type.String({ minLength: 1, maxLength: 100 }),
    version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { $id: 'VerifyNearestBody' },
);

export const NearestResultSchema = Type.Object(
  {
    ...CaseActionResultSchema.properties,
    patroller: Type.Object({
      userId: Type.String(),
      name: Type.String(),
      distanceM: Type.Integer(),
      ageS: Type.Integer(),
    }),
  },
  { $id: 'VerifyNearestResult' },
);

const CoverageStatusSchema = StringEnum(['covered', 'due', 'missed'] as const, {
  description: 'covered: patrolled that day · due: not yet, within the allowed gap · missed: gap exceeded',
});

export const CoverageViewSchema = Type.Object(
  {
    from: Type.String(),
    to: Type.String(),
    rule: Type.Object({
      minCoveredMinutes: Type.Number(),
      maxAccuracyM: Type.Number(),
      maxSpeedMps: Type.Number(),
    }),
    rolledUpTo: Type.String({ description: 'later days are computed live' }),
    grids: Type.Array(
      Type.Object({
        gridCode: Type.String(),
        name: Type.String(),
        committeeCode: Nullable(Type.String()),
        daysPerWeek: Type.Integer(),
        days: Type.Array(
          Type.Object({
            day: Type.String(),
            status: CoverageStatusSchema,
            seconds: Type.Integer(),
            checkins: Type.Integer(),
          }),
        ),
        covered: Type.Integer(),
        missed: Type.Integer(),
      }),
    ),
  },
  { $id: 'CoverageView', description: 'grid × day coverage against each grid’s frequency' },
);

export const PatrollerFiguresSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        userId: Type.String(),
        name: Type.String(),
        unitCode: Nullable(Type.String()),
        patrols: Type.Integer(),
        hours: Type.Number(),
        distanceKm: Type.Number(),
        gridsCovered: Type.Integer(),
        reports: Type.Integer(),
      }),
    ),
  },
  { $id: 'PatrollerFigures' },
);

export const FrequencyBodySchema = Type.Object(
  { daysPerWeek: Nullable(Type.Integer({ minimum: 1, maximum: 7, description: '7 daily, 2 twice a week' })) },
  { $id: 'GridFrequencyBody' },
);
export const FrequencySchema = Type.Object(
  { gridCode: Type.String(), daysPerWeek: Nullable(Type.Integer()) },
  { $id: 'GridFrequency' },
);

// the use cases' answers and the published schemas name the same fields
export const patrolContractChecks: [
  SameKeys<PatrolSummary, Static<typeof PatrolSummarySchema>>,
  SameKeys<PatrolDetail, Static<typeof PatrolDetailSchema>>,
  SameKeys<PointsResult, Static<typeof PointsResultSchema>>,
  SameKeys<CheckinResult, Static<typeof CheckinResultSchema>>,
  SameKeys<LivePatrol, Static<typeof LivePatrolListSchema>['items'][number]>,
  SameKeys<NearestResult, Static<typeof NearestResultSchema>>,
  SameKeys<CoverageView, Static<typeof CoverageViewSchema>>,
  SameKeys<PatrollerFigures, Static<typeof PatrollerFiguresSchema>['items'][number]>,
] = [true, true, true, true, true, true, true, true];
