/**
 * Every action of the case workflow (DESIGN §4) with its Chinese name. The rules of each action live in
 * table.ts; its payload shape in payloads.ts. Both are keyed by this list, so an action cannot be added
 * without its rule and payload.
 */
export const CASE_ACTIONS = {
  report: '上报', // creates the case: see openCase (intake.ts)
  request_verification: '派发核实',
  submit_verification: '反馈核实',
  register: '立案',
  reject: '不予立案',
  merge: '合并重复',
  dispatch: '派遣',
  handle_locally: '就地处置', // 小事不出居村: the committee work station solves it itself
  sign: '签收',
  return: '退回',
  request_extension: '申请延期',
  approve_extension: '批准延期',
  deny_extension: '驳回延期',
  request_suspension: '申请挂账',
  approve_suspension: '批准挂账',
  deny_suspension: '驳回挂账',
  resume: '恢复处置',
  handle: '处置反馈',
  assist_feedback: '协办反馈',
  assign_check: '派发核查',
  submit_check: '反馈核查',
  close: '结案',
  cancel: '作废',
  escalate: '上报上级',
  arbitrate: '裁定',
  supervise: '督办',
  comment: '备注',
  follow_up: '回访',
  reopen: '重新办理',
} as const satisfies Record<string, string>;
export type CaseAction = keyof typeof CASE_ACTIONS;
export const CASE_ACTION_LIST = Object.keys(CASE_ACTIONS) as CaseAction[];

/** Actions on an existing case (everything but `report`, which creates one). */
export type CaseTransitionAction = Exclude<CaseAction, 'report'>;
