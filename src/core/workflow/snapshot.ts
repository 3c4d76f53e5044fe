import type { CaseState, ClockStage } from './states.ts';

/** Where a report came from. Citizen, hotline and early-warning reports are verified on site first. */
export const CASE_SOURCES = {
  patrol: '网格巡查',
  screening: '排摸发现', // coordinator's rolling screening (滚动排摸)
  station: '居村工作站',
  citizen: '市民上报', // public page, apps, Open311
  hotline: '热线转办', // 12345 hotline
  walk_in: '来访受理', // a person at the centre's desk (issue 11)
  department: '部门移送',
  leader: '领导交办',
  warning: '预警', // the platform's own early warning
} as const satisfies Record<string, string>;
export type CaseSource = keyof typeof CASE_SOURCES;

export type Urgency = 'normal' | 'urgent';
/** Raised by supervision (督办): normal → high → critical. */
export type Priority = 'normal' | 'high' | 'critical';
export const PRIORITIES: readonly Priority[] = ['normal', 'high', 'critical'];
/** How a category involves the police (DESIGN §4): same names as `categories.police_mode`. */
export type PoliceLinkage = 'none' | 'notify' | 'assist' | 'lead';
export type OwnerLevel = 'committee' | 'street' | 'district';
/** not_required: reported by someone on site; required: must be verified before registration. */
export type Verification = 'not_required' | 'required' | 'confirmed' | 'not_confirmed';
export type ClosureType = 'normal' | 'overdue' | 'special' | 'self_handled';
export type Satisfaction = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

/** An extension (延期) or suspension (挂账) a department asked for, awaiting the shift lead. */
export interface PendingRequest {
  kind: 'extension' | 'suspension';
  departmentId: string;
  requestedBy: string;
  reason: string;
  /** Extension only: the deadline the department asks for. */
  requestedDueAt: Date | null;
  at: Date;
}

export interface CaseCounters {
  /** 退回: counted against the dispatcher's dispatch accuracy. */
  returns: number;
  /** 返工: check failed, back to the department. */
  reworks: number;
  /** 重新办理: citizen not satisfied at follow-up. */
  reopens: number;
  escalations: number;
  supervisions: number;
}

/** The running deadline clock. `dueAt` is null until the use case has computed it (calendar, limits). */
export interface RunningDeadline {
  stage: ClockStage;
  dueAt: Date | null;
}

/**
 * The facts about a case that the workflow rules read and change. Plain data: the database layer maps its
 * row to this and writes the `changes` of a transition back (with `version` for optimistic concurrency).
 */
export interface CaseSnapshot {
  id: string;
  version: number;
  state: CaseState;
  source: CaseSource;
  categoryCode: string | null;
  policeLinkage: PoliceLinkage;
  urgency: Urgency;
  priority: Priority;
  /** 督办: a leader has issued a supervision order. */
  supervised: boolean;
  /** 自行处置: the patroller fixed it on the spot when reporting. */
  selfHandled: boolean;

  /** The centre that owns the case: committee work station, street sub-centre or district centre. */
  ownerLevel: OwnerLevel;
  ownerCode: string;
  districtCode: string;
  streetCode: string;
  committeeCode: string | null;
  gridCode: string | null;
  /** The police station covering the location (set at intake from department coverage). */
  policeDepartmentId: string | null;

  leadDepartmentId: string | null;
  assistingDepartmentIds: readonly string[];
  /** The patroller currently sent to verify (核实) or check (核查) the case. */
  assigneeId: string | null;
  /** Users who reported this case (several after a merge); they are kept informed. */
  reporterIds: readonly string[];

  verification: Verification;
  pendingRequests: readonly PendingRequest[];
  counters: CaseCounters;
  /** Escalated to the district and waiting for its ruling (arbitrate or dispatch). */
  awaitingArbitration: boolean;
  /** The district has ruled on jurisdiction: the lead department may no longer return the case. */
  arbitrated: boolean;

  deadline: RunningDeadline | null;
  /** Sticky: some stage deadline has been missed (by the workflow when a clock stops late, or the sweeper). */
  overdue: boolean;

  closureType: ClosureType | null;
  mergedIntoCaseId: string | null;
  satisfaction: Satisfaction | null;
}

/** Where a new case is, resolved by the use case from the location (territory lookup, department coverage). */
export interface CaseTerritory {
  districtCode: string;
  streetCode: string;
  committeeCode: string | null;
  gridCode: string | null;
  policeDepartmentId: string | null;
}

/** The category facts the rules need, resolved by the use case from the categories table. */
export interface CategoryTraits {
  code: string;
  policeLinkage: PoliceLinkage;
  /** 不稳定因素/矛盾纠纷: stability and dispute information (police linkage at intake). */
  stability: boolean;
}
