import type { Actor, Role, Unit } from '../actor.ts';
import type { Result } from '../errors.ts';
import type { CaseAction } from './actions.ts';
import type { TransitionOutput } from './effects.ts';
import type { CaseSnapshot } from './snapshot.ts';
import type { TransitionFacts } from './rule-kit.ts';
import { transition } from './transition.ts';

/**
 * Test factories for the workflow (also handy for use-case tests): one street with one committee and grid,
 * two departments and a police station, and an actor of every role placed to act on a case.
 */
export const CODES = {
  district: '310112',
  street: '310112001', // 江川路街道
  otherStreet: '310112002',
  committee: '310112001001',
  grid: '31011200100101',
} as const;

export const DEPTS = {
  lead: 'dept-chengguan', // 城管执法
  assisting: 'dept-market', // 市场监管
  other: 'dept-housing',
  police: 'ps-jiangchuan', // 江川派出所
  otherStreet: 'dept-housing-2', // the other street's 房管办
  otherPolice: 'ps-other', // the other street's 派出所
  bureau: 'dist-planning', // a district bureau
} as const;

/** Who covers what (department_coverage): the street's units their street, the police its committee. */
export const FACTS: TransitionFacts = {
  departmentCoverage: {
    [DEPTS.lead]: [CODES.street],
    [DEPTS.assisting]: [CODES.street],
    [DEPTS.other]: [CODES.street],
    [DEPTS.police]: [CODES.committee],
    [DEPTS.otherStreet]: [CODES.otherStreet],
    [DEPTS.otherPolice]: [CODES.otherStreet],
    [DEPTS.bureau]: [CODES.district],
  },
};

export const NOW = new Date('2026-03-10T10:00:00+08:00');

export const actor = (role: Role, unit: Unit, userId = `u-${role}`): Actor => ({
  userId,
  username: userId,
  displayName: userId,
  role,
  unit,
});

const region = (level: 'district' | 'street' | 'committee' | 'grid', code: string): Unit => ({
  kind: 'region',
  level,
  code,
});
const dept = (id: string): Unit => ({ kind: 'department', id });

export const ACTORS = {
  patroller: actor('patroller', region('grid', CODES.grid), 'u-patroller'),
  otherPatroller: actor('patroller', region('grid', CODES.grid), 'u-patroller-2'),
  coordinator: actor('coordinator', region('committee', CODES.committee)),
  stationOperator: actor('station_operator', region('committee', CODES.committee)),
  streetDispatcher: actor('dispatcher', region('street', CODES.street)),
  streetShiftLead: actor('shift_lead', region('street', CODES.street)),
  otherStreetDispatcher: actor('dispatcher', region('street', CODES.otherStreet), 'u-dispatcher-2'),
  otherStreetShiftLead: actor('shift_lead', region('street', CODES.otherStreet), 'u-shift-lead-2'),
  districtDispatcher: actor('dispatcher', region('district', CODES.district), 'u-district-dispatcher'),
  districtShiftLead: actor('shift_lead', region('district', CODES.district), 'u-district-shift-lead'),
  leadHandler: actor('dept_handler', dept(DEPTS.lead)),
  leadDeptLead: actor('dept_lead', dept(DEPTS.lead)),
  assistingHandler: actor('dept_handler', dept(DEPTS.assisting), 'u-assisting-handler'),
  otherHandler: actor('dept_handler', dept(DEPTS.other), 'u-other-handler'),
  police: actor('police', dept(DEPTS.police)),
  leader: actor('leader', region('district', CODES.district)),
  admin: actor('admin', region('district', CODES.district)),
  citizen: actor('citizen', { kind: 'none' }, 'u-citizen'),
  otherCitizen: actor('citizen', { kind: 'none' }, 'u-citizen-2'),
  system: actor('system', region('district', CODES.district), 'system'),
} as const;

/** A street-owned case with every assignment filled in; override what the test is about. */
export function buildCase(overrides: Partial<CaseSnapshot> = {}): CaseSnapshot {
  return {
    id: 'case-1',
    version: 3,
    state: 'registered',
    source: 'patrol',
    categoryCode: '0105', // 暴露垃圾
    policeLinkage: 'none',
    urgency: 'normal',
    priority: 'normal',
    supervised: false,
    selfHandled: false,
    ownerLevel: 'street',
    ownerCode: CODES.street,
    districtCode: CODES.district,
    streetCode: CODES.street,
    committeeCode: CODES.committee,
    gridCode: CODES.grid,
    policeDepartmentId: DEPTS.police,
    leadDepartmentId: DEPTS.lead,
    assistingDepartmentIds: [DEPTS.assisting],
    assigneeId: ACTORS.patroller.userId,
    reporterIds: [ACTORS.citizen.userId],
    verification: 'not_required',
    pendingRequests: [],
    counters: { returns: 0, reworks: 0, reopens: 0, escalations: 0, supervisions: 0 },
    awaitingArbitration: false,
    arbitrated: false,
    deadline: null,
    overdue: false,
    closureType: null,
    mergedIntoCaseId: null,
    satisfaction: null,
    ...overrides,
  };
}

/** A pending request of the lead department, as request_extension / request_suspension leave it. */
export const pendingRequest = (kind: 'extension' | 'suspension', requestedDueAt: Date | null = null) => ({
  kind,
  departmentId: DEPTS.lead,
  requestedBy: ACTORS.leadHandler.userId,
  reason: '需要协调',
  requestedDueAt,
  at: NOW,
});

/** Apply an action that must succeed; throws with the error code otherwise. */
export function mustTransition(
  c: CaseSnapshot,
  action: CaseAction,
  payload: unknown,
  by: Actor,
  now = NOW,
  facts = FACTS,
): TransitionOutput {
  const result = transition(c, action, payload, by, now, facts);
  if (!result.ok) throw new Error(`${action} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** 'ok' or the error code. */
export const outcome = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code);

/** Effects in short: `start_clock`, `notify:department`… */
export const effectKinds = (out: TransitionOutput): string[] =>
  out.effects.map((e) => (e.kind === 'notify' ? `notify:${e.to.kind}` : e.kind));
