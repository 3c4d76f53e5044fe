// Exception paths of the workflow: extension, suspension, rework, closure, escalation, merge…
import { describe, expect, it } from 'vitest';
import {
  ACTORS,
  buildCase,
  CODES,
  DEPTS,
  NOW,
  pendingRequest,
  mustTransition as run,
  outcome as code,
  effectKinds as kinds,
} from './fixtures.ts';
import type { CaseSnapshot } from './snapshot.ts';
import { transition } from './transition.ts';

const at = (iso: string) => new Date(iso);
const LATER = at('2026-03-10T11:00:00+08:00');

describe('extension (延期) and suspension (挂账)', () => {
  const inProgress = buildCase({
    state: 'in_progress',
    deadline: { stage: 'handle', dueAt: at('2026-03-12T17:30:00+08:00') },
  });
  const lead = ACTORS.leadHandler;
  const shiftLead = ACTORS.streetShiftLead;

  it('approves an extension: the deadline moves', () => {
    const asked = run(
      inProgress,
      'request_extension',
      { reason: '需协调', requestedDueAt: '2026-03-20T17:30:00+08:00' },
      lead,
    );
    expect(asked.next.pendingRequests).toEqual([
      {
        kind: 'extension',
        departmentId: DEPTS.lead,
        requestedBy: lead.userId,
        reason: '需协调',
        requestedDueAt: at('2026-03-20T17:30:00+08:00'),
        at: NOW,
      },
    ]);
    expect(
      code(
        transition(
          asked.next,
          'request_extension',
          { reason: '再次', requestedDueAt: '2026-03-21T17:30:00+08:00' },
          lead,
          NOW,
        ),
      ),
    ).toBe('invalid_transition');
    const approved = run(asked.next, 'approve_extension', {}, shiftLead);
    const dueAt = at('2026-03-20T17:30:00+08:00');
    expect(approved.next.pendingRequests).toEqual([]);
    expect(approved.next.deadline).toEqual({ stage: 'handle', dueAt });
    expect(approved.effects[0]).toEqual({ kind: 'extend_clock', stage: 'handle', dueAt });
    const granted = run(asked.next, 'approve_extension', { dueAt: '2026-03-18T17:30:00+08:00' }, shiftLead);
    expect(granted.next.deadline?.dueAt).toEqual(at('2026-03-18T17:30:00+08:00'));
  });

  it('refuses an extension that does not extend, and a second request while one waits', () => {
    const earlier = { reason: '需协调', requestedDueAt: '2026-03-11T17:30:00+08:00' };
    expect(code(transition(inProgress, 'request_extension', earlier, lead, NOW))).toBe('validation_failed');
    const past = { reason: '需协调', requestedDueAt: '2026-03-01T17:30:00+08:00' };
    expect(code(transition(inProgress, 'request_extension', past, lead, NOW))).toBe('validation_failed');
  });

  it('denies an extension: the request goes, the deadline stays', () => {
    const c = {
      ...inProgress,
      pendingRequests: [pendingRequest('extension', at('2026-03-20T17:30:00+08:00'))],
    };
    const out = run(c, 'deny_extension', { reason: '理由不充分' }, shiftLead);
    expect(out.next.pendingRequests).toEqual([]);
    expect(out.next.deadline).toEqual(inProgress.deadline);
    expect(code(transition(out.next, 'approve_extension', {}, shiftLead, NOW))).toBe('invalid_transition');
  });

  it('suspends with the clock paused, resumes it, and a department may resume too', () => {
    const asked = run(inProgress, 'request_suspension', { reason: '需规划部门决定' }, lead);
    const suspended = run(asked.next, 'approve_suspension', {}, shiftLead);
    expect(suspended.next).toMatchObject({ state: 'suspended', pendingRequests: [], deadline: null });
    expect(kinds(suspended)).toEqual(['pause_clock', 'notify:department']);
    const resumed = run(suspended.next, 'resume', {}, shiftLead);
    expect(resumed.next).toMatchObject({ state: 'in_progress', deadline: { stage: 'handle', dueAt: null } });
    expect(kinds(resumed)).toEqual(['resume_clock', 'notify:department']);
    expect(kinds(run(suspended.next, 'resume', {}, lead))).toEqual(['resume_clock', 'notify:centre']);
  });

  it('denies a suspension and stays in progress', () => {
    const c = { ...inProgress, pendingRequests: [pendingRequest('suspension')] };
    const out = run(c, 'deny_suspension', { reason: '可以处置' }, shiftLead);
    expect(out.next).toMatchObject({ state: 'in_progress', pendingRequests: [] });
  });

  it('settles pending requests when the department reports it handled', () => {
    const c = {
      ...inProgress,
      pendingRequests: [pendingRequest('extension', at('2026-03-20T17:30:00+08:00'))],
    };
    expect(run(c, 'handle', { result: '已处置', photos: ['p'] }, lead).next.pendingRequests).toEqual([]);
  });
});

describe('check (核查) and rework (返工)', () => {
  const checking = buildCase({ state: 'checking', deadline: { stage: 'check', dueAt: LATER } });

  it('a passed check resolves the case and starts the closing clock', () => {
    const out = run(checking, 'submit_check', { passed: true, photos: ['p'] }, ACTORS.patroller);
    expect(out.next).toMatchObject({ state: 'resolved', assigneeId: null });
    expect(kinds(out)).toEqual(['stop_clock', 'start_clock', 'notify:centre']);
  });

  it('a failed check needs a note, is counted and goes back to the department with a new handling clock', () => {
    expect(code(transition(checking, 'submit_check', { passed: false }, ACTORS.patroller, NOW))).toBe(
      'validation_failed',
    );
    const out = run(checking, 'submit_check', { passed: false, note: '垃圾未清运完毕' }, ACTORS.patroller);
    expect(out.next.state).toBe('in_progress');
    expect(out.next.counters.reworks).toBe(1);
    expect(out.effects.slice(0, 2)).toEqual([
      { kind: 'stop_clock', stage: 'check', overdue: false },
      { kind: 'start_clock', stage: 'handle' },
    ]);
    expect(out.effects).toContainEqual(
      expect.objectContaining({ kind: 'notify', to: { kind: 'department', id: DEPTS.lead } }),
    );
  });
});

describe('closing (结案)', () => {
  const shiftLead = ACTORS.streetShiftLead;
  const close = (c: CaseSnapshot, now = NOW) => run(c, 'close', {}, shiftLead, now).next.closureType;

  it('derives the closure type', () => {
    expect(close(buildCase({ state: 'resolved' }))).toBe('normal');
    expect(close(buildCase({ state: 'resolved', overdue: true }))).toBe('overdue');
    expect(
      close(
        buildCase({ state: 'resolved', deadline: { stage: 'close', dueAt: LATER } }),
        at('2026-03-10T12:00:00+08:00'),
      ),
    ).toBe('overdue');
    expect(close(buildCase({ state: 'resolved', selfHandled: true, overdue: true }))).toBe('self_handled');
  });

  it('closes a suspended case as special (特殊结案), with a note', () => {
    const c = buildCase({ state: 'suspended' });
    expect(code(transition(c, 'close', {}, shiftLead, NOW))).toBe('validation_failed');
    const out = run(c, 'close', { note: '纳入规划改造，特殊结案' }, shiftLead);
    expect(out.next.closureType).toBe('special');
    expect(out.effects[0]).toEqual({ kind: 'stop_clock', stage: 'handle', overdue: false });
  });

  it('cancels with a reason and tells everyone involved', () => {
    const out = run(buildCase({ state: 'in_progress' }), 'cancel', { reason: '重复立案' }, shiftLead);
    expect(out.next.state).toBe('cancelled');
    expect(kinds(out)).toEqual([
      'stop_clock',
      'notify:department',
      'notify:department',
      'notify:user',
      'notify:reporters',
    ]);
  });
});

describe('follow-up (回访) and reopen', () => {
  const closed = buildCase({ state: 'closed', closureType: 'normal' });

  it('records satisfaction and alerts the centre when unsatisfied', () => {
    const out = run(
      closed,
      'follow_up',
      { satisfaction: 'unsatisfied', note: '垃圾又堆起来了' },
      ACTORS.citizen,
    );
    expect(out.next).toMatchObject({ state: 'closed', satisfaction: 'unsatisfied' });
    expect(kinds(out)).toEqual(['notify:centre']);
  });

  it('reopens to registered, counted, with the departments cleared and the dispatch clock started', () => {
    const out = run(closed, 'reopen', { reason: '市民回访不满意' }, ACTORS.streetShiftLead);
    expect(out.next).toMatchObject({
      state: 'registered',
      closureType: null,
      leadDepartmentId: null,
      assistingDepartmentIds: [],
    });
    expect(out.next.counters.reopens).toBe(1);
    expect(out.effects[0]).toEqual({ kind: 'start_clock', stage: 'dispatch' });
  });
});

describe('escalation and arbitration (裁定)', () => {
  it('climbs committee → street → district and stops there', () => {
    const committee = buildCase({ state: 'registered', ownerLevel: 'committee', ownerCode: CODES.committee });
    const toStreet = run(committee, 'escalate', { reason: '居委无法解决' }, ACTORS.stationOperator);
    expect(toStreet.next).toMatchObject({
      ownerLevel: 'street',
      ownerCode: CODES.street,
      awaitingArbitration: false,
    });
    const toDistrict = run(toStreet.next, 'escalate', { reason: '部门职责争议' }, ACTORS.streetShiftLead);
    expect(toDistrict.next).toMatchObject({
      state: 'registered',
      ownerLevel: 'district',
      ownerCode: CODES.district,
      awaitingArbitration: true,
    });
    expect(toDistrict.next.counters.escalations).toBe(2);
    expect(kinds(toDistrict)).toEqual(['notify:centre']);
    expect(
      code(transition(toDistrict.next, 'escalate', { reason: '?' }, ACTORS.districtShiftLead, NOW)),
    ).toBe('invalid_transition');
    // the street no longer owns it
    expect(
      code(
        transition(
          toDistrict.next,
          'dispatch',
          { leadDepartmentId: DEPTS.lead },
          ACTORS.streetDispatcher,
          NOW,
        ),
      ),
    ).toBe('forbidden');
  });

  it('the district rules: re-dispatch to the ruled department, binding, optionally handed back', () => {
    const c = buildCase({
      state: 'in_progress',
      ownerLevel: 'district',
      ownerCode: CODES.district,
      awaitingArbitration: true,
    });
    const payload = {
      leadDepartmentId: DEPTS.other,
      assistingDepartmentIds: [DEPTS.lead],
      ruling: '由房管牵头',
      handBack: true,
    };
    const out = run(c, 'arbitrate', payload, ACTORS.districtShiftLead);
    expect(out.next).toMatchObject({
      state: 'dispatched',
      leadDepartmentId: DEPTS.other,
      assistingDepartmentIds: [DEPTS.lead],
      arbitrated: true,
      awaitingArbitration: false,
      ownerLevel: 'street',
      ownerCode: CODES.street,
    });
    expect(kinds(out)).toEqual([
      'stop_clock',
      'start_clock',
      'notify:department',
      'notify:department',
      'notify:department', // the assisting department that is no longer on the case
      'notify:centre',
    ]);
    // a ruled case cannot be returned
    const r = transition(out.next, 'return', { reason: '不是我们的' }, ACTORS.otherHandler, NOW);
    expect(code(r)).toBe('invalid_transition');
    expect(run(out.next, 'sign', {}, ACTORS.otherHandler).next.state).toBe('in_progress');
  });

  it('restarts the sign clock when a dispatched case is re-ruled', () => {
    const c = buildCase({ state: 'dispatched', ownerLevel: 'district', ownerCode: CODES.district });
    const out = run(
      c,
      'arbitrate',
      { leadDepartmentId: DEPTS.other, ruling: '裁定' },
      ACTORS.districtShiftLead,
    );
    expect(out.effects.slice(0, 2)).toEqual([
      { kind: 'stop_clock', stage: 'sign', overdue: false },
      { kind: 'start_clock', stage: 'sign' },
    ]);
  });

  it('only the district arbitrates', () => {
    const payload = { leadDepartmentId: DEPTS.other, ruling: '裁定' };
    expect(code(transition(buildCase(), 'arbitrate', payload, ACTORS.streetShiftLead, NOW))).toBe(
      'invalid_transition',
    );
    const district = buildCase({ ownerLevel: 'district', ownerCode: CODES.district });
    expect(code(transition(district, 'arbitrate', payload, ACTORS.streetShiftLead, NOW))).toBe('forbidden');
    expect(code(transition(district, 'arbitrate', payload, ACTORS.districtDispatcher, NOW))).toBe(
      'forbidden',
    );
  });
});

describe('supervision (督办)', () => {
  it('flags the case, raises priority one step (or to the level asked) and notifies urgently', () => {
    const out = run(buildCase({ state: 'in_progress' }), 'supervise', { note: '限期办结' }, ACTORS.leader);
    expect(out.next).toMatchObject({ supervised: true, priority: 'high', state: 'in_progress' });
    expect(out.next.counters.supervisions).toBe(1);
    expect(out.effects.every((e) => e.kind === 'notify' && e.urgent)).toBe(true);
    expect(kinds(out)).toEqual(['notify:centre', 'notify:department']);
    const again = run(out.next, 'supervise', { note: '再次督办' }, ACTORS.leader);
    expect(again.next.priority).toBe('critical');
    expect(run(again.next, 'supervise', { note: '三次' }, ACTORS.leader).next.priority).toBe('critical');
    expect(
      run(buildCase(), 'supervise', { note: '!', priority: 'critical' }, ACTORS.leader).next.priority,
    ).toBe('critical');
  });
});

describe('committee work station (小事不出居村)', () => {
  const committee = {
    ownerLevel: 'committee',
    ownerCode: CODES.committee,
    leadDepartmentId: null,
    assistingDepartmentIds: [],
  } as const;

  it('handles a minor case itself; a failed check comes back to the station', () => {
    const c = buildCase({ ...committee });
    const handled = run(c, 'handle_locally', { result: '已劝离', photos: ['p'] }, ACTORS.stationOperator);
    expect(handled.next.state).toBe('handled');
    const checking = run(
      handled.next,
      'assign_check',
      { patrollerId: 'u-patroller' },
      ACTORS.stationOperator,
    );
    const failed = run(
      checking.next,
      'submit_check',
      { passed: false, note: '摊贩又回来了' },
      ACTORS.patroller,
    );
    expect(failed.next.state).toBe('registered');
    expect(failed.next.counters.reworks).toBe(1);
  });
});

describe('merge (合并重复)', () => {
  it('ends a reported duplicate as rejected and a registered one as cancelled, keeping reporters', () => {
    const payload = { masterCaseId: 'case-0' };
    const reported = run(buildCase({ state: 'reported' }), 'merge', payload, ACTORS.streetDispatcher);
    expect(reported.next).toMatchObject({ state: 'rejected', mergedIntoCaseId: 'case-0' });
    expect(reported.effects).toContainEqual({
      kind: 'merge_into',
      masterCaseId: 'case-0',
      reporterIds: ['u-citizen'],
    });
    const registered = run(buildCase(), 'merge', payload, ACTORS.streetDispatcher);
    expect(registered.next.state).toBe('cancelled');
  });

  it('refuses to merge a case into itself', () => {
    const r = transition(buildCase(), 'merge', { masterCaseId: 'case-1' }, ACTORS.streetDispatcher, NOW);
    expect(code(r)).toBe('validation_failed');
  });
});
