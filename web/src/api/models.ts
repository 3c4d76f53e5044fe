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
export type MapConfig = Schemas['MapConfig'];
export type StatsOverview = Schemas['StatsOverview'];
export type NotificationList = Schemas['NotificationList'];
export type Notification = Schemas['Notification'];
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
