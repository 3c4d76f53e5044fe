import { describe, expect, it } from 'vitest';
import { CASE_ACTION_LIST } from '../src/core/workflow/index.ts';
import type { Schemas } from './support/api.ts';
import { T } from './support/cases.ts';
import { useCaseApi } from './support/harness.ts';
import { SLOW_TIER } from './support/tier.ts';

/** A payload as a client might send it: any fields, of any type. */
type Loose = Record<string, unknown>;

/**
 * "No input a client can send produces a 500": every action, odd payloads, cases in many states. The
 * slow tier sends the whole grid (about 2,700 requests); `npm test` sends every action with a rotating
 * sixth of the payloads per state and caller, so each action still meets each payload.
 */
describe('case actions never answer 500', () => {
  const t = useCaseApi();

  it('answers 2xx or a problem below 500 for every action × payload × state', async () => {
    // raw requests: odd payloads and unknown actions are what the contract refuses to type
    const act = async (who: string, id: string, action: string, body: Loose) =>
      t.raw(who, { method: 'POST', url: `/api/v1/cases/${id}/actions/${action}`, payload: body });
    const version = async (id: string) => (await t.detail('lead.a', id)).version;
    const make = async () =>
      (await t.report('patroller.a', { category: '0101', description: '群租', location: T.inGumeiC1 })).case
        .id;
    const advance = async (id: string, steps: [string, string, Loose][]) => {
      for (const [who, action, payload] of steps) {
        const res = await act(who, id, action, { version: await version(id), ...payload });
        expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
      }
    };
    const reported = await make();
    const registered = await make();
    await advance(registered, [['dispatcher.a', 'register', {}]]);
    const inProgress = await make();
    await advance(inProgress, [
      ['dispatcher.a', 'register', {}],
      ['dispatcher.a', 'dispatch', {}],
      ['housing.a', 'sign', {}],
    ]);
    const suspended = await make();
    await advance(suspended, [
      ['dispatcher.a', 'register', {}],
      ['dispatcher.a', 'dispatch', {}],
      ['housing.a', 'sign', {}],
      ['housing.a', 'request_suspension', { reason: '需规划认定' }],
      ['lead.a', 'approve_suspension', {}],
    ]);
    const patroller = t.users.get('patroller.a')!.id;
    const odd: Loose[] = [
      {},
      { photos: ['missing'], feedback: 'f', result: 'r', text: 't' },
      { patrollerId: 123, photos: 'x' },
      { patrollerId: patroller },
      { category: { code: 5 } },
      { category: '0000', masterCaseId: 'x' },
      { masterCaseId: reported },
      { leadDepartmentId: 'nope', assistingDepartmentIds: 'x' },
      { requestedDueAt: 'not a date', reason: 'r' },
      { requestedDueAt: '2020-01-01T00:00:00Z', dueAt: '9999-12-31T23:59:59Z', reason: 'r' },
      { reason: 'x'.repeat(10_000), passed: 'yes', satisfaction: 'meh' },
      { text: '\u0000', note: '\u0000' },
    ];
    for (const [s, id] of [reported, registered, inProgress, suspended].entries()) {
      let current = await version(id);
      for (const action of [...CASE_ACTION_LIST, 'report', '__proto__', 'constructor']) {
        for (const [w, who] of ['lead.a', 'housing.a'].entries()) {
          for (const payload of odd.filter((_, p) => SLOW_TIER || p % 6 === (s * 2 + w) % 6)) {
            const res = await act(who, id, action, { version: current, ...payload });
            expect(
              res.statusCode,
              `${who} ${action} ${JSON.stringify(payload).slice(0, 60)}: ${res.body}`,
            ).toBeLessThan(500);
            if (res.statusCode === 200) current = res.json<Schemas['CaseActionResult']>().case.version;
          }
        }
      }
    }
  });
});
