/** The case workflow (DESIGN §4): see README.md in this folder. */
export * from './actions.ts';
export * from './states.ts';
export * from './snapshot.ts';
export * from './payloads.ts';
export * from './effects.ts';
export type { Assignee, Who } from './assignment.ts';
export { RULES, closureTypeOf } from './table.ts';
export type { ActionRule, Applied, Notice, TransitionFacts } from './rule-kit.ts';
export { transition, allowedActions, actionsFrom, actionLabel } from './transition.ts';
export { openCase, absorbDuplicate, SOURCE_ROLES, filesOnBehalf, type OpenCaseInput } from './intake.ts';
