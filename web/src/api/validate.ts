import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';

/**
 * Checks an action's body against the schema the server publishes for it (`<Action>ActionBody` in the
 * committed openapi.json), so forms refuse what the server would refuse without restating its rules.
 * The server checks again; this only saves a round trip and says it in the user's language.
 */

const schemaName = (action: string) =>
  `${action
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}ActionBody`;

export interface BodyProblem {
  /** The field (JSON pointer without `#`), e.g. `/note`. */
  path: string;
  /** The JSON Schema keyword that failed, e.g. `required`, `minItems`, `minLength`. */
  keyword: string;
}

/**
 * A checker over the contract's `components.schemas`: what is wrong with `body` for `action` (empty when
 * it is valid, or when the contract has no schema for the action).
 */
export function actionBodyChecker(schemas: Record<string, unknown>) {
  const validators = new Map<string, Validator | null>();
  const validatorFor = (action: string) => {
    if (!validators.has(action)) {
      const schema = schemas[schemaName(action)];
      validators.set(action, schema ? new Validator(schema as Schema, '2020-12', false) : null);
    }
    return validators.get(action) ?? null;
  };
  return (action: string, body: Record<string, unknown>): BodyProblem[] => {
    const result = validatorFor(action)?.validate(body);
    if (!result || result.valid) return [];
    return result.errors
      .filter((e: OutputUnit) => !['properties', 'if', 'then', 'allOf', 'anyOf', '$ref'].includes(e.keyword))
      .map((e: OutputUnit) => ({ path: pathOf(e), keyword: e.keyword }));
  };
}

function pathOf(e: OutputUnit): string {
  const at = e.instanceLocation.replace(/^#/, '');
  if (e.keyword !== 'required') return at;
  // `required` is reported on the object: name the missing property instead
  const missing = /"([^"]+)"/.exec(e.error)?.[1];
  return missing ? `${at}/${missing}` : at;
}
