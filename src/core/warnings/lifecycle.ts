/** A warning's life: new → acknowledged → converted (to a case) | dismissed (with a reason). */
export const WARNING_STATES = ['new', 'acknowledged', 'converted', 'dismissed'] as const;
export type WarningState = (typeof WARNING_STATES)[number];

export type WarningAction = 'acknowledge' | 'convert' | 'dismiss';

const FROM: Record<WarningAction, readonly WarningState[]> = {
  acknowledge: ['new'],
  // a centre may convert or dismiss without acknowledging first
  convert: ['new', 'acknowledged'],
  dismiss: ['new', 'acknowledged'],
};

const TO: Record<WarningAction, WarningState> = {
  acknowledge: 'acknowledged',
  convert: 'converted',
  dismiss: 'dismissed',
};

/** An open warning blocks a new one for the same situation. */
export const isOpenWarning = (state: WarningState): boolean => state === 'new' || state === 'acknowledged';

/** The state after an action, or null when the action is not allowed from `state`. */
export function nextWarningState(state: WarningState, action: WarningAction): WarningState | null {
  return FROM[action].includes(state) ? TO[action] : null;
}

/** The actions allowed from a state (the API sends them with each warning). */
export const warningActions = (state: WarningState): WarningAction[] =>
  (Object.keys(FROM) as WarningAction[]).filter((a) => FROM[a].includes(state));
