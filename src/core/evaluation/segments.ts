/**
 * The evaluation as period-free facts (roll-up input, issue 14 requirement 2). `collectItems` answers
 * "which items does period P hold, as of its end E"; `caseSegments` answers the same question for every P at
 * once, from one case's whole log: each item becomes one or more *segments* — the item's anchor event (its
 * `at`, the instant that puts it in a period) and the time window [validFrom, validTo) of the period ends E
 * for which it has this status (numerator/denominator/reason). A segment counts in a period [from, E) when
 *
 *   from ≤ at < E,  validFrom < E ≤ validTo (validTo null = never ends),  and  prevAt is null or prevAt < from.
 *
 * `prevAt` carries the one rule that looks at the period start: an overdue handling escalation counts once per
 * period, for the first of its run in the period (the one whose previous escalation of the run is before
 * the period). The segments of a case depend on its own events only, so they can be kept per case in the
 * same transaction as the events, and a rebuild from the log gives the same rows.
 *
 * 漏报率 (missed reports) looks across cases — a patroller's area is the units of their events in the
 * period — so it is kept as two pseudo-kinds: `presence` (unit `user|unit`: a patroller acted in that unit)
 * and `area` (unit `committee|grid`: a report there, numerator when public). `itemsFromSegments` joins them
 * per period exactly like `collectItems`.
 *
 * Day roll-ups (`segmentSpans`): with day-aligned period ends, each condition above is "a Beijing day lies in
 * the period", and a segment is a signed sum of at most four *spans* (aDay, bDay, ±numerator, ±denominator),
 * each counted when fromDay ≤ aDay and bDay ≤ lastDay. Rows of the same (unit, indicator, aDay, bDay) add up,
 * so a period's figures are the sum of the day rows of its days, for any range (week, month, quarter, year).
 */
import {
  PUBLIC_SOURCES,
  addCount,
  type EvaluationEvent,
  type EvaluationItem,
  type UnitCounts,
} from './compute.ts';
import type { IndicatorId, ItemReason, UnitKind } from './definitions.ts';
import { beijingDay, evaluationEnd, type Period } from './period.ts';

/** The unit kinds of the evaluation, plus the two pseudo-kinds behind 漏报率. */
export type SegmentKind = UnitKind | 'presence' | 'area';

export interface EvaluationSegment {
  kind: SegmentKind;
  unit: string;
  indicator: IndicatorId;
  /** The case's street (for a street leader's scope), null when unlocated. */
  street: string | null;
  caseId: string;
  caseNo: string;
  eventId: number;
  at: Date;
  prevAt: Date | null;
  validFrom: Date;
  validTo: Date | null;
  numerator: boolean;
  denominator: boolean;
  reason: ItemReason;
}

const ESCALATION = 'overdue_escalation';
const SATISFACTION_REASONS: readonly string[] = ['satisfied', 'basically_satisfied', 'unsatisfied'];
const isLate = (e: EvaluationEvent): boolean => e.onTime === false || e.action === ESCALATION;
const onTime = (e: EvaluationEvent): boolean => e.onTime !== false;

interface Status {
  numerator: boolean;
  denominator: boolean;
  reason: ItemReason;
}

/** `presence` and `area` units: `a|b`. */
export const pairUnit = (a: string | null, b: string | null): string => `${a ?? ''}|${b ?? ''}`;

/** The segments of one case's whole log (events of that case only, any order). */
export function caseSegments(events: readonly EvaluationEvent[]): EvaluationSegment[] {
  if (events.length === 0) return [];
  const list = [...events].sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id);
  const first = list[0]!;
  const out: EvaluationSegment[] = [];
  const territories: [UnitKind, string | null][] = [
    ['street', first.street],
    ['committee', first.committee],
    ['grid', first.grid],
  ];
  const isPublic = PUBLIC_SOURCES.includes(first.source);
  const push = (
    kind: SegmentKind,
    unit: string,
    indicator: IndicatorId,
    e: EvaluationEvent,
    s: Status,
    validFrom: Date,
    validTo: Date | null,
    prevAt: Date | null = null,
  ) =>
    out.push({
      kind,
      unit,
      indicator,
      street: first.street,
      caseId: e.caseId,
      caseNo: e.caseNo,
      eventId: e.id,
      at: e.at,
      prevAt,
      validFrom,
      validTo,
      ...s,
    });
  /** A status fixed from the anchor on. */
  const fixed = (
    kind: SegmentKind,
    unit: string,
    indicator: IndicatorId,
    e: EvaluationEvent,
    numerator: boolean,
    reason: ItemReason,
    denominator = true,
  ) => push(kind, unit, indicator, e, { numerator, denominator, reason }, e.at, null);
  /**
   * A status that follows the case's state as of the period end (the last event before it), from the
   * anchor (index i) until `until` (an index whose time ends the item, or none). `status` null: not counted.
   */
  const byState = (
    kind: SegmentKind,
    unit: string,
    indicator: IndicatorId,
    i: number,
    status: (state: string) => Status | null,
    until: number | null = null,
    prevAt: Date | null = null,
  ) => {
    const end = until === null ? list.length : until;
    let current: { s: Status | null; from: Date } | null = null;
    const close = (to: Date | null) => {
      if (current?.s) push(kind, unit, indicator, list[i]!, current.s, current.from, to, prevAt);
    };
    for (let j = i; j < end; j++) {
      const s = status(list[j]!.toState);
      if (current && same(current.s, s)) continue;
      close(list[j]!.at);
      current = { s, from: list[j]!.at };
    }
    close(until === null ? null : list[until]!.at);
  };
  const leadAt = (i: number): string | null => {
    for (let j = i; j >= 0; j--) {
      const e = list[j]!;
      if ((e.action === 'dispatch' || e.action === 'arbitrate') && e.leadDepartmentId)
        return e.leadDepartmentId;
    }
    return null;
  };

  // 漏报率 inputs: where patrollers acted (one per unit and Beijing day is enough), where reports were
  const seen = new Set<string>();
  for (const e of list) {
    if (e.actorRole !== 'patroller' || !e.actorUserId) continue;
    if (e.actorUnit === 'none' || e.actorUnit.startsWith('dept:')) continue;
    const key = `${e.actorUserId}|${e.actorUnit}|${beijingDay(e.at)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fixed('presence', pairUnit(e.actorUserId, e.actorUnit), 'missed_report_rate', e, false, 'own_report');
  }

  // territory 应结案: the first closure, else (still open) the first time it went overdue
  const closeIdx = list.findIndex((e) => e.action === 'close');
  const lateIdx = list.findIndex(isLate);
  if (closeIdx >= 0) {
    const reason: ItemReason = lateIdx >= 0 && lateIdx <= closeIdx ? 'closed_late' : 'closed_on_time';
    for (const [kind, code] of territories) {
      if (!code) continue;
      const e = list[closeIdx]!;
      fixed(kind, code, 'closure_rate', e, true, reason);
      fixed(kind, code, 'on_time_closure_rate', e, reason === 'closed_on_time', reason);
    }
  }
  if (lateIdx >= 0 && (closeIdx < 0 || lateIdx < closeIdx)) {
    const open = (state: string): Status | null =>
      state === 'cancelled' || state === 'rejected'
        ? null
        : { numerator: false, denominator: true, reason: 'overdue_open' };
    for (const [kind, code] of territories) {
      if (!code) continue;
      byState(kind, code, 'closure_rate', lateIdx, open, closeIdx < 0 ? null : closeIdx);
      byState(kind, code, 'on_time_closure_rate', lateIdx, open, closeIdx < 0 ? null : closeIdx);
    }
  }

  // 满意率: each follow-up result holds until the next one
  const followUps = list
    .map((e, i) => [e, i] as const)
    .filter(([e]) => e.action === 'follow_up' && e.satisfaction);
  followUps.forEach(([e], k) => {
    const next = followUps[k + 1]?.[0] ?? null;
    const result = e.satisfaction!;
    const reason = (SATISFACTION_REASONS.includes(result) ? result : 'unsatisfied') as ItemReason;
    for (const [kind, code] of territories) {
      if (!code) continue;
      push(
        kind,
        code,
        'satisfaction_rate',
        e,
        { numerator: reason !== 'unsatisfied', denominator: true, reason },
        e.at,
        next ? next.at : null,
      );
    }
  });

  list.forEach((e, i) => {
    const user = e.actorUserId && e.actorUserId !== 'system' ? e.actorUserId : null;
    switch (e.action) {
      case 'report':
        for (const [kind, code] of territories) {
          if (code)
            fixed(kind, code, 'public_report_rate', e, isPublic, isPublic ? 'public_report' : 'own_report');
        }
        if (user && e.actorRole === 'patroller') {
          byState('patroller', user, 'valid_report_rate', i, (state) =>
            state === 'rejected'
              ? { numerator: false, denominator: true, reason: 'rejected' }
              : { numerator: true, denominator: true, reason: 'valid' },
          );
        }
        if (first.grid || first.committee) {
          fixed(
            'area',
            pairUnit(first.committee, first.grid),
            'missed_report_rate',
            e,
            isPublic,
            isPublic ? 'public_report' : 'own_report',
          );
        }
        break;
      case 'submit_verification':
        if (user && e.actorRole === 'patroller')
          fixed('patroller', user, 'on_time_verification_rate', e, onTime(e), onTime(e) ? 'on_time' : 'late');
        break;
      case 'submit_check':
        if (user && e.actorRole === 'patroller')
          fixed('patroller', user, 'on_time_check_rate', e, onTime(e), onTime(e) ? 'on_time' : 'late');
        if (e.passed === false) {
          const lead = leadAt(i);
          if (lead) fixed('department', lead, 'rework_rate', e, true, 'rework', false);
        }
        break;
      case 'handle': {
        const dept = e.actorUnit.startsWith('dept:') ? e.actorUnit.slice(5) : leadAt(i);
        if (!dept) break;
        const reason: ItemReason = onTime(e) ? 'handled_on_time' : 'handled_late';
        fixed('department', dept, 'on_time_handling_rate', e, onTime(e), reason);
        byState('department', dept, 'dept_closure_rate', i, closedStatus);
        fixed('department', dept, 'rework_rate', e, false, reason);
        break;
      }
      case ESCALATION: {
        if (e.escalatedStage !== 'handle') break;
        // counted while no handling report follows (up to the period end), for the first of its run in
        // the period: the previous handling escalation of the run (no handling report between) must be before it
        let next: number | null = null;
        for (let j = i + 1; j < list.length && next === null; j++) if (list[j]!.action === 'handle') next = j;
        let prevAt: Date | null = null;
        for (let j = i - 1; j >= 0; j--) {
          const x = list[j]!;
          if (x.action === 'handle') break;
          if (x.action === ESCALATION && x.escalatedStage === 'handle') {
            prevAt = x.at;
            break;
          }
        }
        const lead = leadAt(i);
        if (!lead) break;
        const validTo = next === null ? null : list[next]!.at;
        const unhandled: Status = { numerator: false, denominator: true, reason: 'overdue_unhandled' };
        push('department', lead, 'on_time_handling_rate', e, unhandled, e.at, validTo, prevAt);
        byState('department', lead, 'dept_closure_rate', i, closedStatus, next, prevAt);
        push('department', lead, 'rework_rate', e, unhandled, e.at, validTo, prevAt);
        break;
      }
      case 'request_verification':
        if (user)
          fixed('intake', user, 'verification_dispatch_rate', e, onTime(e), onTime(e) ? 'on_time' : 'late');
        break;
      case 'assign_check': {
        if (!user) break;
        let handled = -1;
        for (let j = i - 1; j >= 0 && handled < 0; j--) if (list[j]!.action === 'handle') handled = j;
        const late = list
          .slice(handled + 1, i)
          .some((x) => x.action === ESCALATION && x.escalatedStage === 'check');
        fixed('intake', user, 'check_dispatch_rate', e, !late, late ? 'late' : 'on_time');
        break;
      }
      case 'register':
        if (!user) break;
        fixed('shift_lead', user, 'on_time_registration_rate', e, onTime(e), onTime(e) ? 'on_time' : 'late');
        byState('shift_lead', user, 'accurate_registration_rate', i, (state) =>
          state === 'cancelled'
            ? { numerator: false, denominator: true, reason: 'cancelled' }
            : { numerator: true, denominator: true, reason: 'kept' },
        );
        break;
      case 'close':
        if (user)
          fixed('shift_lead', user, 'on_time_closing_rate', e, onTime(e), onTime(e) ? 'on_time' : 'late');
        break;
      case 'dispatch': {
        if (!user) break;
        fixed('dispatcher', user, 'on_time_dispatch_rate', e, onTime(e), onTime(e) ? 'on_time' : 'late');
        let returned: EvaluationEvent | null = null;
        for (const x of list.slice(i + 1)) {
          if (x.action === 'dispatch' || x.action === 'arbitrate') break;
          if (x.action === 'return') {
            returned = x;
            break;
          }
        }
        const kept: Status = { numerator: true, denominator: true, reason: 'not_returned' };
        push('dispatcher', user, 'accurate_dispatch_rate', e, kept, e.at, returned ? returned.at : null);
        if (returned) {
          push(
            'dispatcher',
            user,
            'accurate_dispatch_rate',
            e,
            { numerator: false, denominator: true, reason: 'returned' },
            returned.at,
            null,
          );
        }
        break;
      }
    }
  });
  return out;
}

const closedStatus = (state: string): Status =>
  state === 'closed'
    ? { numerator: true, denominator: true, reason: 'closed' }
    : { numerator: false, denominator: true, reason: 'not_closed' };

const same = (a: Status | null, b: Status | null): boolean =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.numerator === b.numerator &&
    a.denominator === b.denominator &&
    a.reason === b.reason);

/** Whether a segment counts in the period [from, end). */
export const segmentCounts = (s: EvaluationSegment, from: number, end: number): boolean =>
  s.at.getTime() >= from &&
  s.at.getTime() < end &&
  (s.prevAt === null || s.prevAt.getTime() < from) &&
  s.validFrom.getTime() < end &&
  (s.validTo === null || s.validTo.getTime() >= end);

/** The items of a period from segments: the same as `collectItems` over the events they came from. */
export function itemsFromSegments(
  segments: readonly EvaluationSegment[],
  period: Period,
  asOf: Date,
): EvaluationItem[] {
  const end = evaluationEnd(period, asOf).getTime();
  const from = period.from.getTime();
  const items: EvaluationItem[] = [];
  const areas = new Map<string, Set<string>>();
  const reports: EvaluationSegment[] = [];
  for (const s of segments) {
    if (!segmentCounts(s, from, end)) continue;
    if (s.kind === 'presence') {
      const [user, unit] = splitPair(s.unit);
      const set = areas.get(user) ?? new Set<string>();
      set.add(unit);
      areas.set(user, set);
    } else if (s.kind === 'area') reports.push(s);
    else items.push(itemOf(s, s.kind, s.unit));
  }
  for (const r of reports) {
    const [committee, grid] = splitPair(r.unit);
    for (const [user, set] of areas) {
      if ((grid && set.has(grid)) || (committee && set.has(committee)))
        items.push(itemOf(r, 'patroller', user));
    }
  }
  return items;
}

export const splitPair = (unit: string): [string, string] => {
  const at = unit.indexOf('|');
  return [unit.slice(0, at), unit.slice(at + 1)];
};

const itemOf = (s: EvaluationSegment, kind: UnitKind, unit: string): EvaluationItem => ({
  kind,
  unit,
  indicator: s.indicator,
  caseId: s.caseId,
  caseNo: s.caseNo,
  eventId: s.eventId,
  at: s.at,
  numerator: s.numerator,
  denominator: s.denominator,
  reason: s.reason,
});

/** One signed term of a day roll-up: counted in a period when fromDay ≤ aDay and bDay ≤ lastDay. */
export interface SegmentSpan {
  aDay: string;
  bDay: string;
  numerator: number;
  denominator: number;
}

/**
 * The day roll-up terms of a segment (the SQL of src/app/evaluation/rollups.ts writes the same four terms).
 * [from ≤ at][validFrom < E] − [from ≤ at][validTo < E] − [from ≤ prevAt][validFrom < E] + [from ≤ prevAt][validTo < E].
 */
export function segmentSpans(s: EvaluationSegment): SegmentSpan[] {
  const n = s.numerator ? 1 : 0;
  const d = s.denominator ? 1 : 0;
  const spans: SegmentSpan[] = [];
  const term = (a: Date, b: Date, sign: number) =>
    spans.push({ aDay: beijingDay(a), bDay: beijingDay(b), numerator: sign * n, denominator: sign * d });
  term(s.at, s.validFrom, 1);
  if (s.validTo) term(s.at, s.validTo, -1);
  if (s.prevAt) {
    term(s.prevAt, s.validFrom, -1);
    if (s.validTo) term(s.prevAt, s.validTo, 1);
  }
  return spans;
}

/** A roll-up summed over a period: per (kind, unit, indicator). */
export interface RollupSum {
  kind: SegmentKind;
  unit: string;
  indicator: IndicatorId;
  numerator: number;
  denominator: number;
}

/** The day-aligned period [fromDay, lastDay] summed from segments by their spans (what the SQL sums). */
export function rollupSums(
  segments: readonly EvaluationSegment[],
  fromDay: string,
  lastDay: string,
): RollupSum[] {
  const sums = new Map<string, RollupSum>();
  for (const s of segments) {
    for (const t of segmentSpans(s)) {
      if (t.aDay < fromDay || t.bDay > lastDay) continue;
      const key = `${s.kind}\u0000${s.unit}\u0000${s.indicator}`;
      const sum = sums.get(key);
      if (sum) {
        sum.numerator += t.numerator;
        sum.denominator += t.denominator;
      } else sums.set(key, { kind: s.kind, unit: s.unit, indicator: s.indicator, ...t });
    }
  }
  return [...sums.values()].map(({ kind, unit, indicator, numerator, denominator }) => ({
    kind,
    unit,
    indicator,
    numerator,
    denominator,
  }));
}

/**
 * The counts of one unit kind from a period's roll-up sums. For patrollers, 漏报率 joins the period's
 * presence (their areas) with the reports per committee|grid, as `collectItems` does.
 */
export function countsOfSums(sums: readonly RollupSum[], kind: UnitKind): UnitCounts {
  const counts: UnitCounts = new Map();
  for (const s of sums)
    if (s.kind === kind) addCount(counts, s.unit, s.indicator, s.numerator, s.denominator);
  if (kind === 'patroller') {
    const areas = new Map<string, Set<string>>();
    for (const s of sums) {
      if (s.kind !== 'presence' || s.denominator <= 0) continue;
      const [user, unit] = splitPair(s.unit);
      const set = areas.get(user) ?? new Set<string>();
      set.add(unit);
      areas.set(user, set);
    }
    for (const s of sums) {
      if (s.kind !== 'area' || (s.numerator === 0 && s.denominator === 0)) continue;
      const [committee, grid] = splitPair(s.unit);
      for (const [user, set] of areas) {
        if ((grid && set.has(grid)) || (committee && set.has(committee)))
          addCount(counts, user, 'missed_report_rate', s.numerator, s.denominator);
      }
    }
  }
  return counts;
}

/** The area pairs (`committee|grid`) of a patroller's area: for the 漏报率 drill-down. */
export function areaOf(sums: readonly RollupSum[], user: string): { units: Set<string>; pairs: string[] } {
  const units = new Set<string>();
  for (const s of sums) {
    if (s.kind !== 'presence' || s.denominator <= 0) continue;
    const [u, unit] = splitPair(s.unit);
    if (u === user) units.add(unit);
  }
  const pairs = sums
    .filter((s) => {
      if (s.kind !== 'area') return false;
      const [committee, grid] = splitPair(s.unit);
      return (grid !== '' && units.has(grid)) || (committee !== '' && units.has(committee));
    })
    .map((s) => s.unit);
  return { units, pairs: [...new Set(pairs)] };
}
