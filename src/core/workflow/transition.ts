import type { Actor } from '../actor.ts';
import { AppError, err, ok, type Result } from '../errors.ts';
import { departmentsOutside, placeOfCase } from '../policy/department-coverage.ts';
import { CASE_ACTION_LIST, CASE_ACTIONS, type CaseAction, type CaseTransitionAction } from './actions.ts';
import { isPermitted } from './assignment.ts';
import type { CaseEffect, CaseEventDraft, TransitionOutput } from './effects.ts';
import { parsePayload, payloadProblem } from './payloads.ts';
import type { CaseSnapshot, RunningDeadline } from './snapshot.ts';
import { STATES, type CaseState, type ClockStage } from './states.ts';
import type { ActionRule, Applied, TransitionFacts } from './rule-kit.ts';
import { RULES } from './table.ts';

/** The rules of one action with the payload type erased (the table is typed per action). */
const ruleOf = (action: CaseTransitionAction) => RULES[action] as unknown as ActionRule<CaseTransitionAction>;

/**
 * Apply one action to a case. Checks, in order: the state allows the action and the case meets its
 * conditions ('invalid_transition'), the actor's role and tie to the case ('forbidden'), the payload
 * ('validation_failed'), and that every department the action hands the case to covers its place
 * ('unprocessable', reason `outside_coverage`; `facts.departmentCoverage` must name each of them — a
 * department missing there covers nothing; only the district's ruling may cross). On success returns the next snapshot, its changed fields, the event row(s) to
 * write in the same transaction, and the effects (clocks, notifications) to carry out.
 * Territory scoping is not checked here: intersect with the policy (src/core/policy).
 */
export function transition(
  c: CaseSnapshot,
  action: CaseAction,
  payload: unknown,
  actor: Actor,
  now: Date,
  facts: TransitionFacts = {},
): Result<TransitionOutput> {
  if (action === 'report')
    return err(
      new AppError('invalid_transition', 'a report creates a new case (openCase)', {
        action,
        state: c.state,
      }),
    );
  const rule = ruleOf(action);
  const refusal = stateRefusal(rule, c);
  if (refusal)
    return err(
      new AppError('invalid_transition', `cannot ${action} a case that is ${c.state}: ${refusal}`, {
        action,
        state: c.state,
      }),
    );
  const permitted = isPermitted(rule.who, c, actor);
  if (permitted !== 'ok') {
    const message =
      permitted === 'role'
        ? `the role ${actor.role} may not ${action}`
        : `${actor.role} ${actor.userId} is not assigned to this case for ${action}`;
    return err(new AppError('forbidden', message, { action, role: actor.role, reason: permitted }));
  }
  const parsed = parsePayload(action, payload);
  if (!parsed.ok) return parsed;
  const problem = rule.check?.(parsed.value, c, now);
  if (problem) return err(payloadProblem(action, problem[0], problem[1]));
  const reached = rule.reaches?.(parsed.value) ?? [];
  const outside = departmentsOutside(placeOfCase(c), reached, facts.departmentCoverage ?? {});
  if (outside.length > 0 && !rule.mayCrossCoverage)
    return err(
      new AppError(
        'unprocessable',
        `cannot ${action} to ${outside.join(', ')}: the department does not cover the case's territory`,
        { action, reason: 'outside_coverage', departments: outside, place: placeOfCase(c) },
      ),
    );
  const applied = rule.apply({ c, p: parsed.value, actor, now });
  const recorded = outside.length > 0 ? { ...parsed.value, outsideCoverage: outside } : parsed.value;
  return ok(settle(c, action, recorded, applied, actor, now));
}

/**
 * The actions this actor may take on this case now: state, conditions, role and assignment pass.
 * The payload is not considered. Send it with each case so the UI never re-implements the rules.
 */
export function allowedActions(c: CaseSnapshot, actor: Actor, _now: Date): CaseTransitionAction[] {
  return CASE_ACTION_LIST.filter((a): a is CaseTransitionAction => a !== 'report').filter((a) => {
    const rule = ruleOf(a);
    return stateRefusal(rule, c) === null && isPermitted(rule.who, c, actor) === 'ok';
  });
}

/** The actions possible in a state for someone (ignoring conditions and actors): the table's columns. */
export function actionsFrom(state: CaseState): CaseTransitionAction[] {
  return CASE_ACTION_LIST.filter(
    (a): a is CaseTransitionAction => a !== 'report' && ruleOf(a).from.includes(state),
  );
}

function stateRefusal(rule: ActionRule<CaseTransitionAction>, c: CaseSnapshot): string | null {
  if (!rule.from.includes(c.state)) return `allowed only when ${rule.from.join(', ')}`;
  return rule.requires?.(c) ?? null;
}

/** Turn what a rule decided into the next snapshot, the event and the effects. */
function settle(
  c: CaseSnapshot,
  action: CaseTransitionAction,
  payload: Record<string, unknown>,
  applied: Applied,
  actor: Actor,
  now: Date,
): TransitionOutput {
  const clocks = clockChange(c, applied.to, applied.restartClock === true, now);
  const next: CaseSnapshot = {
    ...c,
    // requests are about the running handling; any move out of 处置中 settles them
    pendingRequests: applied.to === 'in_progress' ? c.pendingRequests : [],
    deadline: clocks.deadline,
    overdue: c.overdue || clocks.late,
    ...applied.set,
    state: applied.to,
    version: c.version + 1,
  };
  const event: CaseEventDraft = {
    caseId: c.id,
    action,
    fromState: c.state,
    toState: applied.to,
    at: now,
    actor: { userId: actor.userId, role: actor.role, unit: actor.unit },
    payload,
    stage: clocks.finished,
    overdue: clocks.finished !== null && clocks.late,
  };
  const notices: CaseEffect[] = (applied.notify ?? []).map((n) => ({
    kind: 'notify',
    to: n.to,
    topic: action,
    urgent: n.urgent ?? false,
    receipt: n.receipt ?? false,
  }));
  return {
    next,
    changes: diff(c, next),
    events: [event],
    effects: [...clocks.effects, ...(applied.effects ?? []), ...notices],
  };
}

interface ClockChange {
  effects: CaseEffect[];
  /** The stage this transition finished (stopped), if any. */
  finished: ClockStage | null;
  /** The clock stopped or paused here was past its known due date. */
  late: boolean;
  deadline: RunningDeadline | null;
}

/**
 * Derive clock effects from the clocks of the two states (states.ts): a clock that keeps running
 * continues, one that ends stops, the handling clock pauses into 挂账 and resumes out of it.
 */
export function clockChange(c: CaseSnapshot, to: CaseState, restart: boolean, now: Date): ClockChange {
  const running = STATES[c.state].clock;
  const paused = STATES[c.state].paused;
  const nextRunning = STATES[to].clock;
  const nextPaused = STATES[to].paused;
  const effects: CaseEffect[] = [];
  let finished: ClockStage | null = null;
  let late = false;
  let deadline: RunningDeadline | null = null;

  if (running) {
    const dueAt = c.deadline?.stage === running ? c.deadline.dueAt : null;
    const pastDue = dueAt !== null && now.getTime() > dueAt.getTime();
    if (running === nextPaused) {
      effects.push({ kind: 'pause_clock', stage: running });
      late = pastDue;
    } else if (running === nextRunning && !restart) {
      deadline = c.deadline;
    } else {
      effects.push({ kind: 'stop_clock', stage: running, overdue: pastDue });
      finished = running;
      late = pastDue;
    }
  }
  if (paused) {
    if (paused === nextRunning) {
      effects.push({ kind: 'resume_clock', stage: paused });
      deadline = { stage: paused, dueAt: null };
    } else {
      effects.push({ kind: 'stop_clock', stage: paused, overdue: false });
      finished = paused;
    }
  }
  if (nextRunning && nextRunning !== paused && (nextRunning !== running || restart)) {
    effects.push({ kind: 'start_clock', stage: nextRunning });
    deadline = { stage: nextRunning, dueAt: null };
  }
  return { effects, finished, late, deadline };
}

/** The fields of `next` that differ from `prev` (dates by time, arrays and objects by content). */
function diff(prev: CaseSnapshot, next: CaseSnapshot): Partial<CaseSnapshot> {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(next) as (keyof CaseSnapshot)[]) {
    if (!same(prev[key], next[key])) changes[key] = next[key];
  }
  return changes as Partial<CaseSnapshot>;
}

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/** The Chinese name of an action, for timelines and notifications. */
export const actionLabel = (action: CaseAction): string => CASE_ACTIONS[action];
