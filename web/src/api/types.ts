/**
 * Shapes of the Liandong HTTP API as the console uses them (see /openapi.json for the full contract).
 * Fields the console does not need are left out; optional fields are ones older servers may omit.
 */

export type CaseState =
  | 'reported'
  | 'verifying'
  | 'registered'
  | 'dispatched'
  | 'in_progress'
  | 'suspended'
  | 'handled'
  | 'checking'
  | 'resolved'
  | 'closed'
  | 'rejected'
  | 'cancelled';

export const CASE_STATES: CaseState[] = [
  'reported',
  'verifying',
  'registered',
  'dispatched',
  'in_progress',
  'suspended',
  'handled',
  'checking',
  'resolved',
  'closed',
  'rejected',
  'cancelled',
];
export const OPEN_STATES: CaseState[] = CASE_STATES.filter(
  (s) => s !== 'closed' && s !== 'rejected' && s !== 'cancelled',
);

export type DeadlineColour = 'green' | 'yellow' | 'red';
export const SOURCES = [
  'patrol',
  'screening',
  'station',
  'citizen',
  'hotline',
  'department',
  'leader',
  'warning',
] as const;
export type Source = (typeof SOURCES)[number];

export interface Unit {
  kind: 'region' | 'department' | 'none';
  level?: 'district' | 'street' | 'committee' | 'grid';
  code?: string;
  id?: string;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: string;
  unit: Unit;
  unitName: string | null;
}

export interface MeResult {
  user: Me;
  csrfToken: string | null;
  expiresAt: string | null;
  demo: boolean;
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  csrfToken: string;
  user: Me;
}

export interface RegionSummary {
  code: string;
  name: string;
  level: 'district' | 'street' | 'committee' | 'grid';
  parentCode: string | null;
  centroid: [number, number] | null;
  synthetic?: boolean;
}

export interface Category {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  urgency: 'normal' | 'urgent';
  handleLimit: { amount: number; unit: string } | null;
  policeMode: string;
  stability: boolean;
}

export interface Department {
  id: string;
  name: string;
  type: string;
  level: 'district' | 'street';
  regionCode: string;
}

/** The running stage clock of a case in lists. */
export interface RunningDeadline {
  stage: string;
  dueAt: string | null;
  warnAt?: string | null;
  colour: DeadlineColour | null;
  paused?: boolean;
  /** Depends on a year whose holiday schedule is not confirmed: may move. */
  provisional?: boolean;
}

export interface CaseSummary {
  id: string;
  caseNo: string;
  state: CaseState;
  stateName?: string;
  version: number;
  source: string;
  categoryCode: string | null;
  urgency: 'normal' | 'urgent';
  priority?: 'normal' | 'high' | 'critical';
  description: string;
  address: string | null;
  location: { lon: number; lat: number };
  districtCode?: string;
  streetCode: string | null;
  committeeCode: string | null;
  gridCode: string | null;
  owner?: { level: string; code: string };
  leadDepartmentId: string | null;
  assistingDepartmentIds: string[];
  policeDepartmentId?: string | null;
  policeMode?: string;
  supervised: boolean;
  escalated?: boolean;
  selfHandled?: boolean;
  /** Sticky: some stage deadline was missed on the way. */
  overdue: boolean;
  closureType?: string | null;
  mergedInto?: string | null;
  deadline: RunningDeadline | null;
  reportedAt: string;
  updatedAt: string;
  closedAt?: string | null;
  /** The patroller sent to verify or check (detail only in older servers). */
  assigneeUserId?: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface CaseEvent {
  id: number;
  seq?: number;
  at: string;
  action: string;
  actionName?: string;
  fromState: string | null;
  toState: string;
  actor: { userId: string | null; name: string | null; role: string; unit: string };
  payload: Record<string, unknown> | null;
  /** The stage this action finished, with the time it took against its limit (in `timeUnit`). */
  stage: string | null;
  timeUsed: number | null;
  timeLimit: number | null;
  timeUnit: string | null;
  onTime: boolean | null;
}

export interface DeadlineView {
  id: number;
  stage: string;
  status: string;
  startedAt: string;
  dueAt: string | null;
  limit: { amount: number; unit: string; extension: number };
  used: number;
  colour: DeadlineColour;
  overdue: boolean;
  overrunMultiple: number;
  stoppedAt: string | null;
  onTime: boolean | null;
  provisional?: boolean;
}

export interface Attachment {
  id: string;
  url?: string;
  mime?: string;
  size?: number;
  purpose?: string | null;
}

export interface Routing {
  leadDepartmentId: string | null;
  assistingDepartmentIds: string[];
  policeMode?: string;
  matchedRule?: string | null;
}

export interface CaseDetail extends CaseSummary {
  reporter: { name: string | null; phone: string | null; masked: boolean } | null;
  /** 查询码 for the reporter and the owning centre's intake staff (to read out to a caller), else null. */
  followUpCode?: string | null;
  assigneeUserId: string | null;
  verification?: string;
  counters?: { returns: number; reworks: number; reopens: number; escalations: number; supervisions: number };
  /** Display names of the regions, departments and category the case refers to, by code or id. */
  names: Record<string, string>;
  events: CaseEvent[];
  deadlines: DeadlineView[];
  attachments: Attachment[];
  allowedActions: string[];
  /** The responsibility matrix's answer for dispatching. */
  routing: Routing | null;
}

export interface DuplicateCandidate {
  id: string;
  caseNo: string;
  state: string;
  distanceM: number;
  reportedAt?: string;
  description?: string;
}

export interface PoliceNotice {
  id: number;
  kind: string;
  recipientName: string | null;
  createdAt: string;
  readAt: string | null;
  readByName?: string | null;
}

export interface Patroller {
  id: string;
  displayName: string;
  username: string;
  unitName: string | null;
}

/** What the console shows around a case besides the case itself (GET /api/v1/cases/{id}/context). */
export interface CaseContext {
  duplicates: DuplicateCandidate[];
  policeNotices: PoliceNotice[];
  patrollers: Patroller[];
}

export interface CreateCaseResult {
  case: CaseSummary;
  duplicates: DuplicateCandidate[];
  routing: Routing | null;
  replayed: boolean;
  /** 查询码: with the case number, follows the case on the public page. */
  followUpCode: string | null;
}

export interface PublicCase {
  caseNo: string;
  status: 'received' | 'in_progress' | 'closed' | 'rejected';
  categoryCode: string | null;
  categoryName?: string | null;
  reportedAt: string;
  closedAt: string | null;
  history: { at: string; status: string }[];
}

export interface MapConfig {
  tileUrl?: string | null;
  tileAttribution?: string | null;
  demo?: boolean;
  syntheticGeometry?: boolean;
  center?: [number, number];
}

export interface StatsOverview {
  generatedAt: string;
  scope: { level: string; code: string | null; name: string | null };
  today: { intake: number; closed: number; bySource: Record<string, number> };
  openByState: Record<string, number>;
  openByStreet: { code: string; name: string; open: number; overdue: number }[];
  overdue: { total: number; byStage: Record<string, number> };
  onTimeByDepartment: {
    id: string;
    name: string;
    handled: number;
    onTime: number;
    overdueOpen: number;
    rate: number | null;
  }[];
  onTimeByStreet: { code: string; name: string; closed: number; onTime: number; rate: number | null }[];
  trend: { date: string; intake: number; closed: number }[];
  periodDays: number;
}
