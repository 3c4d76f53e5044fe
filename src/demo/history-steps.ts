/**
 * The building blocks of the demo history's stories: who takes a workflow action and when — relative to
 * the running stage clock, so most steps are on time and a few are late.
 */
import type { CaseState, CaseTransitionAction } from '../core/workflow/index.ts';

export type Random = () => number;

/** Who takes a step, resolved against the case when it is taken. */
export type Who =
  /** The owning centre's intake: work station, street dispatcher or district dispatcher. */
  | 'intake'
  /** The owning centre's decider (值班长): work station, street shift lead or district shift lead. */
  | 'decider'
  | 'department'
  | 'assisting'
  /** The patroller sent to verify or check. */
  | 'assignee'
  | 'leader'
  | 'reporter';

/** When a step is taken, counted from the previous one. */
export type When =
  /** At this fraction of the running stage clock's limit (> 1: late). */
  | { clock: number }
  /** This many working hours later. */
  | { hours: number }
  /** This many calendar days later, in working time. */
  | { days: number };

/** What the payload builder may use (filled in by history.ts when the step is taken). */
export interface PayloadContext {
  patrollerId: string;
  /** A deadline some working days after the current one (extension requests). */
  laterDue: (workDays: number) => string;
  photo: (kind: 'before' | 'after') => Promise<string>;
  masterCaseId: string | null;
}

export interface Step {
  when: When;
  who: Who;
  action: CaseTransitionAction;
  payload?: (ctx: PayloadContext) => unknown;
  /** The state the case is in after this step (to cut stories short, see `truncateAt`). */
  leaves?: CaseState;
  /** Skipped when nobody fits `who` (assisting feedback on a case without assisting departments). */
  optional?: boolean;
}

/** A duplicate is typically a citizen calling in what a patroller has already reported. */
export type Reporter = 'patroller' | 'coordinator' | 'citizen' | 'hotline';

export interface Story {
  name: string;
  reporter: Reporter;
  /** null: a citizen who does not know the category; intake sets it at registration. */
  category: string | null;
  urgent: boolean;
  selfHandled: boolean;
  steps: Step[];
  /** A duplicate report of another story's case, merged into it. */
  duplicateOf?: Story;
  /** Filled in when the story's case is created (a duplicate is reported where its master was). */
  caseId?: string;
  place?: { lon: number; lat: number; address: string };
}

export const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
export const between = (r: Random, a: number, b: number) => a + (b - a) * r();

/** Mostly well within the limit, some close to it, a few late (`lateShare`): a district that works. */
export function pace(r: Random, lateShare = 0.004): number {
  const x = r();
  if (x < lateShare) return between(r, 1.05, 2.8);
  // close to the limit, with room left for the snap to working time (history-player.ts)
  if (x < lateShare + 0.16) return between(r, 0.4, 0.65);
  return between(r, 0.05, 0.4);
}

const RESULTS = [
  '已现场处置完毕，恢复原状',
  '已责令当事人整改并复查到位',
  '已清理完毕，现场整洁',
  '已依法查处，当事人已签收整改通知',
];
export const RETURN_REASONS = [
  '不属于本单位职责范围，请改派',
  '地址有误，非本单位辖区',
  '权属不清，建议由区级部门处理',
];

export const register = (r: Random, category?: string): Step => ({
  when: { clock: pace(r) },
  who: 'intake',
  action: 'register',
  payload: () => (category ? { category } : {}),
  leaves: 'registered',
});
export const dispatch = (r: Random, lead?: string): Step => ({
  when: { clock: pace(r) },
  who: 'intake',
  action: 'dispatch',
  payload: () => (lead ? { leadDepartmentId: lead, assistingDepartmentIds: [] } : {}),
  leaves: 'dispatched',
});
export const sign = (r: Random): Step => ({
  when: { clock: pace(r) },
  who: 'department',
  action: 'sign',
  leaves: 'in_progress',
});
export const handle = (r: Random, late = 0.015): Step => ({
  when: { clock: pace(r, late) },
  who: 'department',
  action: 'handle',
  payload: async (c) => ({ result: pick(r, RESULTS), photos: [await c.photo('after')] }),
  leaves: 'handled',
});
export const assignCheck = (r: Random): Step => ({
  when: { clock: between(r, 0.05, 0.3) },
  who: 'intake',
  action: 'assign_check',
  payload: (c) => ({ patrollerId: c.patrollerId }),
  leaves: 'checking',
});
export const submitCheck = (r: Random, passed: boolean): Step => ({
  when: { clock: between(r, 0.35, 0.95) },
  who: 'assignee',
  action: 'submit_check',
  payload: () => (passed ? { passed } : { passed, note: '现场复查仍有问题，需返工' }),
  leaves: passed ? 'resolved' : 'in_progress',
});
export const close = (r: Random): Step => ({
  when: { clock: pace(r, 0.01) },
  who: 'decider',
  action: 'close',
  leaves: 'closed',
});
type Satisfaction = 'satisfied' | 'basically_satisfied' | 'unsatisfied';
export const followUp = (
  r: Random,
  satisfaction: Satisfaction = pick(r, ['satisfied', 'satisfied', 'basically_satisfied'] as const),
): Step => ({
  when: { days: between(r, 1, 4) },
  who: 'intake',
  action: 'follow_up',
  payload: () => ({ satisfaction, note: '电话回访' }),
});
export const assistFeedback = (r: Random): Step => ({
  when: { hours: between(r, 1, 6) },
  who: 'assisting',
  action: 'assist_feedback',
  optional: true,
  payload: () => ({ feedback: '已配合主办单位到场处置' }),
});

/** Sign, (assisting feedback,) handle, check, close: the department's and the territory's part. */
export function handledAndClosed(r: Random, options: { rework?: boolean; late?: number } = {}): Step[] {
  const steps: Step[] = [sign(r)];
  if (r() < 0.25) steps.push(assistFeedback(r));
  steps.push(handle(r, options.late), assignCheck(r));
  if (options.rework) steps.push(submitCheck(r, false), handle(r), assignCheck(r));
  steps.push(submitCheck(r, true), close(r));
  if (r() < 0.3) steps.push(followUp(r));
  return steps;
}

/**
 * A struggling unit's version of a story (`slack` 0…1): its department's steps (sign, handle, requests)
 * come later in their clocks — with probability `slack` a step is pushed past its limit — so the unit
 * has more overdue cases than its peers, and the rankings have someone at the bottom.
 */
export function slowDown(story: Story, r: Random, slack: number, who: readonly Who[]): Story {
  if (slack <= 0) return story;
  const steps = story.steps.map((step) =>
    who.includes(step.who) && 'clock' in step.when && r() < slack
      ? { ...step, when: { clock: between(r, 1.05, 2.2) } }
      : step,
  );
  return { ...story, steps };
}
