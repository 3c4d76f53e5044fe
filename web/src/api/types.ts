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
export const OPEN_STATES: CaseState[] = CASE_STATES.filter((s) => s !== 'closed' && s !== 'rejected' && s !== 'cancelled');

export type DeadlineColour = 'green' | 'yellow' | 'red';
export const SOURCES = ['patrol', 'screening', 'station', 'citizen', 'hotline', 'department', 'leader', 'warning'] as const;
export type Source = (typeof SOURCES)[number];

export interface Unit {
  kind: 'region' | 'department' | 'none';
  level?: 'district' | 'street' | 'committee' | 'grid';
  code?: string;
  id?: string;
  name?: string;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: string;
  unit: Unit;
  unitName?: string | null;
  demo?: boolean;
}

export interface LoginResult {
  token: string;
  expiresAt?: string;
  csrfToken?: string;
  user?: Me;
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

export interface Deadline {
  stage: string;
  startedAt?: string;
  dueAt: string;
  limit?: { amount: number; unit: string } | null;
  colour?: DeadlineColour;
  status?: DeadlineColour | string;
  usedFraction?: number | null;
  overrun?: number | null;
  paused?: boolean;
  closedAt?: string | null;
  onTime?: boolean | null;
}

export interface CaseLocation {
  lon: number;
  lat: number;
  address?: string | null;
}

export interface CaseSummary {
  id: string;
  number: string;
  state: CaseState;
  version: number;
  categoryCode: string;
  categoryName?: string;
  urgency?: 'normal' | 'urgent';
  source: Source;
  description?: string;
  title?: string | null;
  location?: CaseLocation | null;
  lon?: number;
  lat?: number;
  address?: string | null;
  streetCode?: string | null;
  streetName?: string | null;
  committeeCode?: string | null;
  committeeName?: string | null;
  gridCode?: string | null;
  leadDepartmentId?: string | null;
  leadDepartmentName?: string | null;
  createdAt: string;
  updatedAt?: string;
  reportedAt?: string;
  deadline?: Deadline | null;
  deadlineColour?: DeadlineColour | null;
  dueAt?: string | null;
  overdue?: boolean;
  supervised?: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
  total?: number;
  counts?: Record<string, number>;
}

export interface CaseEvent {
  id: string | number;
  action: string;
  at: string;
  fromState?: CaseState | null;
  toState?: CaseState | null;
  actor?: { id?: string; name?: string; displayName?: string; username?: string; role?: string; unitName?: string | null } | null;
  actorName?: string | null;
  actorRole?: string | null;
  unitName?: string | null;
  payload?: Record<string, unknown> | null;
  stage?: string | null;
  usedMinutes?: number | null;
  limit?: { amount: number; unit: string } | null;
  limitMinutes?: number | null;
  onTime?: boolean | null;
}

export interface Attachment {
  id: string;
  url?: string;
  mime?: string;
  mediaType?: string;
  size?: number;
  kind?: string;
  name?: string | null;
}

export interface Suggestion {
  leadDepartmentId: string | null;
  assistingDepartmentIds: string[];
  policeMode?: string;
}

export interface Reporter {
  name?: string | null;
  phone?: string | null;
  masked?: boolean;
}

export interface CaseDetail extends CaseSummary {
  events: CaseEvent[];
  deadlines: Deadline[];
  allowedActions: string[];
  attachments?: Attachment[];
  photos?: Attachment[];
  reporter?: Reporter | null;
  suggested?: Suggestion | null;
  suggestion?: Suggestion | null;
  assistingDepartmentIds?: string[];
  assistingDepartments?: { id: string; name: string }[];
  duplicates?: DuplicateCandidate[];
  nearby?: DuplicateCandidate[];
  notifications?: PoliceNotice[];
  policeNotices?: PoliceNotice[];
}

export interface DuplicateCandidate {
  id: string;
  number: string;
  state: CaseState;
  distanceM?: number;
  distance?: number;
  categoryCode?: string;
  createdAt?: string;
  description?: string;
}

export interface PoliceNotice {
  id: string;
  kind?: string;
  recipient?: string;
  recipientName?: string | null;
  departmentName?: string | null;
  createdAt?: string;
  readAt?: string | null;
  title?: string;
  body?: string;
}

export interface Notification {
  id: string;
  kind: string;
  caseId?: string | null;
  caseNumber?: string | null;
  title?: string;
  body?: string;
  createdAt: string;
  readAt?: string | null;
}

export interface PublicCase {
  number: string;
  state: string;
  publicStatus?: string;
  categoryCode?: string;
  categoryName?: string;
  createdAt: string;
  updatedAt?: string;
  closedAt?: string | null;
  history?: { at: string; status: string }[];
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
  scope: { level: string; code?: string | null; name?: string | null };
  today: { intake: number; closed: number; bySource: Record<string, number> };
  openByState: Record<string, number>;
  openByStreet: { code: string; name: string; open: number; overdue: number }[];
  overdue: { total: number; byStage: Record<string, number> };
  onTimeByDepartment: { id: string; name: string; handled: number; onTime: number; rate: number | null }[];
  onTimeByStreet: { code: string; name: string; closed: number; onTime: number; rate: number | null }[];
  trend: { date: string; intake: number; closed: number }[];
}
