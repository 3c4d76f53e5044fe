/**
 * The stories of the demo history: what happens to a case after it is reported, as a list of workflow
 * actions with who takes them and when (relative to the running stage clock, so most steps are on time
 * and some are late). Plain data built from a seeded random source; history.ts plays them against the
 * real use cases.
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

const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const between = (r: Random, a: number, b: number) => a + (b - a) * r();

/** Mostly well within the limit, some close to it, a few late (`lateShare`). */
export function pace(r: Random, lateShare = 0.04): number {
  const x = r();
  if (x < lateShare) return between(r, 1.05, 2.8);
  if (x < lateShare + 0.16) return between(r, 0.7, 1);
  return between(r, 0.05, 0.7);
}

const RESULTS = [
  '已现场处置完毕，恢复原状',
  '已责令当事人整改并复查到位',
  '已清理完毕，现场整洁',
  '已依法查处，当事人已签收整改通知',
];
const RETURN_REASONS = [
  '不属于本单位职责范围，请改派',
  '地址有误，非本单位辖区',
  '权属不清，建议由区级部门处理',
];

const register = (r: Random, category?: string): Step => ({
  when: { clock: pace(r) },
  who: 'intake',
  action: 'register',
  payload: () => (category ? { category } : {}),
  leaves: 'registered',
});
const dispatch = (r: Random, lead?: string): Step => ({
  when: { clock: pace(r) },
  who: 'intake',
  action: 'dispatch',
  payload: () => (lead ? { leadDepartmentId: lead, assistingDepartmentIds: [] } : {}),
  leaves: 'dispatched',
});
const sign = (r: Random): Step => ({
  when: { clock: pace(r) },
  who: 'department',
  action: 'sign',
  leaves: 'in_progress',
});
const handle = (r: Random, late = 0.08): Step => ({
  when: { clock: pace(r, late) },
  who: 'department',
  action: 'handle',
  payload: async (c) => ({ result: pick(r, RESULTS), photos: [await c.photo('after')] }),
  leaves: 'handled',
});
const assignCheck = (r: Random): Step => ({
  when: { clock: between(r, 0.05, 0.3) },
  who: 'intake',
  action: 'assign_check',
  payload: (c) => ({ patrollerId: c.patrollerId }),
  leaves: 'checking',
});
const submitCheck = (r: Random, passed: boolean): Step => ({
  when: { clock: between(r, 0.35, 0.95) },
  who: 'assignee',
  action: 'submit_check',
  payload: () => (passed ? { passed } : { passed, note: '现场复查仍有问题，需返工' }),
  leaves: passed ? 'resolved' : 'in_progress',
});
const close = (r: Random): Step => ({
  when: { clock: pace(r, 0.02) },
  who: 'decider',
  action: 'close',
  leaves: 'closed',
});
type Satisfaction = 'satisfied' | 'basically_satisfied' | 'unsatisfied';
const followUp = (
  r: Random,
  satisfaction: Satisfaction = pick(r, ['satisfied', 'satisfied', 'basically_satisfied'] as const),
): Step => ({
  when: { days: between(r, 1, 4) },
  who: 'intake',
  action: 'follow_up',
  payload: () => ({ satisfaction, note: '电话回访' }),
});
const assistFeedback = (r: Random): Step => ({
  when: { hours: between(r, 1, 6) },
  who: 'assisting',
  action: 'assist_feedback',
  optional: true,
  payload: () => ({ feedback: '已配合主办单位到场处置' }),
});

/** Sign, (assisting feedback,) handle, check, close: the department's and the territory's part. */
function handledAndClosed(r: Random, options: { rework?: boolean; late?: number } = {}): Step[] {
  const steps: Step[] = [sign(r)];
  if (r() < 0.25) steps.push(assistFeedback(r));
  steps.push(handle(r, options.late), assignCheck(r));
  if (options.rework) steps.push(submitCheck(r, false), handle(r), assignCheck(r));
  steps.push(submitCheck(r, true), close(r));
  if (r() < 0.3) steps.push(followUp(r));
  return steps;
}

const story = (
  name: string,
  reporter: Reporter,
  category: string | null,
  steps: Step[],
  extra: Partial<Story> = {},
): Story => ({
  name,
  reporter,
  category,
  urgent: false,
  selfHandled: false,
  steps,
  ...extra,
});

/** The stories and how often each is told. `category` is drawn by the caller. */
export function tellStory(
  r: Random,
  category: string,
  alternativeLead: (lead: 'default') => string | undefined,
): Story {
  const x = r();
  const normal = () => [register(r), dispatch(r), ...handledAndClosed(r)];
  if (x < 0.34) return story('normal', 'patroller', category, normal());
  if (x < 0.42)
    return story('rework', 'patroller', category, [
      register(r),
      dispatch(r),
      ...handledAndClosed(r, { rework: true }),
    ]);
  if (x < 0.48) {
    const back: Step = {
      when: { clock: pace(r) },
      who: 'department',
      action: 'return',
      payload: () => ({ reason: pick(r, RETURN_REASONS) }),
      leaves: 'registered',
    };
    return story('returned', 'patroller', category, [
      register(r),
      dispatch(r),
      back,
      dispatch(r, alternativeLead('default')),
      ...handledAndClosed(r),
    ]);
  }
  if (x < 0.58) {
    const confirmed = r() < 0.8;
    const verify: Step[] = [
      {
        when: { clock: pace(r) },
        who: 'intake',
        action: 'request_verification',
        payload: (c) => ({ patrollerId: c.patrollerId }),
        leaves: 'verifying',
      },
      {
        when: { clock: pace(r) },
        who: 'assignee',
        action: 'submit_verification',
        payload: () => (confirmed ? { confirmed } : { confirmed, note: '现场未发现所反映问题' }),
        leaves: 'reported',
      },
    ];
    const tail: Step[] = confirmed
      ? [register(r, category), dispatch(r), ...handledAndClosed(r)]
      : [
          {
            when: { clock: pace(r) },
            who: 'decider',
            action: 'reject',
            payload: () => ({ reasonCode: 'invalid', reason: '经核实不存在所反映问题' }),
            leaves: 'rejected',
          },
        ];
    const citizen = r() < 0.6;
    const steps = [...verify, ...tail];
    if (citizen && confirmed && steps.at(-1)?.action === 'close') {
      steps.push({
        when: { days: between(r, 1, 5) },
        who: 'reporter',
        action: 'follow_up',
        payload: () => ({ satisfaction: pick(r, ['satisfied', 'basically_satisfied'] as const) }),
      });
    }
    return story(
      citizen ? 'citizen' : 'hotline',
      citizen ? 'citizen' : 'hotline',
      citizen && r() < 0.5 ? null : category,
      steps,
    );
  }
  if (x < 0.67) return story('self_handled', 'patroller', category, [close(r)], { selfHandled: true });
  if (x < 0.71) {
    const request: Step = {
      when: { clock: between(r, 0.2, 0.6) },
      who: 'department',
      action: 'request_suspension',
      payload: () => ({ reason: '涉及规划调整，需等待区规划部门意见' }),
    };
    const approve: Step = {
      when: { hours: between(r, 0.5, 4) },
      who: 'decider',
      action: 'approve_suspension',
      leaves: 'suspended',
    };
    const after: Step[] =
      r() < 0.6
        ? [
            { when: { days: between(r, 5, 20) }, who: 'decider', action: 'resume', leaves: 'in_progress' },
            handle(r),
            assignCheck(r),
            submitCheck(r, true),
            close(r),
          ]
        : [
            {
              when: { days: between(r, 10, 30) },
              who: 'decider',
              action: 'close',
              payload: () => ({ note: '长期挂账，转入专项整治计划，特殊结案' }),
              leaves: 'closed',
            },
          ];
    return story('suspended', 'patroller', category, [
      register(r),
      dispatch(r),
      sign(r),
      request,
      approve,
      ...after,
    ]);
  }
  if (x < 0.76) {
    const request: Step = {
      when: { clock: between(r, 0.5, 0.9) },
      who: 'department',
      action: 'request_extension',
      payload: (c) => ({ reason: '当事人外出，需延期处置', requestedDueAt: c.laterDue(3) }),
    };
    const approve: Step = {
      when: { hours: between(r, 0.3, 3) },
      who: 'decider',
      action: 'approve_extension',
    };
    return story('extended', 'patroller', category, [
      register(r),
      dispatch(r),
      sign(r),
      request,
      approve,
      handle(r, 0.05),
      assignCheck(r),
      submitCheck(r, true),
      close(r),
    ]);
  }
  if (x < 0.79) {
    const escalate: Step = {
      when: { clock: pace(r) },
      who: 'decider',
      action: 'escalate',
      payload: () => ({ reason: '多个部门对职责有争议，提请区中心裁定' }),
    };
    const arbitrate: Step = {
      when: { hours: between(r, 1, 8) },
      who: 'decider',
      action: 'arbitrate',
      payload: () => ({
        leadDepartmentId: alternativeLead('default') ?? 'dist-chengguan',
        ruling: '经区中心协调，明确由该部门牵头处置',
        handBack: true,
      }),
      leaves: 'dispatched',
    };
    return story('escalated', 'patroller', category, [
      register(r),
      escalate,
      arbitrate,
      ...handledAndClosed(r),
    ]);
  }
  if (x < 0.84) {
    // 小事不出居村: a coordinator's dispute report, settled by the work station itself
    const local: Step = {
      when: { clock: pace(r) },
      who: 'intake',
      action: 'handle_locally',
      payload: async (c) => ({ result: '工作站组织双方调解，已达成和解', photos: [await c.photo('after')] }),
      leaves: 'handled',
    };
    return story('committee', 'coordinator', '0603', [
      register(r),
      local,
      assignCheck(r),
      submitCheck(r, true),
      close(r),
    ]);
  }
  if (x < 0.86) {
    return story(
      'unrest',
      'patroller',
      '0602',
      [register(r), dispatch(r), ...handledAndClosed(r, { late: 0.2 })],
      { urgent: true },
    );
  }
  if (x < 0.89) {
    const reject: Step = {
      when: { clock: pace(r) },
      who: 'decider',
      action: 'reject',
      payload: () => ({ reasonCode: 'out_of_scope', reason: '属物业管理范畴，已告知物业处理' }),
      leaves: 'rejected',
    };
    return story('rejected', 'patroller', category, [reject]);
  }
  if (x < 0.91) {
    const cancel: Step = {
      when: { hours: between(r, 1, 10) },
      who: 'decider',
      action: 'cancel',
      payload: () => ({ reason: '当事人已自行整改，撤销派遣' }),
      leaves: 'cancelled',
    };
    return story('cancelled', 'patroller', category, [register(r), dispatch(r), cancel]);
  }
  if (x < 0.94) {
    const unhappy = followUp(r, 'unsatisfied');
    const reopen: Step = {
      when: { hours: between(r, 1, 6) },
      who: 'decider',
      action: 'reopen',
      payload: () => ({ reason: '市民回访不满意，重新办理' }),
      leaves: 'registered',
    };
    return story('reopened', 'patroller', category, [
      register(r),
      dispatch(r),
      sign(r),
      handle(r),
      assignCheck(r),
      submitCheck(r, true),
      close(r),
      unhappy,
      reopen,
      dispatch(r),
      ...handledAndClosed(r),
    ]);
  }
  if (x < 0.97) {
    // a leader's supervision order (督办) on a slow case
    const supervise: Step = {
      when: { hours: between(r, 2, 16) },
      who: 'leader',
      action: 'supervise',
      payload: () => ({ note: '请加快处置进度，按期办结', priority: 'high' }),
    };
    return story('supervised', 'patroller', category, [
      register(r),
      dispatch(r),
      sign(r),
      supervise,
      handle(r, 0.5),
      assignCheck(r),
      submitCheck(r, true),
      close(r),
    ]);
  }
  const master = story('normal', 'patroller', category, normal());
  const merge: Step = {
    when: { clock: between(r, 0.1, 0.5) },
    who: 'intake',
    action: 'merge',
    payload: (c) => ({ masterCaseId: c.masterCaseId, note: '与已有案件重复' }),
    leaves: 'rejected',
  };
  return story('duplicate', 'citizen', category, [merge], { duplicateOf: master });
}

/** The story cut right after it reaches `state` (for cases still open now); null when it never does. */
export function truncateAt(s: Story, state: CaseState): Story | null {
  const i = s.steps.findIndex((step) => step.leaves === state);
  if (state === 'reported') return { ...s, steps: [] };
  return i < 0 ? null : { ...s, steps: s.steps.slice(0, i + 1) };
}
