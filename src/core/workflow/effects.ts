import type { Role, Unit } from '../actor.ts';
import type { CaseAction } from './actions.ts';
import type { CaseSnapshot, OwnerLevel } from './snapshot.ts';
import type { CaseState, ClockStage } from './states.ts';

/** Who a notification goes to; the use case resolves targets to users and inboxes. */
export type NotifyTarget =
  | { kind: 'centre'; level: OwnerLevel; code: string }
  /** `role` narrows the department's inbox to one of its roles (the 部门负责人 for escalations). */
  | { kind: 'department'; id: string; role?: 'dept_lead' }
  /** A police station, as a department (linkage notices, 联动通知). */
  | { kind: 'police_station'; departmentId: string }
  /** The community police officer (社区民警) responsible for a committee. */
  | { kind: 'community_police'; committeeCode: string }
  | { kind: 'user'; userId: string }
  /** Everyone who reported the case (citizens follow their reports). */
  | { kind: 'reporters' };

/**
 * What the use case must do after it has stored the change and its event, as data. Clock effects are
 * derived from the states' clocks (states.ts); the use case computes due dates with the calendar.
 */
export type CaseEffect =
  | { kind: 'start_clock'; stage: ClockStage }
  /** `overdue`: the clock had a known due date and `now` is past it. */
  | { kind: 'stop_clock'; stage: ClockStage; overdue: boolean }
  /** 挂账: the clock stops counting but is not finished. */
  | { kind: 'pause_clock'; stage: ClockStage }
  /** The clock continues; the due date moves by the paused time. */
  | { kind: 'resume_clock'; stage: ClockStage }
  /** 延期: the running clock gets a new due date. */
  | { kind: 'extend_clock'; stage: ClockStage; dueAt: Date }
  /** `receipt`: the recipient must acknowledge reading it (linkage notices). */
  | { kind: 'notify'; to: NotifyTarget; topic: CaseAction; urgent: boolean; receipt: boolean }
  /** Merge: add these reporters to the master case and record the merge there (see absorbDuplicate). */
  | { kind: 'merge_into'; masterCaseId: string; reporterIds: readonly string[] };

/** One row of the case event log, minus what the database adds (id, time used from the calendar). */
export interface CaseEventDraft {
  caseId: string;
  action: CaseAction;
  /** null for the report that created the case. */
  fromState: CaseState | null;
  toState: CaseState;
  at: Date;
  actor: { userId: string; role: Role; unit: Unit };
  /** The validated payload as given (JSON). */
  payload: Record<string, unknown>;
  /** The deadline stage this action finished, if any (for "time used" and timeliness indicators). */
  stage: ClockStage | null;
  /** The finished stage was past its due date. */
  overdue: boolean;
}

/** The result of a successful transition. */
export interface TransitionOutput {
  /** The whole case after the action (version incremented). */
  next: CaseSnapshot;
  /** Only the fields that changed, for the UPDATE (… WHERE id = ? AND version = previous version). */
  changes: Partial<CaseSnapshot>;
  events: CaseEventDraft[];
  effects: CaseEffect[];
}
