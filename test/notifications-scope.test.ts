import { describe, expect, it } from 'vitest';
import { ok } from './support/api.ts';
import { T } from './support/cases.ts';
import { useCaseApi } from './support/harness.ts';

/**
 * Issue 9 finding 7: notifications follow the case scope of *now*. A department taken off a case keeps
 * its notices (what happened, when) but no longer reads the case's number, category or summary in them.
 */
describe('notifications follow the case scope of now', () => {
  const t = useCaseApi();
  const inbox = async (who: string, query: { caseId?: string } = {}) => {
    const res = await t.api(who).GET('/api/v1/notifications', { params: { query } });
    expect(res.response.status, JSON.stringify(res.error)).toBe(200);
    return ok(res).items;
  };

  it('redacts the case from a department’s notices once the case is taken off it', async () => {
    const created = await t.report('patroller.a', {
      category: '0101',
      description: '群租隔断 秘密细节',
      location: T.inGumeiC1,
    });
    const { id, caseNo } = created.case;
    // every step reads the case's version as the district lead, who sees it throughout
    await t.step('dispatcher.a', id, 'register', {}, 'dist.lead');
    await t.step('dispatcher.a', id, 'dispatch', {}, 'dist.lead');

    const before = (await inbox('housing.a')).filter((n) => n.caseId === id);
    expect(before.length).toBeGreaterThan(0);
    expect(before[0]!.payload).toMatchObject({ caseNo, summary: expect.stringContaining('秘密') });

    await t.step('housing.a', id, 'return', { reason: '不属于房管办职责' }, 'dist.lead');
    await t.step('dispatcher.a', id, 'dispatch', { leadDepartmentId: 'chengguan-310112006' }, 'dist.lead');

    const all = await inbox('housing.a');
    const text = JSON.stringify(all);
    expect(text).not.toContain(caseNo);
    expect(text).not.toContain('秘密');
    expect(text).not.toContain(id);
    // the notice itself stays: what happened, without the case
    const dispatched = all.find((n) => n.kind === 'dispatch' && n.payload?.redacted === true);
    expect(dispatched).toMatchObject({ caseId: null, payload: { redacted: true } });
    expect(dispatched!.payload!.categoryCode).toBeUndefined();
    // asking by case is asking about the case
    expect(await inbox('housing.a', { caseId: id })).toEqual([]);
    // the department now responsible still reads it all
    const current = (await inbox('chengguan.a')).find((n) => n.caseId === id);
    expect(current?.payload).toMatchObject({ caseNo });
    // and reading a redacted notice does not reveal the case either
    const read = await t
      .api('housing.a')
      .POST('/api/v1/notifications/{id}/read', { params: { path: { id: String(dispatched!.id) } } });
    expect(read.response.status, JSON.stringify(read.error)).toBe(200);
    expect(JSON.stringify(ok(read))).not.toContain(caseNo);
  });
});
