import { describe, expect, it } from 'vitest';
import {
  ACTORS,
  buildCase,
  CODES,
  DEPTS,
  FACTS,
  NOW,
  mustTransition as run,
  outcome as code,
  effectKinds as kinds,
} from './fixtures.ts';
import { transition } from './transition.ts';

const at = (iso: string) => new Date(iso);
const LATER = at('2026-03-10T11:00:00+08:00');

describe('the output of a transition', () => {
  it('increments the version, reports only changed fields and writes one event', () => {
    const out = run(buildCase(), 'dispatch', { leadDepartmentId: DEPTS.other }, ACTORS.streetDispatcher);
    expect(out.next.version).toBe(4);
    expect(out.changes).toEqual({
      state: 'dispatched',
      version: 4,
      leadDepartmentId: DEPTS.other,
      assistingDepartmentIds: [],
      deadline: { stage: 'sign', dueAt: null },
    });
    expect(out.events).toEqual([
      {
        caseId: 'case-1',
        action: 'dispatch',
        fromState: 'registered',
        toState: 'dispatched',
        at: NOW,
        actor: { userId: 'u-dispatcher', role: 'dispatcher', unit: ACTORS.streetDispatcher.unit },
        payload: { leadDepartmentId: DEPTS.other },
        stage: 'dispatch',
        overdue: false,
      },
    ]);
  });

  it('stops the running clock, starts the next, and marks a late stage overdue', () => {
    const c = buildCase({ deadline: { stage: 'dispatch', dueAt: at('2026-03-10T09:30:00+08:00') } });
    const out = run(c, 'dispatch', { leadDepartmentId: DEPTS.lead }, ACTORS.streetDispatcher);
    expect(out.effects.slice(0, 2)).toEqual([
      { kind: 'stop_clock', stage: 'dispatch', overdue: true },
      { kind: 'start_clock', stage: 'sign' },
    ]);
    expect(out.events[0]?.overdue).toBe(true);
    expect(out.next.overdue).toBe(true);
  });

  it('keeps the check clock running from handled into checking', () => {
    const c = buildCase({ state: 'handled', deadline: { stage: 'check', dueAt: LATER } });
    const out = run(c, 'assign_check', { patrollerId: 'u-patroller-2' }, ACTORS.streetDispatcher);
    expect(out.effects.filter((e) => e.kind.endsWith('_clock'))).toEqual([]);
    expect(out.next.deadline).toEqual({ stage: 'check', dueAt: LATER });
    expect(out.next.assigneeId).toBe('u-patroller-2');
    expect(out.effects).toContainEqual({
      kind: 'notify',
      to: { kind: 'user', userId: 'u-patroller-2' },
      topic: 'assign_check',
      urgent: false,
      receipt: false,
    });
  });

  it('does not touch clocks or state for a comment', () => {
    const out = run(buildCase({ state: 'closed' }), 'comment', { text: '补充说明' }, ACTORS.citizen);
    expect(out.changes).toEqual({ version: 4 });
    expect(out.effects).toEqual([]);
  });
});

describe('payload validation', () => {
  it('refuses a rejection without a reason, listing the problem', () => {
    const r = transition(
      buildCase({ state: 'reported' }),
      'reject',
      { reasonCode: 'invalid' },
      ACTORS.streetShiftLead,
      NOW,
    );
    expect(code(r)).toBe('validation_failed');
    if (!r.ok) expect(r.error.details?.problems).toEqual([expect.objectContaining({ path: '/' })]);
  });

  it('refuses blank text, unknown fields and photo-less handling', () => {
    const lead = ACTORS.leadHandler;
    const inProgress = buildCase({ state: 'in_progress' });
    expect(code(transition(inProgress, 'request_suspension', { reason: '   ' }, lead, NOW))).toBe(
      'validation_failed',
    );
    expect(code(transition(inProgress, 'handle', { result: '已清理', photos: [] }, lead, NOW))).toBe(
      'validation_failed',
    );
    expect(code(transition(inProgress, 'handle', { result: '已清理', photos: ['p'], x: 1 }, lead, NOW))).toBe(
      'validation_failed',
    );
  });

  it('refuses a lead department that also assists', () => {
    const payload = { leadDepartmentId: DEPTS.lead, assistingDepartmentIds: [DEPTS.lead] };
    expect(code(transition(buildCase(), 'dispatch', payload, ACTORS.streetDispatcher, NOW))).toBe(
      'validation_failed',
    );
  });

  it('checks the role before the payload', () => {
    expect(code(transition(buildCase(), 'dispatch', {}, ACTORS.leadHandler, NOW))).toBe('forbidden');
  });
});

describe('department coverage (issue 9 §6)', () => {
  const refusal = (r: ReturnType<typeof transition>) =>
    r.ok ? null : { code: r.error.code, ...(r.error.details as object) };

  it('dispatches only to departments that cover the case: another street’s units and police are refused', () => {
    const c = buildCase();
    const crossLead = { leadDepartmentId: DEPTS.otherStreet };
    expect(refusal(transition(c, 'dispatch', crossLead, ACTORS.streetShiftLead, NOW, FACTS))).toMatchObject({
      code: 'unprocessable',
      reason: 'outside_coverage',
      departments: [DEPTS.otherStreet],
    });
    const crossPolice = { leadDepartmentId: DEPTS.lead, assistingDepartmentIds: [DEPTS.otherPolice] };
    expect(
      refusal(transition(c, 'dispatch', crossPolice, ACTORS.streetDispatcher, NOW, FACTS)),
    ).toMatchObject({ code: 'unprocessable', reason: 'outside_coverage', departments: [DEPTS.otherPolice] });
    // a street's units, its committee's police station and a district bureau all cover it
    const fine = { leadDepartmentId: DEPTS.lead, assistingDepartmentIds: [DEPTS.police, DEPTS.bureau] };
    expect(run(c, 'dispatch', fine, ACTORS.streetDispatcher).next.state).toBe('dispatched');
  });

  it('a police station covering one committee does not cover the street’s other committees', () => {
    const elsewhere = buildCase({ committeeCode: `${CODES.street}009`, gridCode: `${CODES.street}00901` });
    const payload = { leadDepartmentId: DEPTS.lead, assistingDepartmentIds: [DEPTS.police] };
    expect(code(transition(elsewhere, 'dispatch', payload, ACTORS.streetDispatcher, NOW, FACTS))).toBe(
      'unprocessable',
    );
  });

  it('fails closed: a department whose coverage was not looked up covers nothing', () => {
    const payload = { leadDepartmentId: DEPTS.lead };
    expect(code(transition(buildCase(), 'dispatch', payload, ACTORS.streetDispatcher, NOW))).toBe(
      'unprocessable',
    );
  });

  it('the district’s ruling (裁定) may cross coverage, and the event names who is outside it', () => {
    const c = buildCase({ ownerLevel: 'district', ownerCode: CODES.district, awaitingArbitration: true });
    const payload = { leadDepartmentId: DEPTS.otherStreet, ruling: '七宝房管办熟悉该产权单位，由其牵头' };
    expect(
      code(
        transition(
          c,
          'dispatch',
          { leadDepartmentId: DEPTS.otherStreet },
          ACTORS.districtShiftLead,
          NOW,
          FACTS,
        ),
      ),
    ).toBe('unprocessable');
    const out = run(c, 'arbitrate', payload, ACTORS.districtShiftLead);
    expect(out.next.leadDepartmentId).toBe(DEPTS.otherStreet);
    expect(out.events[0]!.payload).toMatchObject({ outsideCoverage: [DEPTS.otherStreet] });
    expect(
      run(c, 'arbitrate', { leadDepartmentId: DEPTS.lead, ruling: '裁定' }, ACTORS.districtShiftLead)
        .events[0]!.payload,
    ).not.toHaveProperty('outsideCoverage');
  });
});

describe('assignment', () => {
  it('lets only the owning street dispatch', () => {
    const payload = { leadDepartmentId: DEPTS.lead };
    expect(code(transition(buildCase(), 'dispatch', payload, ACTORS.otherStreetDispatcher, NOW))).toBe(
      'forbidden',
    );
    expect(code(transition(buildCase(), 'dispatch', payload, ACTORS.districtDispatcher, NOW))).toBe(
      'forbidden',
    );
  });

  it('lets only the lead department handle, and lead or assisting give feedback', () => {
    const c = buildCase({ state: 'in_progress' });
    const handle = { result: '已处置', photos: ['p'] };
    expect(code(transition(c, 'handle', handle, ACTORS.assistingHandler, NOW))).toBe('forbidden');
    expect(code(transition(c, 'assist_feedback', { feedback: '已配合' }, ACTORS.otherHandler, NOW))).toBe(
      'forbidden',
    );
    const out = run(c, 'assist_feedback', { feedback: '已配合' }, ACTORS.assistingHandler);
    expect(out.next.state).toBe('in_progress');
    expect(kinds(out)).toEqual(['notify:department']);
  });

  it('lets only the patroller sent to check submit the check, and only reporters rate', () => {
    const c = buildCase({ state: 'checking' });
    expect(code(transition(c, 'submit_check', { passed: true }, ACTORS.otherPatroller, NOW))).toBe(
      'forbidden',
    );
    const closed = buildCase({ state: 'closed' });
    const rating = { satisfaction: 'satisfied' };
    expect(code(transition(closed, 'follow_up', rating, ACTORS.otherCitizen, NOW))).toBe('forbidden');
    expect(code(transition(closed, 'comment', { text: '?' }, ACTORS.otherCitizen, NOW))).toBe('forbidden');
  });
});

describe('verification (核实)', () => {
  const citizenReport = buildCase({
    state: 'reported',
    source: 'citizen',
    verification: 'required',
    assigneeId: null,
  });

  it('must confirm a citizen report before it can be registered', () => {
    expect(code(transition(citizenReport, 'register', {}, ACTORS.streetDispatcher, NOW))).toBe(
      'invalid_transition',
    );
    const sent = run(
      citizenReport,
      'request_verification',
      { patrollerId: 'u-patroller' },
      ACTORS.streetDispatcher,
    );
    expect(sent.next).toMatchObject({ state: 'verifying', assigneeId: 'u-patroller' });
    expect(sent.effects.slice(0, 2)).toEqual([
      { kind: 'stop_clock', stage: 'register', overdue: false },
      { kind: 'start_clock', stage: 'verify' },
    ]);
    const confirmed = run(
      sent.next,
      'submit_verification',
      { confirmed: true, photos: ['p'] },
      ACTORS.patroller,
    );
    expect(confirmed.next).toMatchObject({ state: 'reported', verification: 'confirmed', assigneeId: null });
    expect(confirmed.events[0]?.stage).toBe('verify');
    const registered = run(confirmed.next, 'register', {}, ACTORS.streetDispatcher);
    expect(registered.next.state).toBe('registered');
  });

  it('needs a note when not confirmed, and then only allows rejection', () => {
    const sent = run(
      citizenReport,
      'request_verification',
      { patrollerId: 'u-patroller' },
      ACTORS.streetDispatcher,
    );
    expect(
      code(transition(sent.next, 'submit_verification', { confirmed: false }, ACTORS.patroller, NOW)),
    ).toBe('validation_failed');
    const no = run(
      sent.next,
      'submit_verification',
      { confirmed: false, note: '现场未发现' },
      ACTORS.patroller,
    );
    expect(code(transition(no.next, 'register', {}, ACTORS.streetDispatcher, NOW))).toBe(
      'invalid_transition',
    );
    const rejected = run(
      no.next,
      'reject',
      { reasonCode: 'invalid', reason: '核实不属实' },
      ACTORS.streetShiftLead,
    );
    expect(rejected.next.state).toBe('rejected');
    expect(rejected.effects).toContainEqual(
      expect.objectContaining({ kind: 'notify', to: { kind: 'reporters' } }),
    );
  });

  it('needs a category to register and takes a new one from the payload', () => {
    const c = buildCase({ state: 'reported', categoryCode: null });
    expect(code(transition(c, 'register', {}, ACTORS.streetDispatcher, NOW))).toBe('validation_failed');
    const payload = { category: { code: '0301', policeLinkage: 'notify' }, urgency: 'urgent' };
    const out = run(c, 'register', payload, ACTORS.streetDispatcher);
    expect(out.next).toMatchObject({
      categoryCode: '0301',
      policeLinkage: 'notify',
      urgency: 'urgent',
      priority: 'high',
    });
  });
});

describe('dispatch, sign and return (退回)', () => {
  it('notifies lead and assisting departments with receipts, and the police when the category says so', () => {
    const c = buildCase({ policeLinkage: 'notify', leadDepartmentId: null, assistingDepartmentIds: [] });
    const out = run(
      c,
      'dispatch',
      { leadDepartmentId: DEPTS.lead, assistingDepartmentIds: [DEPTS.assisting] },
      ACTORS.streetDispatcher,
    );
    const notices = out.effects.filter((e) => e.kind === 'notify');
    expect(notices.map((n) => n.to)).toEqual([
      { kind: 'department', id: DEPTS.lead },
      { kind: 'department', id: DEPTS.assisting },
      { kind: 'police_station', departmentId: DEPTS.police },
    ]);
    expect(notices.every((n) => n.receipt)).toBe(true);
  });

  it('sign starts the handling clock', () => {
    const out = run(buildCase({ state: 'dispatched' }), 'sign', {}, ACTORS.leadDeptLead);
    expect(out.next.state).toBe('in_progress');
    expect(kinds(out)).toEqual(['stop_clock', 'start_clock']);
    expect(out.next.deadline).toEqual({ stage: 'handle', dueAt: null });
  });

  it('a return goes back to registered, clears the departments and is counted', () => {
    const c = buildCase({ state: 'dispatched', counters: { ...buildCase().counters, returns: 1 } });
    const out = run(c, 'return', { reason: '不属于本部门职责' }, ACTORS.leadHandler);
    expect(out.next).toMatchObject({
      state: 'registered',
      leadDepartmentId: null,
      assistingDepartmentIds: [],
    });
    expect(out.next.counters.returns).toBe(2);
    expect(out.effects.slice(0, 2)).toEqual([
      { kind: 'stop_clock', stage: 'sign', overdue: false },
      { kind: 'start_clock', stage: 'dispatch' },
    ]);
  });
});

describe('report', () => {
  it('is not an action on an existing case', () => {
    const r = transition(buildCase({ state: 'reported' }), 'report', {}, ACTORS.patroller, NOW);
    expect(code(r)).toBe('invalid_transition');
  });
});
