/**
 * The states of a case and the deadline clock each state runs (DESIGN §4, §5). Adding a state means adding
 * a row here, which the type checker enforces (`Record<CaseState, …>`).
 */

/** Case states with their Chinese names as shown in the UI. */
export const CASE_STATES = {
  reported: '待受理',
  verifying: '核实中',
  registered: '已立案/待派遣',
  dispatched: '待签收',
  in_progress: '处置中',
  suspended: '挂账',
  handled: '待核查',
  checking: '核查中',
  resolved: '待结案',
  closed: '结案',
  rejected: '不予立案',
  cancelled: '作废',
} as const satisfies Record<string, string>;
export type CaseState = keyof typeof CASE_STATES;
export const CASE_STATE_LIST = Object.keys(CASE_STATES) as CaseState[];

/** The stages that carry a deadline (DESIGN §5). */
export const CLOCK_STAGES = ['register', 'verify', 'dispatch', 'sign', 'handle', 'check', 'close'] as const;
export type ClockStage = (typeof CLOCK_STAGES)[number];

export interface StateInfo {
  /** No action but comment/follow-up/reopen leaves it: the case is over. */
  terminal: boolean;
  /** The deadline clock running while the case sits in this state. */
  clock: ClockStage | null;
  /** A clock that is stopped but not finished in this state (挂账 stops the handling clock). */
  paused: ClockStage | null;
}

export const STATES: Record<CaseState, StateInfo> = {
  reported: { terminal: false, clock: 'register', paused: null },
  verifying: { terminal: false, clock: 'verify', paused: null },
  registered: { terminal: false, clock: 'dispatch', paused: null },
  dispatched: { terminal: false, clock: 'sign', paused: null },
  in_progress: { terminal: false, clock: 'handle', paused: null },
  suspended: { terminal: false, clock: null, paused: 'handle' },
  // the check clock covers assigning the check and the check itself: 120 min from the handling report
  handled: { terminal: false, clock: 'check', paused: null },
  checking: { terminal: false, clock: 'check', paused: null },
  resolved: { terminal: false, clock: 'close', paused: null },
  closed: { terminal: true, clock: null, paused: null },
  rejected: { terminal: true, clock: null, paused: null },
  cancelled: { terminal: true, clock: null, paused: null },
};

/** States in which the case is still being worked on. */
export const OPEN_STATES = CASE_STATE_LIST.filter((s) => !STATES[s].terminal);

export const isOpen = (state: CaseState): boolean => !STATES[state].terminal;
