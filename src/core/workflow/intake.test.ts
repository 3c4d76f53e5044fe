import { describe, expect, it } from 'vitest';
import type { Actor } from '../actor.ts';
import type { Result } from '../errors.ts';
import type { TransitionOutput } from './effects.ts';
import { ACTORS, buildCase, CODES, DEPTS, NOW } from './fixtures.ts';
import { absorbDuplicate, openCase, type OpenCaseInput } from './intake.ts';
import type { CategoryTraits } from './snapshot.ts';
import { transition } from './transition.ts';

const territory = {
  districtCode: CODES.district,
  streetCode: CODES.street,
  committeeCode: CODES.committee,
  gridCode: CODES.grid,
  policeDepartmentId: DEPTS.police,
};
const rubbish: CategoryTraits = { code: '0105', policeLinkage: 'none', stability: false };
const unrest: CategoryTraits = { code: '0901', policeLinkage: 'lead', stability: true };

const input = (report: unknown, category: CategoryTraits | null = rubbish): OpenCaseInput => ({
  caseId: 'case-9',
  territory,
  category,
  report,
});
const open = (report: unknown, actor: Actor, category: CategoryTraits | null = rubbish) =>
  openCase(input(report, category), actor, NOW);
const value = (r: Result<TransitionOutput>) => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

describe('openCase', () => {
  it('files a patrol report with the street, registration clock started', () => {
    const out = value(
      open({ source: 'patrol', description: '路边暴露垃圾', photos: ['p1'] }, ACTORS.patroller),
    );
    expect(out.next).toMatchObject({
      id: 'case-9',
      version: 1,
      state: 'reported',
      verification: 'not_required',
      ownerLevel: 'street',
      ownerCode: CODES.street,
      categoryCode: '0105',
      reporterIds: ['u-patroller'],
      deadline: { stage: 'register', dueAt: null },
    });
    expect(out.effects).toEqual([
      { kind: 'start_clock', stage: 'register' },
      {
        kind: 'notify',
        to: { kind: 'centre', level: 'street', code: CODES.street },
        topic: 'report',
        urgent: false,
        receipt: false,
      },
    ]);
    expect(out.events).toEqual([
      expect.objectContaining({
        caseId: 'case-9',
        action: 'report',
        fromState: null,
        toState: 'reported',
        at: NOW,
      }),
    ]);
  });

  it('refuses a citizen report in a stability category, not a staff one (DESIGN §4)', () => {
    const dispute: CategoryTraits = { code: '0603', policeLinkage: 'notify', stability: true };
    for (const category of [unrest, dispute]) {
      const refused = open({ source: 'citizen', description: '邻里纠纷' }, ACTORS.citizen, category);
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.error.code).toBe('validation_failed');
        expect(refused.error.details).toMatchObject({ reason: 'stability_category_not_public' });
      }
      // the system files Open311 requests as citizen reports: refused alike
      expect(code(open({ source: 'citizen', description: '纠纷' }, ACTORS.system, category))).toBe(
        'validation_failed',
      );
    }
    // without a category or in a public one the citizen may report; staff may use stability categories
    expect(code(open({ source: 'citizen', description: '楼道堆物' }, ACTORS.citizen, null))).toBe('ok');
    expect(code(open({ source: 'citizen', description: '楼道堆物' }, ACTORS.citizen, rubbish))).toBe('ok');
    expect(code(open({ source: 'hotline', description: '纠纷' }, ACTORS.streetDispatcher, dispute))).toBe(
      'ok',
    );
    expect(code(open({ source: 'patrol', description: '聚集' }, ACTORS.patroller, unrest))).toBe('ok');
  });

  it('sends citizen and hotline reports down the verification path', () => {
    const citizen = value(open({ source: 'citizen', description: '楼道堆物' }, ACTORS.citizen, null));
    expect(citizen.next).toMatchObject({
      verification: 'required',
      categoryCode: null,
      reporterIds: ['u-citizen'],
    });
    const hotline = value(
      open({ source: 'hotline', description: '12345 转办' }, ACTORS.streetDispatcher, null),
    );
    expect(hotline.next).toMatchObject({ verification: 'required', reporterIds: [] });
    expect(code(transition(citizen.next, 'register', {}, ACTORS.streetDispatcher, NOW))).toBe(
      'invalid_transition',
    );
    const sent = transition(
      citizen.next,
      'request_verification',
      { patrollerId: 'u-patroller' },
      ACTORS.streetDispatcher,
      NOW,
    );
    expect(code(sent)).toBe('ok');
  });

  it('goes straight to resolved when the patroller self-handled it, and closes as self-handled', () => {
    const report = {
      source: 'patrol',
      description: '共享单车倒伏',
      photos: ['before'],
      selfHandled: { result: '已扶正', afterPhotos: ['after'] },
    };
    const out = value(open(report, ACTORS.patroller));
    expect(out.next).toMatchObject({
      state: 'resolved',
      selfHandled: true,
      deadline: { stage: 'close', dueAt: null },
    });
    expect(out.effects[0]).toEqual({ kind: 'start_clock', stage: 'close' });
    const closed = transition(out.next, 'close', {}, ACTORS.streetShiftLead, NOW);
    expect(closed.ok && closed.value.next.closureType).toBe('self_handled');
  });

  it('refuses self-handling without photos, category, or by anyone but a patroller', () => {
    const self = { result: '已处理', afterPhotos: ['after'] };
    expect(code(open({ source: 'patrol', description: 'x', selfHandled: self }, ACTORS.patroller))).toBe(
      'validation_failed',
    );
    const noAfter = {
      source: 'patrol',
      description: 'x',
      photos: ['b'],
      selfHandled: { result: '已处理', afterPhotos: [] },
    };
    expect(code(open(noAfter, ACTORS.patroller))).toBe('validation_failed');
    const ok = { source: 'patrol', description: 'x', photos: ['b'], selfHandled: self };
    expect(code(open(ok, ACTORS.patroller, null))).toBe('validation_failed');
    const station = { source: 'station', description: 'x', photos: ['b'], selfHandled: self };
    expect(code(open(station, ACTORS.stationOperator))).toBe('validation_failed');
  });

  it('only lets each role report from its own source', () => {
    expect(code(open({ source: 'patrol', description: 'x' }, ACTORS.citizen))).toBe('forbidden');
    expect(code(open({ source: 'warning', description: 'x' }, ACTORS.streetDispatcher))).toBe('forbidden');
    expect(code(open({ source: 'warning', description: '群租风险预警' }, ACTORS.system))).toBe('ok');
    expect(code(open({ source: 'nowhere', description: 'x' }, ACTORS.system))).toBe('validation_failed');
  });

  it('sends a possible mass incident to the street and the police station at once, urgent, bypassing the committee', () => {
    const report = { source: 'patrol', description: '工地门口聚集讨薪人员约三十人', urgency: 'urgent' };
    const out = value(open(report, ACTORS.patroller, unrest));
    expect(out.next).toMatchObject({
      ownerLevel: 'street',
      urgency: 'urgent',
      priority: 'high',
      policeLinkage: 'lead',
    });
    expect(out.effects).toEqual([
      { kind: 'start_clock', stage: 'register' },
      {
        kind: 'notify',
        to: { kind: 'centre', level: 'street', code: CODES.street },
        topic: 'report',
        urgent: true,
        receipt: true,
      },
      {
        kind: 'notify',
        to: { kind: 'police_station', departmentId: DEPTS.police },
        topic: 'report',
        urgent: true,
        receipt: true,
      },
    ]);
    const selfHandled = { ...report, photos: ['b'], selfHandled: { result: '已劝散', afterPhotos: ['a'] } };
    expect(code(open(selfHandled, ACTORS.patroller, unrest))).toBe('validation_failed');
  });

  it("notifies the committee work station and the community police together for a coordinator's dispute report", () => {
    const out = value(
      open({ source: 'screening', description: '租客与房东纠纷' }, ACTORS.coordinator, unrest),
    );
    expect(out.next).toMatchObject({ ownerLevel: 'committee', ownerCode: CODES.committee });
    expect(out.effects.filter((e) => e.kind === 'notify')).toEqual([
      {
        kind: 'notify',
        to: { kind: 'centre', level: 'committee', code: CODES.committee },
        topic: 'report',
        urgent: false,
        receipt: true,
      },
      {
        kind: 'notify',
        to: { kind: 'community_police', committeeCode: CODES.committee },
        topic: 'report',
        urgent: false,
        receipt: true,
      },
    ]);
  });
});

describe('absorbDuplicate', () => {
  it("adds the duplicate's reporters to the open master and records the merge there", () => {
    const master = buildCase({ id: 'case-0', state: 'in_progress', reporterIds: ['u-patroller'] });
    const merged = transition(
      buildCase({ state: 'reported' }),
      'merge',
      { masterCaseId: 'case-0' },
      ACTORS.streetDispatcher,
      NOW,
    );
    if (!merged.ok) throw merged.error;
    const out = value(absorbDuplicate(master, merged.value.next, ACTORS.streetDispatcher, NOW));
    expect(out.next.reporterIds).toEqual(['u-patroller', 'u-citizen']);
    expect(out.changes).toEqual({ reporterIds: ['u-patroller', 'u-citizen'], version: 4 });
    expect(out.events[0]).toMatchObject({
      caseId: 'case-0',
      action: 'merge',
      fromState: 'in_progress',
      toState: 'in_progress',
    });
  });

  it('refuses a closed master or a case that was not merged into it', () => {
    const duplicate = buildCase({ state: 'rejected', mergedIntoCaseId: 'case-0' });
    expect(
      code(
        absorbDuplicate(
          buildCase({ id: 'case-0', state: 'closed' }),
          duplicate,
          ACTORS.streetDispatcher,
          NOW,
        ),
      ),
    ).toBe('invalid_transition');
    expect(code(absorbDuplicate(buildCase({ id: 'case-7' }), duplicate, ACTORS.streetDispatcher, NOW))).toBe(
      'invalid_transition',
    );
  });
});
