import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { actionBodyChecker } from '../web/src/api/validate.ts';

const contract = JSON.parse(fs.readFileSync('web/src/api/openapi.json', 'utf8')) as {
  components: { schemas: Record<string, unknown> };
};
const actionBodyProblems = actionBodyChecker(contract.components.schemas);

describe('web action forms validate against the published action schemas', () => {
  it('refuses a failed check without a note, as the workflow does', () => {
    expect(actionBodyProblems('submit_check', { version: 3, passed: false })).toEqual([
      { path: '/note', keyword: 'required' },
    ]);
    expect(actionBodyProblems('submit_check', { version: 3, passed: false, note: '没修好' })).toEqual([]);
    expect(actionBodyProblems('submit_check', { version: 3, passed: true })).toEqual([]);
  });

  it('refuses handling without photos and unknown fields', () => {
    expect(actionBodyProblems('handle', { version: 2, result: '已处置', photos: [] })).toEqual([
      { path: '/photos', keyword: 'minItems' },
    ]);
    expect(actionBodyProblems('sign', { version: 2, bogus: 1 }).map((p) => p.keyword)).toContain(
      'additionalProperties',
    );
  });

  it('takes what the platform fills in: dispatch without a lead, register with a category code', () => {
    expect(actionBodyProblems('dispatch', { version: 2 })).toEqual([]);
    expect(actionBodyProblems('register', { version: 1, category: '0101' })).toEqual([]);
  });
});

describe('the console lists of states and sources', () => {
  it('are the contract enums, in the contract order', async () => {
    const { STATE_LIST, SOURCE_LIST } = await import('../web/src/api/enums.ts');
    const schemas = contract.components.schemas as Record<string, { enum?: string[] }>;
    expect([...STATE_LIST]).toEqual(schemas.CaseState!.enum);
    expect([...SOURCE_LIST]).toEqual(schemas.CaseSource!.enum);
  });
});
