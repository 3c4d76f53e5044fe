/**
 * The stories of the demo history: what happens to a case after it is reported, and how often (plain data
 * from a seeded random source); history-player.ts plays them against the real use cases.
 */
import type { CaseState } from '../core/workflow/index.ts';
import {
  assignCheck,
  between,
  close,
  dispatch,
  followUp,
  handle,
  handledAndClosed,
  pace,
  pick,
  register,
  RETURN_REASONS,
  sign,
  submitCheck,
  type Random,
  type Reporter,
  type Step,
  type Story,
} from './history-steps.ts';

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

/**
 * The stories and how often each is told. `category` is drawn by the caller. `trouble` (0…1) is the share
 * of the unit's stories forced into a return (退回) or a rework (返工): a street or department that
 * struggles.
 */
export function tellStory(
  r: Random,
  category: string,
  alternativeLead: (lead: 'default') => string | undefined,
  trouble = 0,
): Story {
  const drawn = r();
  const forced = trouble > 0 && r() < trouble;
  const x = forced ? 0.34 + 0.14 * drawn : drawn;
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
    } else if (!citizen && confirmed && steps.at(-1)?.action === 'close') {
      // 回访: the hotline centre calls every caller back within a few days of the closure, so only the
      // cases closed in the last days before now are still on the follow-up list (issue 14)
      steps.push(followUp(r));
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
