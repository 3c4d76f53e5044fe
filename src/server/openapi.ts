import { isDeepStrictEqual } from 'node:util';
import { CASE_ACTIONS, type CaseTransitionAction } from '../core/workflow/index.ts';
import { ACTION_BODIES } from './schemas/actions.ts';

/**
 * Turns the document @fastify/swagger generates into the published contract:
 * - every schema with an `$id` (TypeBox, see schemas/) is listed once under `components.schemas` by that
 *   name and referred to (`$ref`) everywhere it is used; two different schemas with one name are refused;
 * - the action route `POST /api/v1/cases/{id}/actions/{action}` is published as one operation per action,
 *   each with its own named body (the same URLs; the server keeps one route, see schemas/actions.ts).
 */

type Json = Record<string, unknown>;
/** Where a named schema keeps its name at run time (see runtimeSchema). */
const NAME = 'x-schema-name';
const ACTION_PATH = '/api/v1/cases/{id}/actions/{action}';
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function publishContract<T extends object>(document: T): T {
  const doc = structuredClone(document) as Json;
  const components = (doc.components ??= {}) as Json;
  const schemas = (components.schemas ??= {}) as Json;
  const paths = (doc.paths ?? {}) as Json;
  expandActions(paths);

  const hoist = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(hoist);
    if (!isObject(node)) return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) if (k !== '$id' && k !== NAME) out[k] = hoist(v);
    if (Array.isArray(out.items)) {
      // TypeBox writes tuples the draft-7 way; OpenAPI 3.1 (JSON Schema 2020-12) says prefixItems
      out.prefixItems = out.items;
      out.items = false;
      delete out.additionalItems;
    }
    const id = node[NAME] ?? node.$id;
    if (typeof id !== 'string') return out;
    const name = id.replace(/#$/, '');
    if (name in schemas && !isDeepStrictEqual(schemas[name], out))
      throw new Error(`Two different schemas are named ${name}`);
    schemas[name] = out;
    return { $ref: `#/components/schemas/${name}` };
  };
  doc.paths = hoist(paths);
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  components.schemas = sorted;
  return doc as T;
}

/**
 * A route schema as Fastify compiles it: a copy whose `$id`s are kept as plain annotations, because a
 * schema that names the same sub-schema twice (a case list names CaseState in several places) is
 * ambiguous to the validator and the serializer. The published document gets the names back.
 */
export function runtimeSchema<T>(schema: T): T {
  const copy = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(copy);
    if (!isObject(node)) return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) out[k === '$id' ? NAME : k] = copy(v);
    return out;
  };
  return copy(schema) as T;
}

/** Teaches the request validator the annotation that carries a schema's name (see runtimeSchema). */
export function schemaNameKeyword<A extends { addKeyword(definition: { keyword: string }): unknown }>(
  ajv: A,
): A {
  ajv.addKeyword({ keyword: NAME });
  return ajv;
}

function expandActions(paths: Json): void {
  const generic = paths[ACTION_PATH] as Json | undefined;
  const post = generic?.post as Json | undefined;
  if (!generic || !post) return;
  delete paths[ACTION_PATH];
  const parameters = ((post.parameters ?? []) as Json[]).filter((p) => p.name !== 'action');
  for (const [action, body] of Object.entries(
    ACTION_BODIES as unknown as Record<CaseTransitionAction, Json>,
  )) {
    paths[ACTION_PATH.replace('{action}', action)] = {
      post: {
        ...post,
        operationId: `case_${action}`,
        summary: `${CASE_ACTIONS[action as CaseTransitionAction]} — ${action}`,
        parameters,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: body } },
        },
      },
    };
  }
}
