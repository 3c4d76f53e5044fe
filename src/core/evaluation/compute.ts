/**
 * The evaluation computed from the case event log (DESIGN §7), pure: `collectItems` walks each case's
 * events and says, per indicator and unit, which cases/events are in the denominator and the numerator and
 * why; `scoreUnits` turns those items into rates, composite scores, grades and ranks. The definitions and
 * the rules chosen where the standard is silent are in definitions.ts.
 */
import {
  gradeOf,
  indicatorsOf,
  type EvaluationSettings,
  type Grade,
  type IndicatorId,
  type ItemReason,
  type UnitKind,
  weightOf,
  INDICATOR_BY_ID,
} from './definitions.ts';
import { evaluationEnd, type Period } from './period.ts';

/** One row of `case_events` with the case attributes fixed at intake (source, place, number). */
export interface EvaluationEvent {
  id: number;
  caseId: string;
  caseNo: string;
  at: Date;
  action: string;
  toState: string;
  actorUserId: string | null;
  actorRole: string;
  /** Region code, `dept:<id>` or `none`. */
  actorUnit: string;
  /** The stage this event stopped, and whether on time (null: no known deadline). */
  stage: string | null;
  onTime: boolean | null;
  /** dispatch / arbitrate: the lead department named. */
  leadDepartmentId: string | null;
  /** submit_check: passed or not. */
  passed: boolean | null;
  /** overdue_escalation: the stage whose clock is overdue. */
  escalatedStage: string | null;
  /** follow_up: the result (satisfied / basically_satisfied / unsatisfied). */
  satisfaction?: string | null;
  source: string;
  street: string | null;
  committee: string | null;
  grid: string | null;
}

/** One case (or event of a case) counted for an indicator of a unit. */
export interface EvaluationItem {
  kind: UnitKind;
  unit: string;
  indicator: IndicatorId;
  caseId: string;
  caseNo: string;
  /** The event that put it there (null: none, e.g. an overdue case with no event in the period). */
  eventId: number;
  at: Date;
  numerator: boolean;
  denominator: boolean;
  reason: ItemReason;
}

export const PUBLIC_SOURCES: readonly string[] = ['citizen', 'hotline'];
const ESCALATION = 'overdue_escalation';
const SATISFACTION_REASONS: readonly string[] = ['satisfied', 'basically_satisfied', 'unsatisfied'];

const isLate = (e: EvaluationEvent): boolean => e.onTime === false || e.action === ESCALATION;
const onTime = (e: EvaluationEvent): boolean => e.onTime !== false;

/**
 * Every item of every indicator for the period, as of `evaluationEnd(period, asOf)`. `events` may hold any
 * events (order free); events at or after the end are ignored, so the same log gives the same items.
 */
export function collectItems(
  events: readonly EvaluationEvent[],
  period: Period,
  asOf: Date,
): EvaluationItem[] {
  const end = evaluationEnd(period, asOf).getTime();
  const from = period.from.getTime();
  const inPeriod = (e: EvaluationEvent) => e.at.getTime() >= from && e.at.getTime() < end;

  const byCase = new Map<string, EvaluationEvent[]>();
  for (const e of events) {
    if (e.at.getTime() >= end) continue;
    const list = byCase.get(e.caseId);
    if (list) list.push(e);
    else byCase.set(e.caseId, [e]);
  }
  const items: EvaluationItem[] = [];

  // patrollers' areas: the units of their events in the period (for 漏报率)
  const areas = new Map<string, Set<string>>();
  for (const list of byCase.values()) {
    for (const e of list) {
      if (e.actorRole !== 'patroller' || !e.actorUserId || !inPeriod(e)) continue;
      if (e.actorUnit === 'none' || e.actorUnit.startsWith('dept:')) continue;
      const set = areas.get(e.actorUserId) ?? new Set<string>();
      set.add(e.actorUnit);
      areas.set(e.actorUserId, set);
    }
  }

  for (const list of byCase.values()) {
    list.sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id);
    const first = list[0]!;
    const finalState = list[list.length - 1]!.toState;
    const add = (
      kind: UnitKind,
      unit: string,
      indicator: IndicatorId,
      e: EvaluationEvent,
      numerator: boolean,
      reason: ItemReason,
      denominator = true,
    ) =>
      items.push({
        kind,
        unit,
        indicator,
        caseId: e.caseId,
        caseNo: e.caseNo,
        eventId: e.id,
        at: e.at,
        numerator,
        denominator,
        reason,
      });
    const territories: [UnitKind, string | null][] = [
      ['street', first.street],
      ['committee', first.committee],
      ['grid', first.grid],
    ];
    const isPublic = PUBLIC_SOURCES.includes(first.source);
    const leadAt = (i: number): string | null => {
      for (let j = i; j >= 0; j--) {
        const e = list[j]!;
        if ((e.action === 'dispatch' || e.action === 'arbitrate') && e.leadDepartmentId)
          return e.leadDepartmentId;
      }
      return null;
    };

    // territory: 应结案 by the due event (first closure, else first going overdue while still open)
    const closeIdx = list.findIndex((e) => e.action === 'close');
    const lateIdx = list.findIndex(isLate);
    let due: { e: EvaluationEvent; reason: ItemReason } | null = null;
    if (closeIdx >= 0) {
      const close = list[closeIdx]!;
      if (inPeriod(close))
        due = { e: close, reason: lateIdx >= 0 && lateIdx <= closeIdx ? 'closed_late' : 'closed_on_time' };
    } else if (
      lateIdx >= 0 &&
      finalState !== 'cancelled' &&
      finalState !== 'rejected' &&
      inPeriod(list[lateIdx]!)
    ) {
      due = { e: list[lateIdx]!, reason: 'overdue_open' };
    }

    // 满意率: the last follow-up before the end wins, counted in the period it falls in
    let lastFollowUp: EvaluationEvent | null = null;
    for (const e of list) if (e.action === 'follow_up' && e.satisfaction) lastFollowUp = e;
    if (lastFollowUp && inPeriod(lastFollowUp)) {
      const result = lastFollowUp.satisfaction!;
      const reason = (SATISFACTION_REASONS.includes(result) ? result : 'unsatisfied') as ItemReason;
      for (const [kind, code] of territories) {
        if (code) add(kind, code, 'satisfaction_rate', lastFollowUp, reason !== 'unsatisfied', reason);
      }
    }

    let lastHandle = -1;
    list.forEach((e, i) => {
      if (e.action === 'handle') lastHandle = i;
    });
    const firstUnhandledEscalation = list.findIndex(
      (e, i) => i > lastHandle && e.action === ESCALATION && e.escalatedStage === 'handle' && inPeriod(e),
    );

    list.forEach((e, i) => {
      if (!inPeriod(e)) return;
      const user = e.actorUserId && e.actorUserId !== 'system' ? e.actorUserId : null;
      switch (e.action) {
        case 'report':
          for (const [kind, code] of territories) {
            if (code)
              add(kind, code, 'public_report_rate', e, isPublic, isPublic ? 'public_report' : 'own_report');
          }
          if (user && e.actorRole === 'patroller') {
            const valid = finalState !== 'rejected';
            add('patroller', user, 'valid_report_rate', e, valid, valid ? 'valid' : 'rejected');
          }
          for (const [patroller, set] of areas) {
            if ((first.grid && set.has(first.grid)) || (first.committee && set.has(first.committee))) {
              add(
                'patroller',
                patroller,
                'missed_report_rate',
                e,
                isPublic,
                isPublic ? 'public_report' : 'own_report',
              );
            }
          }
          break;
        case 'submit_verification':
          if (user && e.actorRole === 'patroller') {
            add('patroller', user, 'on_time_verification_rate', e, onTime(e), onTime(e) ? 'on_time' : 'late');
          }
          break;
        case 'submit_check':
          if (user && e.actorRole === 'patroller') {
            add('patroller', user, 'on_time_check_rate', e, onTime(e), onTime(e) ? 'on_time' : 'late');
          }
          if (e.passed === false) {
            const lead = leadAt(i);
            if (lead) add('department', lead, 'rework_rate', e, true, 'rework', false);
          }
          break;
        case 'handle': {
          const dept = e.actorUnit.startsWith('dept:') ? e.actorUnit.slice(5) : leadAt(i);
          if (!dept) break;
          const reason: ItemReason = onTime(e) ? 'handled_on_time' : 'handled_late';
          add('department', dept, 'on_time_handling_rate', e, onTime(e), reason);
          add(
            'department',
            dept,
            'dept_closure_rate',
            e,
            finalState === 'closed',
            finalState === 'closed' ? 'closed' : 'not_closed',
          );
          add('department', dept, 'rework_rate', e, false, reason);
          break;
        }
        case ESCALATION:
          // overdue unhandled: the first handling escalation in the period after the last handling report
          if (e.escalatedStage === 'handle' && i === firstUnhandledEscalation) {
            const lead = leadAt(i);
            if (!lead) break;
            const closed = finalState === 'closed';
            add('department', lead, 'on_time_handling_rate', e, false, 'overdue_unhandled');
            add('department', lead, 'dept_closure_rate', e, closed, closed ? 'closed' : 'not_closed');
            add('department', lead, 'rework_rate', e, false, 'overdue_unhandled');
          }
          break;
        case 'request_verification':
          if (user)
            add('intake', user, 'verification_dispatch_rate', e, onTime(e), onTime(e) ? 'on_time' : 'late');
          break;
        case 'assign_check': {
          if (!user) break;
          let handled = -1;
          for (let j = i - 1; j >= 0 && handled < 0; j--) if (list[j]!.action === 'handle') handled = j;
          const late = list
            .slice(handled + 1, i)
            .some((x) => x.action === ESCALATION && x.escalatedStage === 'check');
          add('intake', user, 'check_dispatch_rate', e, !late, late ? 'late' : 'on_time');
          break;
        }
        case 'register':
          if (!user) break;
          add('shift_lead', user, 'on_time_registration_rate', e, onTime(e), onTime(e) ? 'on_time' : 'late');
          add(
            'shift_lead',
            user,
            'accurate_registration_rate',
            e,
            finalState !== 'cancelled',
            finalState !== 'cancelled' ? 'kept' : 'cancelled',
          );
          break;
        case 'close':
          if (user)
            add('shift_lead', user, 'on_time_closing_rate', e, onTime(e), onTime(e) ? 'on_time' : 'late');
          break;
        case 'dispatch': {
          if (!user) break;
          add('dispatcher', user, 'on_time_dispatch_rate', e, onTime(e), onTime(e) ? 'on_time' : 'late');
          let returned = false;
          for (const x of list.slice(i + 1)) {
            if (x.action === 'dispatch' || x.action === 'arbitrate') break;
            if (x.action === 'return') {
              returned = true;
              break;
            }
          }
          add(
            'dispatcher',
            user,
            'accurate_dispatch_rate',
            e,
            !returned,
            returned ? 'returned' : 'not_returned',
          );
          break;
        }
      }
      if (due && due.e === e) {
        for (const [kind, code] of territories) {
          if (!code) continue;
          add(kind, code, 'closure_rate', e, due.reason !== 'overdue_open', due.reason);
          add(kind, code, 'on_time_closure_rate', e, due.reason === 'closed_on_time', due.reason);
        }
      }
    });
  }
  return items;
}

export interface IndicatorValue {
  id: IndicatorId;
  numerator: number;
  denominator: number;
  /** numerator / denominator, null when the denominator is 0. */
  rate: number | null;
}

export interface UnitScore {
  unit: string;
  indicators: IndicatorValue[];
  /** Weighted sum of the indicator scores (0–100), over the indicators with a denominator; null if none. */
  composite: number | null;
  grade: Grade | null;
  /** The largest denominator of the unit's indicators: its sample size. */
  size: number;
  /** Sample too small (size < minDenominator): flagged, not ranked. */
  small: boolean;
  /** 1 = best; ties share a rank; null when flagged or without a composite. */
  rank: number | null;
  /** Composite minus the previous period's (null when either is missing). */
  change: number | null;
}

/** Score of one indicator: rate × 100, or (1 − min(rate, 1)) × 100 for the lower-is-better ones. */
export const indicatorScore = (id: IndicatorId, rate: number): number =>
  INDICATOR_BY_ID[id].better === 'higher' ? rate * 100 : (1 - Math.min(rate, 1)) * 100;

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Rates, composite, grade, rank and change per unit of one kind. Units come from the items, plus
 * `units` (listed even without any case). `previous` holds the previous period's composites by unit.
 */
export function scoreUnits(
  items: readonly EvaluationItem[],
  kind: UnitKind,
  settings: EvaluationSettings,
  options: { units?: readonly string[]; previous?: ReadonlyMap<string, number | null> } = {},
): UnitScore[] {
  const counts: UnitCounts = new Map();
  for (const it of items) {
    if (it.kind !== kind) continue;
    addCount(counts, it.unit, it.indicator, it.numerator ? 1 : 0, it.denominator ? 1 : 0);
  }
  return scoreCounts(counts, kind, settings, options);
}

/** Numerator and denominator per unit and indicator (the items counted, or the roll-ups summed). */
export type UnitCounts = Map<string, Map<IndicatorId, { n: number; d: number }>>;

export function addCount(
  counts: UnitCounts,
  unit: string,
  indicator: IndicatorId,
  n: number,
  d: number,
): void {
  let m = counts.get(unit);
  if (!m) {
    m = new Map();
    counts.set(unit, m);
  }
  const c = m.get(indicator);
  if (c) {
    c.n += n;
    c.d += d;
  } else m.set(indicator, { n, d });
}

/** `scoreUnits` over counts already made (the roll-up path). */
export function scoreCounts(
  counts: UnitCounts,
  kind: UnitKind,
  settings: EvaluationSettings,
  options: { units?: readonly string[]; previous?: ReadonlyMap<string, number | null> } = {},
): UnitScore[] {
  const defs = indicatorsOf(kind);
  const all = new Map<string, Map<IndicatorId, { n: number; d: number }>>();
  for (const u of options.units ?? []) all.set(u, new Map());
  for (const [u, m] of counts) {
    // a unit is listed when something of its kind counted (as the items are), or when it is a base unit
    if ([...m.entries()].some(([id, c]) => defs.some((d) => d.id === id) && (c.n !== 0 || c.d !== 0)))
      all.set(u, m);
    else if (all.has(u)) all.set(u, m);
  }
  const scores: UnitScore[] = [...all.entries()].map(([unit, m]) => {
    const indicators = defs.map((d) => {
      const c = m.get(d.id) ?? { n: 0, d: 0 };
      return { id: d.id, numerator: c.n, denominator: c.d, rate: c.d > 0 ? c.n / c.d : null };
    });
    let sumW = 0;
    let sum = 0;
    for (const v of indicators) {
      if (v.rate === null) continue;
      const w = weightOf(settings, kind, v.id);
      sumW += w;
      sum += w * indicatorScore(v.id, v.rate);
    }
    const composite = sumW > 0 ? round2(sum / sumW) : null;
    const size = Math.max(0, ...indicators.map((v) => v.denominator));
    const prev = options.previous?.get(unit);
    return {
      unit,
      indicators,
      composite,
      grade: composite === null ? null : gradeOf(composite),
      size,
      small: size < settings.minDenominator,
      rank: null,
      change: composite !== null && prev !== undefined && prev !== null ? round2(composite - prev) : null,
    };
  });
  // competition ranking (1, 1, 3) among the units with a composite and enough cases
  const ranked = scores
    .filter((s) => !s.small && s.composite !== null)
    .sort((a, b) => b.composite! - a.composite!);
  ranked.forEach((s, i) => {
    s.rank = i > 0 && ranked[i - 1]!.composite === s.composite ? ranked[i - 1]!.rank : i + 1;
  });
  return scores.sort(
    (a, b) =>
      (a.rank ?? Infinity) - (b.rank ?? Infinity) ||
      (b.composite ?? -1) - (a.composite ?? -1) ||
      a.unit.localeCompare(b.unit),
  );
}
