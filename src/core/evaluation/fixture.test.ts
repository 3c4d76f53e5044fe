/**
 * A crafted month (November 2026) of 22 cases — four of them followed up (回访), one twice, one in December —
 * whose every indicator, composite score and grade was computed by hand (the working is in the comments) and written here as literal numbers. The event rows are written
 * out by a tiny builder of this file, never by the code under test.
 */
import { describe, expect, it } from 'vitest';
import {
  collectItems,
  scoreCounts,
  scoreUnits,
  type EvaluationEvent,
  type EvaluationItem,
  type UnitScore,
} from './compute.ts';
import { DEFAULT_SETTINGS, UNIT_KINDS, type EvaluationSettings, type UnitKind } from './definitions.ts';
import { beijingDay, parsePeriod } from './period.ts';
import { caseSegments, countsOfSums, itemsFromSegments, rollupSums } from './segments.ts';

const S1 = '310112001';
const S2 = '310112002';
const C1A = '310112001001';
const C1B = '310112001002';
const C2A = '310112002001';
const G1 = '31011200100101';
const G2 = '31011200100102';
const G4 = '31011200100201';
const G3 = '31011200200101';
const PLACE = {
  G1: [S1, C1A, G1],
  G2: [S1, C1A, G2],
  G4: [S1, C1B, G4],
  G3: [S2, C2A, G3],
} as const;

type Who = readonly [user: string, role: string, unit: string];
const p1: Who = ['p1', 'patroller', G1];
const p2: Who = ['p2', 'patroller', G3];
const cit: Who = ['cit', 'citizen', 'none'];
const hot: Who = ['hot', 'dispatcher', S1];
const i1: Who = ['i1', 'dispatcher', S1];
const L1: Who = ['L1', 'shift_lead', S1];
const d1: Who = ['d1', 'dispatcher', S1];
const h1: Who = ['h1', 'dept_handler', 'dept:D1'];
const h2: Who = ['h2', 'dept_handler', 'dept:D2'];
const sys: Who = ['system', 'system', '310112'];

const TO: Record<string, string> = {
  report: 'reported',
  request_verification: 'verifying',
  submit_verification: 'reported',
  register: 'registered',
  reject: 'rejected',
  dispatch: 'dispatched',
  return: 'registered',
  sign: 'in_progress',
  handle: 'handled',
  assign_check: 'checking',
  submit_check: 'resolved',
  close: 'closed',
  cancel: 'cancelled',
  request_suspension: 'in_progress',
  approve_suspension: 'suspended',
  resume: 'in_progress',
  overdue_escalation: 'in_progress',
  follow_up: 'closed',
};

/** A step: action, Beijing time `MM-DD HH:mm[:ss]` of 2026, actor, options. */
type Step = [
  action: string,
  when: string,
  who: Who,
  opts?: { late?: boolean; lead?: string; fail?: boolean; esc?: string; to?: string; sat?: string },
];

let nextId = 1;
const events: EvaluationEvent[] = [];
function kase(no: string, source: string, place: keyof typeof PLACE, steps: Step[]) {
  const [street, committee, grid] = PLACE[place];
  for (const [action, when, [user, role, unit], o = {}] of steps) {
    const time = when.length === 11 ? `${when}:00` : when;
    events.push({
      id: nextId++,
      caseId: `case-${no}`,
      caseNo: no,
      at: new Date(`2026-${time.slice(0, 5)}T${time.slice(6)}+08:00`),
      action,
      toState: o.to ?? (action === 'submit_check' && o.fail ? 'in_progress' : TO[action]!),
      actorUserId: user,
      actorRole: role,
      actorUnit: unit,
      stage: o.esc ? null : action === 'report' ? null : 'x',
      onTime: action === 'report' || action === 'overdue_escalation' ? null : !o.late,
      leadDepartmentId: o.lead ?? null,
      passed: action === 'submit_check' ? !o.fail : null,
      escalatedStage: o.esc ?? null,
      satisfaction: o.sat ?? null,
      source,
      street,
      committee,
      grid,
    });
  }
}

/** report → register → dispatch → sign → handle → assign check → check → close, on one day, all on time. */
const fullPath = (day: string, reporter: Who, lead: 'D1' | 'D2', checker: Who): Step[] => {
  const h = lead === 'D1' ? h1 : h2;
  return [
    ['report', `${day} 09:00`, reporter],
    ['register', `${day} 09:10`, L1],
    ['dispatch', `${day} 09:20`, d1, { lead }],
    ['sign', `${day} 09:40`, h],
    ['handle', `${day} 14:00`, h],
    ['assign_check', `${day} 14:10`, i1],
    ['submit_check', `${day} 15:00`, checker],
    ['close', `${day} 15:30`, L1],
  ];
};

kase('K01', 'patrol', 'G1', fullPath('11-03', p1, 'D1', p1));
kase('K02', 'patrol', 'G1', fullPath('11-05', p1, 'D1', p1));
kase('K03', 'patrol', 'G2', [
  ...fullPath('11-10', p1, 'D1', p1).slice(0, 4),
  ['handle', '11-12 09:00', h1, { late: true }],
  ['assign_check', '11-12 09:10', i1],
  ['submit_check', '11-12 10:00', p1],
  ['close', '11-12 10:30', L1],
]);
kase('K04', 'citizen', 'G1', [
  ['report', '11-06 09:00', cit],
  ['request_verification', '11-06 09:10', i1],
  ['submit_verification', '11-06 09:30', p1],
  ...fullPath('11-07', p1, 'D1', p1).slice(1),
  ['follow_up', '11-09 10:00', i1, { sat: 'satisfied' }],
]);
kase('K05', 'hotline', 'G3', [
  ['report', '11-08 09:00', hot],
  ['request_verification', '11-08 11:00', i1, { late: true }],
  ['submit_verification', '11-08 13:00', p2, { late: true }],
  ...fullPath('11-09', p2, 'D2', p2).slice(1),
  // 回访 twice: the later result wins
  ['follow_up', '11-10 10:00', i1, { sat: 'unsatisfied' }],
  ['follow_up', '11-12 10:00', cit, { sat: 'basically_satisfied' }],
]);
kase('K06', 'patrol', 'G1', [
  ['report', '11-11 09:00', p1],
  ['register', '11-11 09:10', L1],
  ['dispatch', '11-11 09:20', d1, { lead: 'D2' }],
  ['return', '11-11 10:00', h2],
  ['dispatch', '11-11 10:30', d1, { lead: 'D1' }],
  ['sign', '11-11 11:00', h1],
  ['handle', '11-12 09:00', h1],
  ['assign_check', '11-12 09:10', i1],
  ['submit_check', '11-12 10:00', p1],
  ['close', '11-12 10:30', L1],
]);
kase('K07', 'patrol', 'G1', [
  ...fullPath('11-13', p1, 'D1', p1).slice(0, 4),
  ['handle', '11-14 09:00', h1],
  ['assign_check', '11-14 09:10', i1],
  ['submit_check', '11-14 10:00', p1, { fail: true }],
  ['handle', '11-15 09:00', h1],
  ['assign_check', '11-15 09:10', i1],
  ['submit_check', '11-15 10:00', p1],
  ['close', '11-15 10:30', L1],
]);
kase('K08', 'patrol', 'G2', [...fullPath('11-17', p1, 'D1', p1).slice(0, 4), ['cancel', '11-20 09:00', L1]]);
kase('K09', 'patrol', 'G3', [
  ['report', '11-18 09:00', p2],
  ['reject', '11-18 09:30', L1],
]);
kase('K10', 'patrol', 'G1', [
  ...fullPath('11-10', p1, 'D1', p1).slice(0, 4),
  ['overdue_escalation', '11-18 09:00', sys, { esc: 'handle' }],
]);
// suspended across the month boundary (挂账 10-30 → resumed 11-03)
kase('K11', 'patrol', 'G3', [
  ...fullPath('10-28', p2, 'D2', p2).slice(0, 4),
  ['request_suspension', '10-29 09:00', h2],
  ['approve_suspension', '10-30 10:00', L1],
  ['resume', '11-03 09:00', L1],
  ['handle', '11-04 09:00', h2],
  ['assign_check', '11-04 09:10', i1],
  ['submit_check', '11-04 10:00', p2],
  ['close', '11-04 10:30', L1],
]);
// closed one second before Beijing midnight of 1 November: October's
kase('K12', 'patrol', 'G1', [
  ...fullPath('10-31', p1, 'D1', p1).slice(0, 7),
  ['close', '10-31 23:59:59', L1],
]);
// closed at Beijing midnight of 1 December: December's
kase('K13', 'patrol', 'G1', [
  ...fullPath('11-30', p1, 'D1', p1).slice(0, 6),
  ['submit_check', '11-30 23:00', p1],
  ['close', '12-01 00:00:00', L1],
]);
// self-handled (自行处置), reported at Beijing midnight of 1 November: November's
kase('K14', 'patrol', 'G3', [
  ['report', '11-01 00:00:00', p2, { to: 'resolved' }],
  ['close', '11-01 09:30', L1],
]);
// went overdue in October, handled late and closed in November
kase('K15', 'patrol', 'G2', [
  ...fullPath('10-20', p1, 'D1', p1).slice(0, 4),
  ['overdue_escalation', '10-28 09:00', sys, { esc: 'handle' }],
  ['handle', '11-02 09:00', h1, { late: true }],
  ['assign_check', '11-02 09:10', i1],
  ['submit_check', '11-02 10:00', p1],
  ['close', '11-02 10:30', L1],
]);
// suspended at the end of November, specially closed in December
kase('K16', 'citizen', 'G4', [
  ['report', '11-19 09:00', cit],
  ['request_verification', '11-19 09:10', i1],
  ['submit_verification', '11-19 09:40', p1],
  ['register', '11-19 10:00', L1],
  ['dispatch', '11-19 10:10', d1, { lead: 'D2' }],
  ['sign', '11-19 10:30', h2],
  ['request_suspension', '11-20 09:00', h2],
  ['approve_suspension', '11-20 10:00', L1],
  ['close', '12-05 10:00', L1],
]);
kase('K17', 'patrol', 'G1', [
  ['report', '11-06 09:00', p1],
  ['register', '11-06 09:10', L1],
  ['dispatch', '11-06 14:00', d1, { lead: 'D1', late: true }],
  ['sign', '11-06 14:30', h1],
  ['handle', '11-08 09:00', h1],
  ['assign_check', '11-08 09:10', i1],
  ['submit_check', '11-08 10:00', p1],
  ['close', '11-08 10:30', L1],
]);
kase('K18', 'hotline', 'G1', [
  ['report', '11-21 09:00', hot],
  ['request_verification', '11-21 09:10', i1],
  ['submit_verification', '11-21 09:40', p1],
  ['register', '11-21 13:00', L1, { late: true }],
  ['dispatch', '11-21 13:10', d1, { lead: 'D1' }],
  ['sign', '11-21 13:30', h1],
  ['handle', '11-22 09:00', h1],
  ['overdue_escalation', '11-22 12:00', sys, { esc: 'check', to: 'handled' }],
  ['assign_check', '11-22 12:10', i1],
  ['submit_check', '11-22 12:40', p1, { late: true }],
  ['close', '11-22 16:00', L1, { late: true }],
  ['follow_up', '11-23 10:00', i1, { sat: 'unsatisfied' }],
]);
kase('K19', 'patrol', 'G1', fullPath('11-24', p1, 'D1', p1));
kase('K20', 'patrol', 'G1', fullPath('11-25', p1, 'D2', p1));
kase('K21', 'citizen', 'G2', [
  ['report', '11-26 09:00', cit],
  ['request_verification', '11-26 09:05', i1],
  ['submit_verification', '11-26 09:08', p1],
  ...fullPath('11-27', p1, 'D2', p1).slice(1),
  // followed up in December: not November's
  ['follow_up', '12-01 10:00', cit, { sat: 'satisfied' }],
]);
kase('K22', 'patrol', 'G3', fullPath('11-26', p2, 'D2', p2));

const NOV = parsePeriod('2026-11')!;
const OCT = parsePeriod('2026-10')!;
const AS_OF = new Date('2027-06-01T00:00:00Z');
const settings: EvaluationSettings = { ...DEFAULT_SETTINGS, minDenominator: 4 };
const items = collectItems(events, NOV, AS_OF);

/** unit → [indicator → [numerator, denominator]], composite, grade, rank, small */
function table(kind: UnitKind, previous?: ReadonlyMap<string, number | null>) {
  return Object.fromEntries(
    scoreUnits(items, kind, settings, { previous }).map((s: UnitScore) => [
      s.unit,
      {
        nd: Object.fromEntries(s.indicators.map((v) => [v.id, [v.numerator, v.denominator]])),
        composite: s.composite,
        grade: s.grade,
        rank: s.rank,
        small: s.small,
        change: s.change,
      },
    ]),
  );
}

describe('the hand-computed month (November 2026)', () => {
  it('streets', () => {
    // S1 = G1 + G2 + G4. Reports in Nov: G1 11 (public K04 K18), G2 3 (K21), G4 1 (K16) → 4/15.
    // Due: G1 K01 K02 K04 K06 K07 K10(overdue open) K17 K18 K19 K20; G2 K03 K15 K21 → 13,
    // closed 12, on time K01 K02 K04 K06 K07 K19 K20 K21 → 8.
    // 满意率: K04 satisfied, K18 unsatisfied (K21's follow-up is December's) → 1/2.
    // composite = (16·11/15 + 24·12/13 + 40·8/13 + 20·1/2) / 100
    //           = 11.7333 + 22.1538 + 24.6154 + 10 = 68.5026 → 68.50 C
    // S2 = G3: reports K05(hotline) K09 K14 K22 → 1/4; due K05(late) K11 K14 K22 → 4, closed 4, on time 3;
    // 满意率: K05 unsatisfied then basically satisfied, the later wins → 1/1.
    // composite = 16·0.75 + 24·1 + 40·0.75 + 20·1 = 12 + 24 + 30 + 20 = 86 B
    // October (no follow-ups, weight 20 left out): S1 reports K12 K15 (0 public); due K12 (on time) + K15
    // (overdue open) → (16 + 12 + 20) / 80 = 60; S2 reports K11 → 100 (nothing due).
    // Change: 68.50 − 60 = 8.5; 86 − 100 = −14.
    const octItems = collectItems(events, OCT, AS_OF);
    const oct = new Map(scoreUnits(octItems, 'street', settings).map((s) => [s.unit, s.composite]));
    expect(Object.fromEntries(oct)).toEqual({ [S1]: 60, [S2]: 100 });
    expect(table('street', oct)).toEqual({
      [S1]: {
        nd: {
          public_report_rate: [4, 15],
          closure_rate: [12, 13],
          on_time_closure_rate: [8, 13],
          satisfaction_rate: [1, 2],
        },
        composite: 68.5,
        grade: 'C',
        rank: 2,
        small: false,
        change: 8.5,
      },
      [S2]: {
        nd: {
          public_report_rate: [1, 4],
          closure_rate: [4, 4],
          on_time_closure_rate: [3, 4],
          satisfaction_rate: [1, 1],
        },
        composite: 86,
        grade: 'B',
        rank: 1,
        small: false,
        change: -14,
      },
    });
  });

  it('committees and grids (small samples flagged, not ranked)', () => {
    // C1a = G1 + G2: public 3/14, due 13, closed 12, on time 8, satisfied 1/2:
    // 16·11/14 + 24·12/13 + 40·8/13 + 20·1/2 = 12.5714 + 22.1538 + 24.6154 + 10 = 69.34 C
    // C1b = G4: one public report, nothing due → composite 0 (E), size 1 → flagged
    expect(table('committee')).toEqual({
      [C2A]: {
        nd: {
          public_report_rate: [1, 4],
          closure_rate: [4, 4],
          on_time_closure_rate: [3, 4],
          satisfaction_rate: [1, 1],
        },
        composite: 86,
        grade: 'B',
        rank: 1,
        small: false,
        change: null,
      },
      [C1A]: {
        nd: {
          public_report_rate: [3, 14],
          closure_rate: [12, 13],
          on_time_closure_rate: [8, 13],
          satisfaction_rate: [1, 2],
        },
        composite: 69.34,
        grade: 'C',
        rank: 2,
        small: false,
        change: null,
      },
      [C1B]: {
        nd: {
          public_report_rate: [1, 1],
          closure_rate: [0, 0],
          on_time_closure_rate: [0, 0],
          satisfaction_rate: [0, 0],
        },
        composite: 0,
        grade: 'E',
        rank: null,
        small: true,
        change: null,
      },
    });
    // G1: public 2/11, due 10, closed 9, on time 7, satisfied 1/2 (K04, K18):
    // 16·9/11 + 24·0.9 + 40·0.7 + 20·0.5 = 13.0909 + 21.6 + 28 + 10 = 72.69 C
    // G2: public 1/3, due 3 (K03 late, K15 late, K21), closed 3, on time 1, no follow-up in November:
    // (16·2/3 + 24 + 40/3) / 80 = 48 / 80 = 60 C, size 3
    const grids = table('grid');
    expect(grids[G1]).toMatchObject({ composite: 72.69, grade: 'C', rank: 2, small: false });
    expect(grids[G1]!.nd).toEqual({
      public_report_rate: [2, 11],
      closure_rate: [9, 10],
      on_time_closure_rate: [7, 10],
      satisfaction_rate: [1, 2],
    });
    expect(grids[G2]).toMatchObject({ composite: 60, grade: 'C', rank: null, small: true });
    expect(grids[G2]!.nd).toEqual({
      public_report_rate: [1, 3],
      closure_rate: [3, 3],
      on_time_closure_rate: [1, 3],
      satisfaction_rate: [0, 0],
    });
    expect(grids[G3]).toMatchObject({ composite: 86, grade: 'B', rank: 1 });
    expect(grids[G4]).toMatchObject({ composite: 0, grade: 'E', rank: null, small: true });
  });

  it('departments', () => {
    // D1 handling reports: K01 K02 K03(late) K04 K06 K07×2 K13 K15(late) K17 K18 K19 = 12, + K10 overdue
    // unhandled = 13; on time 10; closed by the end: all but K13 and K10 = 11; rework K07 = 1.
    // composite = 50·10/13 + 20·11/13 + 30·12/13 = 1080/13 = 83.08 B
    // D2: K05 K11 K20 K21 K22 all on time and closed, no rework → 100 A (K06 was returned by D2: not counted)
    expect(table('department')).toEqual({
      D2: {
        nd: { on_time_handling_rate: [5, 5], dept_closure_rate: [5, 5], rework_rate: [0, 5] },
        composite: 100,
        grade: 'A',
        rank: 1,
        small: false,
        change: null,
      },
      D1: {
        nd: { on_time_handling_rate: [10, 13], dept_closure_rate: [11, 13], rework_rate: [1, 13] },
        composite: 83.08,
        grade: 'B',
        rank: 2,
        small: false,
        change: null,
      },
    });
  });

  it('patrollers', () => {
    // p1: reports K01 K02 K03 K06 K07 K08 K10 K13 K17 K19 K20 = 11, none rejected; verifications K04 K16 K18
    // K21 = 4 on time; checks K01 K02 K03 K04 K06 K07×2 K13 K15 K17 K18(late) K19 K20 K21 = 14, 13 on time;
    // own grid G1: 11 reports, 2 public.
    // composite = 40 + 20 + 20·13/14 + 20·9/11 = 40 + 20 + 18.5714 + 16.3636 = 94.94 A
    // p2: reports K09(rejected) K14 K22 → 2/3; verification K05 late → 0/1; checks K05 K11 K22 → 3/3;
    // grid G3: 1 public of 4. composite = 40·2/3 + 0 + 20 + 20·0.75 = 26.6667 + 20 + 15 = 61.67 C
    expect(table('patroller')).toEqual({
      p1: {
        nd: {
          valid_report_rate: [11, 11],
          on_time_verification_rate: [4, 4],
          on_time_check_rate: [13, 14],
          missed_report_rate: [2, 11],
        },
        composite: 94.94,
        grade: 'A',
        rank: 1,
        small: false,
        change: null,
      },
      p2: {
        nd: {
          valid_report_rate: [2, 3],
          on_time_verification_rate: [0, 1],
          on_time_check_rate: [3, 3],
          missed_report_rate: [1, 4],
        },
        composite: 61.67,
        grade: 'C',
        rank: 2,
        small: false,
        change: null,
      },
    });
  });

  it('intake, shift lead and dispatcher', () => {
    // i1: verifications sent K04 K05(late) K16 K18 K21 → 4/5; checks sent: 17 (K07 twice), K18 after the
    // check-stage escalation → 16/17. composite = 50·0.8 + 50·16/17 = 40 + 47.0588 = 87.06 B
    expect(table('intake')).toEqual({
      i1: {
        nd: { verification_dispatch_rate: [4, 5], check_dispatch_rate: [16, 17] },
        composite: 87.06,
        grade: 'B',
        rank: 1,
        small: false,
        change: null,
      },
    });
    // L1: registrations 17 (K18 late; K08 cancelled) → 16/17, 16/17; closings 16 (K18 late) → 15/16.
    // composite = 30·16/17 + 40·16/17 + 30·15/16 = 65.8824 + 28.125 = 94.01 A
    expect(table('shift_lead')).toEqual({
      L1: {
        nd: {
          on_time_registration_rate: [16, 17],
          accurate_registration_rate: [16, 17],
          on_time_closing_rate: [15, 16],
        },
        composite: 94.01,
        grade: 'A',
        rank: 1,
        small: false,
        change: null,
      },
    });
    // d1: dispatches 18 (K06 twice; K17 late; K06's first returned) → 17/18, 17/18 → 94.44 A
    expect(table('dispatcher')).toEqual({
      d1: {
        nd: { on_time_dispatch_rate: [17, 18], accurate_dispatch_rate: [17, 18] },
        composite: 94.44,
        grade: 'A',
        rank: 1,
        small: false,
        change: null,
      },
    });
  });

  it('the drill-down of 按期结案率 for S1 lists the cases with their reasons', () => {
    const list = items.filter(
      (i) => i.kind === 'street' && i.unit === S1 && i.indicator === 'on_time_closure_rate',
    );
    const reasons = Object.fromEntries(list.map((i) => [i.caseNo, i.reason]));
    expect(reasons).toEqual({
      K01: 'closed_on_time',
      K02: 'closed_on_time',
      K03: 'closed_late',
      K04: 'closed_on_time',
      K06: 'closed_on_time',
      K07: 'closed_on_time',
      K10: 'overdue_open',
      K15: 'closed_late',
      K17: 'closed_late',
      K18: 'closed_late',
      K19: 'closed_on_time',
      K20: 'closed_on_time',
      K21: 'closed_on_time',
    });
    expect(
      list
        .filter((i) => i.numerator)
        .map((i) => i.caseNo)
        .sort(),
    ).toEqual(['K01', 'K02', 'K04', 'K06', 'K07', 'K19', 'K20', 'K21']);
  });

  it('the drill-down of 满意率 lists the last follow-up of each case in the period', () => {
    const of = (unit: string) =>
      items
        .filter((i) => i.kind === 'street' && i.unit === unit && i.indicator === 'satisfaction_rate')
        .map((i) => [i.caseNo, i.reason, i.numerator, i.at.toISOString()]);
    expect(of(S1)).toEqual([
      ['K04', 'satisfied', true, '2026-11-09T02:00:00.000Z'],
      ['K18', 'unsatisfied', false, '2026-11-23T02:00:00.000Z'],
    ]);
    expect(of(S2)).toEqual([['K05', 'basically_satisfied', true, '2026-11-12T02:00:00.000Z']]);
    // December: K21's follow-up
    const dec = collectItems(events, parsePeriod('2026-12')!, AS_OF).filter(
      (i) => i.kind === 'grid' && i.indicator === 'satisfaction_rate',
    );
    expect(dec.map((i) => [i.unit, i.caseNo, i.reason])).toEqual([[G2, 'K21', 'satisfied']]);
  });

  it('is the same over the same log in any order, and ignores what came after the period', () => {
    const shuffled = [...events].reverse();
    expect(collectItems(shuffled, NOV, AS_OF).length).toBe(items.length);
    expect(scoreUnits(collectItems(shuffled, NOV, AS_OF), 'street', settings)).toEqual(
      scoreUnits(items, 'street', settings),
    );
    // evaluated on 20 November (as of), K10's escalation of the 18th is in, K16's suspension is not yet
    const mid = scoreUnits(
      collectItems(events, NOV, new Date('2026-11-19T16:00:00Z')),
      'department',
      settings,
    );
    expect(mid.find((s) => s.unit === 'D2')!.indicators[0]).toEqual({
      id: 'on_time_handling_rate',
      numerator: 2, // K05 K11 (K20, K21 and K22 are handled later)
      denominator: 2,
      rate: 1,
    });
  });

  it('weights change the composite; a heavier threshold flags', () => {
    const heavy: EvaluationSettings = {
      minDenominator: 16,
      weights: {
        street: { public_report_rate: 0, closure_rate: 0, on_time_closure_rate: 1, satisfaction_rate: 0 },
      },
    };
    const s = scoreUnits(items, 'street', heavy);
    // only 按期结案率 counts: S1 8/13 = 61.54, S2 3/4 = 75; S1 size 15 and S2 size 4 < 16: both flagged
    expect(s.map((u) => [u.unit, u.composite, u.grade, u.rank, u.small])).toEqual([
      [S2, 75, 'B', null, true],
      [S1, 61.54, 'C', null, true],
    ]);
  });
});

describe('the same month through the roll-ups (segments → day spans)', () => {
  const byCase = new Map<string, EvaluationEvent[]>();
  for (const e of events) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
  const segments = [...byCase.values()].flatMap((list) => caseSegments(list));
  const key = (i: EvaluationItem) =>
    [
      i.kind,
      i.unit,
      i.indicator,
      i.caseId,
      i.eventId,
      i.at.toISOString(),
      i.numerator,
      i.denominator,
      i.reason,
    ].join(' ');
  const sorted = (list: EvaluationItem[]) => list.map(key).sort();
  const periods = [
    ...['2026-09', '2026-10', '2026-11', '2026-12', '2026-Q4', '2026', '2026-W45', '2026-W47', '2026-W48'],
    ...Array.from({ length: 40 }, (_, k) => {
      const a = new Date(Date.UTC(2026, 9, 20 + k));
      const b = new Date(Date.UTC(2026, 9, 20 + k + (k % 9)));
      return `${a.toISOString().slice(0, 10)}..${b.toISOString().slice(0, 10)}`;
    }),
  ].map((p) => parsePeriod(p)!);

  it('segments give the items of collectItems for every period and every as-of instant', () => {
    for (const p of periods)
      expect(sorted(itemsFromSegments(segments, p, AS_OF))).toEqual(sorted(collectItems(events, p, AS_OF)));
    // as of instants inside November (a running period), every event's time and just after it
    for (const e of events.filter((x) => x.at >= NOV.from && x.at < NOV.to)) {
      for (const asOf of [e.at, new Date(e.at.getTime() - 1)]) {
        expect(sorted(itemsFromSegments(segments, NOV, asOf))).toEqual(
          sorted(collectItems(events, NOV, asOf)),
        );
      }
    }
  });

  it('the hand-computed figures, summed from day spans, for every kind and period', () => {
    for (const p of periods) {
      const sums = rollupSums(segments, beijingDay(p.from), beijingDay(new Date(p.to.getTime() - 1)));
      const periodItems = collectItems(events, p, AS_OF);
      for (const kind of UNIT_KINDS) {
        expect(scoreCounts(countsOfSums(sums, kind), kind, settings)).toEqual(
          scoreUnits(periodItems, kind, settings),
        );
      }
    }
    // and November's tables are the literal ones above
    const nov = rollupSums(segments, '2026-11-01', '2026-11-30');
    expect(scoreCounts(countsOfSums(nov, 'street'), 'street', settings)).toEqual(
      scoreUnits(items, 'street', settings),
    );
    expect(scoreCounts(countsOfSums(nov, 'department'), 'department', settings)[0]!.composite).toBe(
      scoreUnits(items, 'department', settings)[0]!.composite,
    );
  });
});
