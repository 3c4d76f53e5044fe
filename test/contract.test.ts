import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_TYPES_FILE,
  CONTRACT_FILE,
  clientTypesText,
  contractText,
  generateContract,
} from '../src/server/contract.ts';

/**
 * The committed contract (web/src/api/openapi.json) and the web client's types generated from it must be
 * what the server generates now: a changed schema without `npm run openapi` fails here (and in CI).
 */

type Json = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** Success answers that are not JSON: file bytes and the event stream. */
const NOT_JSON = new Set([
  'GET /api/v1/attachments/{id}',
  'GET /api/v1/events',
  'GET /api/v1/imports/{id}/errors.csv',
  'GET /api/v1/evaluation/export.csv',
  'GET /api/v1/evaluation/cases/export.csv',
  'GET /api/v1/base/people/export',
  'GET /api/v1/base/units/export',
  // issue 14: exports and the monthly report
  'GET /api/v1/cases/export',
  'GET /api/v1/evaluation/export.xlsx',
  'GET /api/v1/evaluation/cases/export.xlsx',
  'GET /api/v1/reports/monthly',
  'GET /api/v1/screening/campaigns/{id}/export',
]);
/** Free-form JSON inside named schemas: payloads as recorded, and GeoJSON positions. */
const FREE_FORM = [
  /^#\/components\/schemas\/CaseEvent\/properties\/payload\//,
  /^#\/components\/schemas\/Notification\/properties\/payload\//,
  /^#\/components\/schemas\/AuditPage\/properties\/items\/items\/properties\/payload$/,
  /^#\/components\/schemas\/AuditRecord\/properties\/payload$/,
  /^#\/components\/schemas\/Geometry\/properties\/coordinates\/items$/,
];

const document = await generateContract();
const ops = Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
  METHODS.filter((m) => m in item).map((m) => ({ path, method: m, op: item[m] as Json })),
);
const isEmptySchema = (s: unknown) =>
  typeof s === 'object' && s !== null && Object.keys(s).filter((k) => k !== 'description').length === 0;

describe('the API contract', () => {
  it('is committed as the server generates it (run `npm run openapi` after changing a schema)', async () => {
    expect(fs.readFileSync(CONTRACT_FILE, 'utf8')).toBe(contractText(document));
    expect(fs.readFileSync(CLIENT_TYPES_FILE, 'utf8')).toBe(await clientTypesText(document));
  });

  it('answers every operation with a named success schema, except file bytes and the event stream', () => {
    expect(ops.length).toBeGreaterThan(60);
    const bad: string[] = [];
    for (const { path, method, op } of ops) {
      const name = `${method.toUpperCase()} ${path}`;
      const responses = op.responses as Record<string, Json>;
      const success = Object.entries(responses).filter(([status]) => status.startsWith('2'));
      if (success.length === 0) bad.push(`${name}: no success response`);
      for (const [status, response] of success) {
        if (status === '204') continue;
        const content = response.content as Record<string, { schema: Json }> | undefined;
        // Open311's .xml twins answer text/xml (the same fields as their .json twins)
        if (NOT_JSON.has(name) || /^(GET|POST) \/open311\/v2\/.*\.xml$/.test(name)) {
          if (content?.['application/json']) bad.push(`${name}: ${status} should not be JSON`);
          continue;
        }
        const schema = content?.['application/json']?.schema;
        if (!schema?.$ref) bad.push(`${name}: ${status} is not a named schema`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('declares problem+json error answers on every operation', () => {
    const bad = ops
      .filter(({ path, op }) => {
        const errors = Object.entries(op.responses as Record<string, Json>).filter(([s]) => /^[45]/.test(s));
        // Open311 answers its specification's error list, [{code, description}]
        const schema = path.startsWith('/open311/') ? 'Open311Errors' : 'Problem';
        return (
          errors.length === 0 ||
          errors.some(([, r]) => JSON.stringify(r).indexOf(`#/components/schemas/${schema}`) < 0)
        );
      })
      .map(({ path, method }) => `${method} ${path}`);
    expect(bad).toEqual([]);
  });

  it('names every request body', () => {
    const bad = ops
      .filter(({ op }) => op.requestBody)
      .filter(({ op }) => {
        const content = (op.requestBody as Json).content as Record<string, { schema: Json }>;
        return Object.entries(content).some(([type, c]) => type.includes('json') && !c.schema.$ref);
      })
      .map(({ path, method }) => `${method} ${path}`);
    expect(bad).toEqual([]);
  });

  it('has no Unknown (empty) schema outside the free-form payloads', () => {
    const found: string[] = [];
    const walk = (node: unknown, pointer: string) => {
      if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${pointer}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      for (const [k, v] of Object.entries(node)) {
        const at = `${pointer}/${k}`;
        const schemaPlace =
          ['schema', 'items', 'additionalProperties'].includes(k) ||
          /\/(properties|patternProperties)$/.test(pointer);
        if (schemaPlace && isEmptySchema(v) && !FREE_FORM.some((re) => re.test(at))) found.push(at);
        walk(v, at);
      }
    };
    walk(document, '#');
    expect(found).toEqual([]);
  });

  it('publishes one operation per case action with the workflow’s payload schema', () => {
    const schemas = (document.components as Json).schemas as Record<string, Json>;
    const actions = ops.filter(({ path }) => path.startsWith('/api/v1/cases/{id}/actions/'));
    expect(actions).toHaveLength(28);
    const submitCheck = schemas.SubmitCheckActionBody!;
    expect(submitCheck.required).toEqual(expect.arrayContaining(['version', 'passed']));
    expect(submitCheck.then).toEqual({ required: ['note'] });
    expect(schemas.DispatchActionBody!.required).toEqual(['version']);
  });
});
