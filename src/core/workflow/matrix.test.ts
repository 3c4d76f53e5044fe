import { describe, expect, it } from 'vitest';
import { ROLES, SYSTEM_ACTOR, type Actor, type Role } from '../actor.ts';
import { CASE_ACTION_LIST, type CaseAction, type CaseTransitionAction } from './actions.ts';
import { ACTORS, actor, buildCase, CODES, DEPTS, FACTS, NOW, pendingRequest } from './fixtures.ts';
import type { CaseSnapshot } from './snapshot.ts';
import { CASE_STATE_LIST, type CaseState } from './states.ts';
import { actionsFrom, allowedActions, transition } from './transition.ts';

/**
 * The workflow of DESIGN §4 written out by hand, independently of table.ts: which actions each state
 * allows. Every other (state, action) pair must be refused with invalid_transition.
 */
const EXPECTED: Record<CaseState, readonly CaseAction[]> = {
  reported: ['request_verification', 'register', 'reject', 'merge', 'escalate', 'supervise', 'comment'],
  verifying: ['submit_verification', 'reject', 'merge', 'escalate', 'supervise', 'comment'],
  registered: [
    'dispatch',
    'handle_locally',
    'merge',
    'cancel',
    'escalate',
    'arbitrate',
    'supervise',
    'comment',
  ],
  dispatched: [
    'sign',
    'return',
    'assist_feedback',
    'cancel',
    'escalate',
    'arbitrate',
    'supervise',
    'comment',
  ],
  in_progress: [
    'request_extension',
    'approve_extension',
    'deny_extension',
    'request_suspension',
    'approve_suspension',
    'deny_suspension',
    'handle',
    'assist_feedback',
    'cancel',
    'escalate',
    'arbitrate',
    'supervise',
    'comment',
  ],
  suspended: [
    'resume',
    'assist_feedback',
    'close',
    'cancel',
    'escalate',
    'arbitrate',
    'supervise',
    'comment',
  ],
  handled: ['assist_feedback', 'assign_check', 'cancel', 'supervise', 'comment'],
  checking: ['submit_check', 'assist_feedback', 'cancel', 'supervise', 'comment'],
  resolved: ['close', 'cancel', 'supervise', 'comment'],
  closed: ['comment', 'follow_up', 'reopen'],
  rejected: ['comment'],
  cancelled: ['comment'],
};

const DUE = '2026-03-20T17:30:00+08:00';
const dept = ['dept_handler', 'dept_lead', 'police'] as const;

/** For each action: an actor, payload and case conditions under which it succeeds where the state allows it. */
const SETUP: Record<CaseTransitionAction, { actor: Actor; payload: unknown; case?: Partial<CaseSnapshot> }> =
  {
    request_verification: { actor: ACTORS.streetDispatcher, payload: { patrollerId: 'u-patroller' } },
    submit_verification: { actor: ACTORS.patroller, payload: { confirmed: true } },
    register: { actor: ACTORS.streetDispatcher, payload: {} },
    reject: { actor: ACTORS.streetShiftLead, payload: { reasonCode: 'invalid', reason: '不属于受理范围' } },
    merge: { actor: ACTORS.streetDispatcher, payload: { masterCaseId: 'case-0' } },
    dispatch: {
      actor: ACTORS.streetDispatcher,
      payload: { leadDepartmentId: DEPTS.lead, assistingDepartmentIds: [DEPTS.assisting] },
    },
    handle_locally: {
      actor: ACTORS.stationOperator,
      payload: { result: '已调解', photos: ['p1'] },
      case: { ownerLevel: 'committee', ownerCode: CODES.committee },
    },
    sign: { actor: ACTORS.leadHandler, payload: {} },
    return: { actor: ACTORS.leadHandler, payload: { reason: '不属于本部门职责' } },
    request_extension: {
      actor: ACTORS.leadHandler,
      payload: { reason: '需要协调产权单位', requestedDueAt: DUE },
    },
    approve_extension: {
      actor: ACTORS.streetShiftLead,
      payload: {},
      case: { pendingRequests: [pendingRequest('extension', new Date(DUE))] },
    },
    deny_extension: {
      actor: ACTORS.streetShiftLead,
      payload: { reason: '理由不充分' },
      case: { pendingRequests: [pendingRequest('extension', new Date(DUE))] },
    },
    request_suspension: { actor: ACTORS.leadHandler, payload: { reason: '需规划部门决定' } },
    approve_suspension: {
      actor: ACTORS.streetShiftLead,
      payload: {},
      case: { pendingRequests: [pendingRequest('suspension')] },
    },
    deny_suspension: {
      actor: ACTORS.streetShiftLead,
      payload: { reason: '可以处置' },
      case: { pendingRequests: [pendingRequest('suspension')] },
    },
    resume: { actor: ACTORS.streetShiftLead, payload: {} },
    handle: { actor: ACTORS.leadHandler, payload: { result: '已清理', photos: ['p1'] } },
    assist_feedback: { actor: ACTORS.assistingHandler, payload: { feedback: '已配合检查' } },
    assign_check: { actor: ACTORS.streetDispatcher, payload: { patrollerId: 'u-patroller' } },
    submit_check: { actor: ACTORS.patroller, payload: { passed: true } },
    close: { actor: ACTORS.streetShiftLead, payload: { note: '结案' } },
    cancel: { actor: ACTORS.streetShiftLead, payload: { reason: '重复立案' } },
    escalate: { actor: ACTORS.streetShiftLead, payload: { reason: '部门职责争议' } },
    arbitrate: {
      actor: ACTORS.districtShiftLead,
      payload: { leadDepartmentId: DEPTS.other, ruling: '由房管部门牵头' },
      case: { ownerLevel: 'district', ownerCode: CODES.district },
    },
    supervise: { actor: ACTORS.leader, payload: { note: '请尽快处置' } },
    comment: { actor: ACTORS.streetDispatcher, payload: { text: '已电话联系' } },
    follow_up: { actor: ACTORS.citizen, payload: { satisfaction: 'satisfied' } },
    reopen: { actor: ACTORS.streetShiftLead, payload: { reason: '市民回访不满意' } },
  };

describe('state × action matrix', () => {
  for (const state of CASE_STATE_LIST) {
    it(`${state} allows exactly ${EXPECTED[state].join(', ')}`, () => {
      expect([...actionsFrom(state)].sort()).toEqual([...EXPECTED[state]].sort());
      for (const action of CASE_ACTION_LIST) {
        const setup = action === 'report' ? SETUP.comment : SETUP[action];
        const result = transition(
          buildCase({ state, ...setup.case }),
          action,
          setup.payload,
          setup.actor,
          NOW,
          FACTS,
        );
        const expected = EXPECTED[state].includes(action) ? 'ok' : 'invalid_transition';
        expect(result.ok ? 'ok' : result.error.code, `${state} × ${action}`).toBe(expected);
      }
    });
  }
});

/** Who may take each action, written out by hand: the roles that succeed when placed on the case. */
const EXPECTED_ROLES: Record<CaseTransitionAction, readonly Role[]> = {
  request_verification: ['dispatcher', 'shift_lead'],
  submit_verification: ['patroller'],
  register: ['dispatcher', 'shift_lead'],
  reject: ['shift_lead'],
  merge: ['dispatcher', 'shift_lead'],
  dispatch: ['dispatcher', 'shift_lead'],
  handle_locally: ['station_operator'],
  sign: dept,
  return: dept,
  request_extension: dept,
  approve_extension: ['shift_lead'],
  deny_extension: ['shift_lead'],
  request_suspension: dept,
  approve_suspension: ['shift_lead'],
  deny_suspension: ['shift_lead'],
  resume: ['shift_lead', ...dept],
  handle: dept,
  assist_feedback: dept,
  assign_check: ['dispatcher', 'shift_lead'],
  submit_check: ['patroller'],
  close: ['shift_lead'],
  cancel: ['shift_lead'],
  escalate: ['shift_lead'],
  arbitrate: ['shift_lead'],
  supervise: ['leader'],
  comment: ROLES,
  follow_up: ['dispatcher', 'shift_lead', 'citizen'],
  reopen: ['shift_lead'],
};

/** An actor of the role in the best position to act on the case (its centre, lead department, assignee…). */
function placed(role: Role, c: CaseSnapshot): Actor {
  switch (role) {
    case 'patroller':
      return ACTORS.patroller;
    case 'coordinator':
    case 'station_operator':
      return actor(role, { kind: 'region', level: 'committee', code: CODES.committee });
    case 'dispatcher':
    case 'shift_lead':
      return c.ownerLevel === 'committee'
        ? actor(role, { kind: 'region', level: 'street', code: CODES.street })
        : actor(role, { kind: 'region', level: c.ownerLevel, code: c.ownerCode });
    case 'dept_handler':
    case 'dept_lead':
    case 'police':
      return actor(role, { kind: 'department', id: DEPTS.lead });
    case 'leader':
    case 'admin':
      return actor(role, { kind: 'region', level: 'district', code: CODES.district });
    case 'citizen':
      return ACTORS.citizen;
    case 'system':
      return SYSTEM_ACTOR;
  }
}

const firstState = (action: CaseAction): CaseState =>
  CASE_STATE_LIST.find((s) => EXPECTED[s].includes(action))!;

describe('roles', () => {
  for (const action of CASE_ACTION_LIST) {
    if (action === 'report') continue;
    it(`${action}: only ${EXPECTED_ROLES[action].join(', ')}`, () => {
      const c = buildCase({ state: firstState(action), ...SETUP[action].case });
      for (const role of ROLES) {
        const result = transition(c, action, SETUP[action].payload, placed(role, c), NOW, FACTS);
        const expected = EXPECTED_ROLES[action].includes(role) ? 'ok' : 'forbidden';
        expect(result.ok ? 'ok' : result.error.code, `${role} → ${action}`).toBe(expected);
      }
    });
  }

  it('at a committee work station the operator does intake and decisions, and nobody dispatches', () => {
    const committee = { ownerLevel: 'committee', ownerCode: CODES.committee } as const;
    const station: Partial<Record<CaseTransitionAction, readonly Role[]>> = {
      request_verification: ['station_operator'],
      register: ['station_operator'],
      reject: ['station_operator'],
      merge: ['station_operator'],
      assign_check: ['station_operator'],
      close: ['station_operator'],
      cancel: ['station_operator'],
      escalate: ['station_operator'],
      reopen: ['station_operator'],
      follow_up: ['station_operator', 'citizen'],
      dispatch: [],
    };
    for (const [action, roles] of Object.entries(station) as [CaseTransitionAction, Role[]][]) {
      const c = buildCase({ state: firstState(action), ...SETUP[action].case, ...committee });
      const payload = action === 'close' ? { note: '已化解' } : SETUP[action].payload;
      for (const role of ROLES) {
        const result = transition(c, action, payload, placed(role, c), NOW, FACTS);
        expect(result.ok ? 'ok' : result.error.code, `${role} → ${action}`).toBe(
          roles.includes(role) ? 'ok' : 'forbidden',
        );
      }
    }
  });
});

describe('allowedActions', () => {
  it('lists what a street dispatcher can do with a registered case of their street', () => {
    expect(allowedActions(buildCase(), ACTORS.streetDispatcher, NOW)).toEqual([
      'merge',
      'dispatch',
      'comment',
    ]);
    expect(allowedActions(buildCase(), ACTORS.streetShiftLead, NOW)).toEqual([
      'merge',
      'dispatch',
      'cancel',
      'escalate',
      'comment',
    ]);
  });

  it('lists nothing but comment for another street', () => {
    expect(allowedActions(buildCase(), ACTORS.otherStreetDispatcher, NOW)).toEqual(['comment']);
  });

  it('lists sign and return for the lead department, feedback for the assisting one', () => {
    const c = buildCase({ state: 'dispatched' });
    expect(allowedActions(c, ACTORS.leadHandler, NOW)).toEqual([
      'sign',
      'return',
      'assist_feedback',
      'comment',
    ]);
    expect(allowedActions(c, ACTORS.assistingHandler, NOW)).toEqual(['assist_feedback', 'comment']);
    expect(allowedActions(c, ACTORS.otherHandler, NOW)).toEqual(['comment']);
  });

  it('leaves out approvals when nothing is pending', () => {
    const c = buildCase({ state: 'in_progress' });
    expect(allowedActions(c, ACTORS.streetShiftLead, NOW)).toEqual(['cancel', 'escalate', 'comment']);
    const waiting = buildCase({
      state: 'in_progress',
      pendingRequests: [pendingRequest('extension', new Date(DUE))],
    });
    expect(allowedActions(waiting, ACTORS.streetShiftLead, NOW)).toEqual([
      'approve_extension',
      'deny_extension',
      'cancel',
      'escalate',
      'comment',
    ]);
  });

  it('agrees with transition for every state, action and actor', () => {
    for (const state of CASE_STATE_LIST) {
      for (const a of Object.values(ACTORS)) {
        const c = buildCase({ state });
        const allowed = allowedActions(c, a, NOW);
        for (const action of CASE_ACTION_LIST) {
          if (action === 'report') continue;
          const result = transition(c, action, SETUP[action].payload, a, NOW, FACTS);
          const passedChecks = result.ok || result.error.code === 'validation_failed';
          expect(allowed.includes(action), `${state} × ${action} by ${a.userId}`).toBe(passedChecks);
        }
      }
    }
  });
});
