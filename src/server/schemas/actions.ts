import { Type, type TObject, type TSchema } from 'typebox';
import { CASE_ACTIONS, PAYLOADS, type CaseTransitionAction } from '../../core/workflow/index.ts';

/**
 * The body of `POST /api/v1/cases/{id}/actions/{action}` for each action: the workflow's payload schema
 * (core/workflow/payloads.ts) plus the case `version` the client saw, with what the platform fills in
 * for the client (register takes a category code; dispatch without a lead follows the matrix; merge
 * takes a case number). The route validates `version` and the workflow validates the payload (after
 * state and role, so an impossible action says so first); these schemas publish the same rules in the
 * contract, one operation per action (see ../openapi.ts).
 */

const pascal = (action: string) =>
  action
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** The component name of an action's body, e.g. `SubmitCheckActionBody`. */
export const actionBodyName = (action: CaseTransitionAction) => `${pascal(action)}ActionBody`;

const CategoryCode = Type.String({
  pattern: '^[0-9]{2}([0-9]{2})?$',
  description: '大类 (2 digits) or 小类 (4 digits)',
});

/** HTTP shapes that differ from the workflow's payload (see app/cases/resolve-payload.ts). */
const OVERRIDES: Partial<Record<CaseTransitionAction, Record<string, TSchema>>> = {
  register: {
    category: Type.Optional(
      Type.Union([CategoryCode, PAYLOADS.register.properties.category], {
        description: 'recategorise: a category code; police linkage follows the responsibility matrix',
      }),
    ),
  },
  dispatch: {
    leadDepartmentId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'without it the responsibility matrix decides the lead and assisting departments',
      }),
    ),
  },
  merge: {
    masterCaseId: Type.String({ minLength: 1, maxLength: 100, description: 'case id or case number' }),
  },
};

/** Rules across fields that JSON Schema can say (the workflow checks them too, in table.ts). */
const noteWhenFalse = (flag: string) => ({
  if: { properties: { [flag]: { const: false } }, required: [flag] },
  then: { required: ['note'] },
});
const CONDITIONS: Partial<Record<CaseTransitionAction, Record<string, unknown>>> = {
  submit_verification: noteWhenFalse('confirmed'),
  submit_check: noteWhenFalse('passed'),
};

const Version = Type.Integer({ minimum: 1, description: 'the case version you saw (409 when stale)' });

export const ACTION_BODIES = Object.fromEntries(
  (Object.keys(CASE_ACTIONS) as (keyof typeof CASE_ACTIONS)[])
    .filter((a): a is CaseTransitionAction => a !== 'report')
    .map((action) => {
      const payload = PAYLOADS[action] as TObject;
      return [
        action,
        Type.Object(
          { version: Version, ...payload.properties, ...OVERRIDES[action] },
          {
            $id: actionBodyName(action),
            description: `${CASE_ACTIONS[action]} (${action})`,
            additionalProperties: false,
            ...CONDITIONS[action],
          },
        ),
      ];
    }),
) as unknown as Record<CaseTransitionAction, TObject>;
