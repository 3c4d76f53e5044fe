/**
 * The shapes of the Liandong HTTP API, named for the console: every type here is the generated
 * `components.schemas` type of the committed contract (openapi.json → schema.d.ts, `npm run openapi`).
 * Nothing is copied by hand: the lists of states and sources below are checked against the contract's
 * enums by the type checker (a state added to the contract and not here fails `npm run typecheck`). They
 * are not read from openapi.json at run time so that the whole contract stays out of the first page load.
 */
import type { components } from './schema';
import { SOURCE_LIST, STATE_LIST } from './enums';

type Schemas = components['schemas'];

export type CaseState = Schemas['CaseState'];
export type Source = Schemas['CaseSource'];
export type CaseActionName = Schemas['CaseActionName'];
export type Unit = Schemas['Unit'];
export type Me = Schemas['User'];
export type MeResult = Schemas['Me'];
export type LoginResult = Schemas['LoginResult'];
export type RegionSummary = Schemas['RegionSummary'];
export type Category = Schemas['Category'];
export type Department = Schemas['Department'];
export type RunningDeadline = Schemas['RunningDeadline'];
export type DeadlineColour = NonNullable<RunningDeadline['colour']>;
export type CaseSummary = Schemas['CaseSummary'];
export type CaseList = Schemas['CaseList'];
export type CaseEvent = Schemas['CaseEvent'];
export type DeadlineView = Schemas['DeadlineView'];
export type Attachment = Schemas['Attachment'];
export type Routing = Schemas['Routing'];
export type CaseDetail = Schemas['CaseDetail'];
export type DuplicateCandidate = Schemas['DuplicateSuggestion'];
export type PoliceNotice = Schemas['PoliceNotice'];
export type Patroller = Schemas['Patroller'];
export type CaseContext = Schemas['CaseContext'];
export type CreateCaseResult = Schemas['CreateCaseResult'];
export type CaseActionResult = Schemas['CaseActionResult'];
export type PublicCase = Schemas['PublicCase'];
export type PublicNearby = Schemas['PublicNearby'];
export type PublicReport = Schemas['PublicReport'];
export type MapConfig = Schemas['MapConfig'];
export type StatsOverview = Schemas['StatsOverview'];
export type NotificationList = Schemas['NotificationList'];
export type Notification = Schemas['Notification'];
export type NotificationGroup = Schemas['NotificationGroup'];
export type SessionList = Schemas['SessionList'];

/** A page of a cursor-paginated list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Fails to type-check unless `T` lists every member of `U` (and nothing else). */
type Exhaustive<U, T extends readonly U[]> = [U] extends [T[number]] ? T : never;
const all =
  <U>() =>
  <const T extends readonly U[]>(list: Exhaustive<U, T>): U[] => [...list];

export const CASE_STATES: CaseState[] = all<CaseState>()(STATE_LIST);
const TERMINAL: readonly CaseState[] = ['closed', 'rejected', 'cancelled'];
export const OPEN_STATES: CaseState[] = CASE_STATES.filter((s) => !TERMINAL.includes(s));
export const SOURCES: Source[] = all<Source>()(SOURCE_LIST);

// patrols and coverage (issue 13)
export type PatrolSummary = Schemas['PatrolSummary'];
export type CurrentPatrol = Schemas['CurrentPatrol'];
export type PatrolPointsResult = Schemas['PatrolPointsResult'];
export type PatrolCheckinResult = Schemas['PatrolCheckinResult'];
export type LivePatrolList = Schemas['LivePatrolList'];
export type CoverageView = Schemas['CoverageView'];
export type PatrollerFigures = Schemas['PatrollerFigures'];
/** A GPS point and a check-in as the phone queues them: the bodies of the patrol point/check-in calls. */
export type PatrolPoint = Schemas['PatrolPointsBody']['points'][number];
export type PatrolCheckin = Schemas['PatrolCheckinBody'];

// base information and its imports (issue 12)
export type RegionList = Schemas['RegionList'];
export type BaseAddress = Schemas['BaseAddress'];
export type AddressFile = Schemas['AddressFile'];
export type BasePerson = Schemas['BasePerson'];
export type BaseUnit = Schemas['BaseUnit'];
export type BasePersonPage = Schemas['BasePersonPage'];
export type BaseUnitPage = Schemas['BaseUnitPage'];
export type HukouCategory = Schemas['HukouCategory'];
export type Industry = Schemas['Industry'];
export type LicenceStatus = Schemas['LicenceStatus'];
export type ImportKind = Schemas['ImportKind'];
export type ImportRun = Schemas['ImportRun'];
export type ImportUpload = Schemas['ImportUpload'];
export type ImportRowErrorPage = Schemas['ImportRowErrorPage'];
export const HUKOU_CATEGORIES: HukouCategory[] = all<HukouCategory>()(['local', 'migrant', 'overseas']);
export const INDUSTRIES: Industry[] = all<Industry>()([
  'catering',
  'food_workshop',
  'clinic',
  'pharmacy',
  'retail',
  'hotel',
  'entertainment',
  'beauty',
  'education',
  'manufacturing',
  'logistics',
  'repair',
  'office',
  'other',
]);
export const LICENCE_STATUSES: LicenceStatus[] = all<LicenceStatus>()([
  'valid',
  'expired',
  'none',
  'revoked',
]);
export const IMPORT_KINDS: ImportKind[] = all<ImportKind>()(['addresses', 'dwellings', 'people', 'units']);

// evaluation (issue 14)
export type EvaluationTable = Schemas['EvaluationTable'];
export type EvaluationUnitKind = Schemas['EvaluationUnitKind'];
export type EvaluationIndicatorId = Schemas['EvaluationIndicatorId'];

// webhooks (issue 15)
export type WebhookSubscription = Schemas['WebhookSubscription'];
export type WebhookSubscriptionList = Schemas['WebhookSubscriptionList'];
export type CreateWebhookSubscriptionBody = Schemas['CreateWebhookSubscriptionBody'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookDeliveryDetail = Schemas['WebhookDeliveryDetail'];
export type WebhookEventType = Schemas['WebhookEventType'];
export type WebhookDeliveryStatus = Schemas['WebhookDeliveryStatus'];
export const WEBHOOK_EVENT_TYPES: WebhookEventType[] = all<WebhookEventType>()([
  'case.created',
  'case.registered',
  'case.rejected',
  'case.dispatched',
  'case.signed',
  'case.handled',
  'case.closed',
  'case.cancelled',
  'case.escalated',
  'case.reopened',
  'case.merged',
  'case.updated',
]);
export const WEBHOOK_STATUSES: WebhookDeliveryStatus[] = all<WebhookDeliveryStatus>()([
  'pending',
  'delivered',
  'failed',
]);
