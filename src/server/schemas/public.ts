import { Type, type Static } from 'typebox';
import type { NearbyPublicCase } from '../../app/public/nearby-public-cases.ts';
import type { PublicCaseView } from '../../app/public/lookup-public-case.ts';
import type { PublicChallenge } from '../../app/public/proof-of-work.ts';
import type { AnonymousReportResult } from '../../app/public/report-anonymously.ts';
import { CASE_NO_PATTERN } from '../../app/public/lookup-public-case.ts';
import { DateTime, Nullable, StringEnum, type SameKeys } from './common.ts';

/** The citizens' page without an account (issues 9 §8 and 15): follow, report, rate. */

const PublicStatus = StringEnum(['received', 'in_progress', 'closed', 'rejected'] as const);
const Satisfaction = StringEnum(['satisfied', 'basically_satisfied', 'unsatisfied'] as const, {
  description: '满意 / 基本满意 / 不满意',
});
const CaseNo = Type.String({ pattern: CASE_NO_PATTERN, description: 'e.g. 310112-2026-000123' });
const Code = Type.String({
  minLength: 1,
  maxLength: 32,
  description: 'The follow-up code given at reporting, e.g. 7KQ2-M9XD (case and dashes ignored)',
});
const CategoryCode = Type.String({ pattern: '^[0-9]{4}$', description: '小类 code' });
const Point = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
  },
  { additionalProperties: false, description: 'WGS84' },
);

export const PublicLookupBody = Type.Object(
  { caseNo: CaseNo, code: Code },
  { additionalProperties: false, $id: 'PublicLookupBody' },
);

export const PublicCaseSchema = Type.Object(
  {
    caseNo: Type.String(),
    status: PublicStatus,
    categoryCode: Nullable(Type.String()),
    categoryName: Nullable(Type.String()),
    reportedAt: DateTime,
    closedAt: Nullable(DateTime),
    history: Type.Array(Type.Object({ at: DateTime, status: PublicStatus })),
    rating: Nullable(
      Type.Object(
        { satisfaction: Satisfaction, at: DateTime },
        { description: 'the anonymous reporter’s rating, once given (the note stays private)' },
      ),
    ),
    canRate: Type.Boolean({ description: 'an anonymous report, closed and not rated yet' }),
  },
  { $id: 'PublicCase', description: 'public status and dates only' },
);

export const PublicChallengeSchema = Type.Object(
  {
    challenge: Type.String(),
    bits: Type.Integer({ description: 'SHA-256(challenge ":" nonce) must start with this many zero bits' }),
    expiresAt: DateTime,
  },
  { $id: 'PublicChallenge' },
);

export const PublicNearbyBody = Type.Object(
  { category: CategoryCode, location: Point },
  { additionalProperties: false, $id: 'PublicNearbyBody' },
);

export const PublicNearbySchema = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        categoryCode: Type.String(),
        status: PublicStatus,
        reportedOn: Type.String({ format: 'date', description: 'the day (Asia/Shanghai)' }),
        distanceM: Type.Integer({ description: 'rounded to 10 m' }),
      }),
      { maxItems: 5 },
    ),
  },
  { $id: 'PublicNearby', description: 'open cases of the category within 150 m: public fields only' },
);

export const PublicReportBody = Type.Object(
  {
    category: CategoryCode,
    description: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }),
    location: Point,
    photos: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
        maxItems: 4,
        description: 'ids from POST /api/v1/public/attachments',
      }),
    ),
    contact: Type.String({
      minLength: 1,
      maxLength: 254,
      description: 'a phone number or an e-mail address (stored encrypted, shown masked)',
    }),
    challenge: Type.String({ maxLength: 200, description: 'from GET /api/v1/public/challenge' }),
    nonce: Type.String({ maxLength: 32, description: 'the solution of the challenge' }),
    website: Type.Optional(Type.String({ maxLength: 200, description: 'leave empty (a trap for bots)' })),
  },
  { additionalProperties: false, $id: 'PublicReportBody' },
);

export const PublicReportSchema = Type.Object(
  {
    caseNo: Type.String(),
    followUpCode: Type.String({ description: '查询码: with the number, follows the case (keep it private)' }),
    replayed: Type.Boolean({ description: 'an earlier request with the same Idempotency-Key created it' }),
  },
  { $id: 'PublicReport' },
);

export const PublicRateBody = Type.Object(
  {
    caseNo: CaseNo,
    code: Code,
    satisfaction: Satisfaction,
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false, $id: 'PublicRateBody' },
);

// a field added to a use case's answer must be added here too (or it would be dropped on the way out)
export const publicChecks: [
  SameKeys<PublicCaseView, Static<typeof PublicCaseSchema>>,
  SameKeys<PublicChallenge, Static<typeof PublicChallengeSchema>>,
  SameKeys<NearbyPublicCase, Static<typeof PublicNearbySchema>['items'][number]>,
  SameKeys<AnonymousReportResult, Static<typeof PublicReportSchema>>,
] = [true, true, true, true];
