import { describe, expect, it } from 'vitest';
import { ok } from './support/api.ts';
import { T } from './support/cases.ts';
import { useCaseApi } from './support/harness.ts';

const MINUTE = 60_000;

// Issue 11 §4: 我的上报 — the cases one reported, newest first, with state, the running clock on the
// working calendar and the result; a citizen gets each in the public view (issue 11 §5).
describe('my reports (GET /api/v1/me/reports)', () => {
  const t = useCaseApi();
  const mine = async (
    who: string,
    query: { state?: 'open' | 'closed'; cursor?: string; limit?: number } = {},
  ) => ok(await t.api(who).GET('/api/v1/me/reports', { params: { query } }));

  it('lists the patroller’s reports newest first, with the clock, paged by cursor', async () => {
    const first = await t.report('patroller.a', {
      category: '0501',
      description: '绿化带垃圾堆放',
      location: T.inGumeiC1,
    });
    t.clock.advance(5 * MINUTE);
    const second = await t.report('patroller.a', {
      category: '0501',
      description: '人行道垃圾',
      location: T.inGumeiC1,
    });
    // somebody else's report in the same grid is in the patroller's scope, but not theirs
    await t.report('coordinator.a1', { category: '0501', description: '别人的上报', location: T.inGumeiC1 });

    const all = await mine('patroller.a');
    expect(all.items.map((i) => i.case.id)).toEqual([second.case.id, first.case.id]);
    const item = all.items[0]!;
    expect(item.case.state).toBe(second.case.state);
    expect(item.clock).not.toBeNull();
    expect(item.clock!.stage).toBe(item.case.deadline!.stage);
    expect(item.clock!.dueAt).toBe(item.case.deadline!.dueAt);
    expect(item.clock!.overdue).toBe(false);
    expect(item.satisfaction).toBeNull();

    const page1 = await mine('patroller.a', { limit: 1 });
    expect(page1.items.map((i) => i.case.id)).toEqual([second.case.id]);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await mine('patroller.a', { limit: 1, cursor: page1.nextCursor! });
    expect(page2.items.map((i) => i.case.id)).toEqual([first.case.id]);
    expect(page2.nextCursor).toBeNull();

    // past the limit on the working calendar the clock says overdue (time used beyond the limit)
    t.clock.advance(3 * 24 * 60 * MINUTE);
    const late = (await mine('patroller.a')).items.find((i) => i.case.id === first.case.id)!;
    expect(late.clock!.overdue).toBe(true);
    expect(late.clock!.used).toBeGreaterThan(late.clock!.limit.amount);
  });

  it('filters by open and closed, and shows the result of a closed case', async () => {
    const c = await t.report('patroller.a2', {
      category: '0501',
      description: '楼道堆物',
      location: T.inGumeiC2,
    });
    const open = await mine('patroller.a2', { state: 'open' });
    expect(open.items.map((i) => i.case.id)).toContain(c.case.id);
    await t.step('lead.a', c.case.id, 'reject', { reasonCode: 'out_of_scope', reason: '不属于受理范围' });

    const closed = await mine('patroller.a2', { state: 'closed' });
    expect(closed.items.map((i) => i.case.id)).toEqual([c.case.id]);
    expect(closed.items[0]!.case.state).toBe('rejected');
    expect(closed.items[0]!.clock).toBeNull();
    expect((await mine('patroller.a2', { state: 'open' })).items.map((i) => i.case.id)).not.toContain(
      c.case.id,
    );
  });

  it('gives a citizen their own reports, merged duplicates included, in the public view', async () => {
    const master = await t.report('citizen1', {
      category: '0101',
      description: '隔壁群租，住了十几个人',
      location: T.inGumeiC1,
    });
    const duplicate = await t.report('citizen2', {
      category: '0101',
      description: '楼上群租',
      location: T.inGumeiC1,
    });
    await t.step('dispatcher.a', duplicate.case.id, 'merge', { masterCaseId: master.case.caseNo });

    const one = await mine('citizen1');
    expect(one.items.map((i) => i.case.id)).toEqual([master.case.id]);
    const [item] = one.items;
    // the staff see the police, the department and the clock; the citizen none of them
    const staff = await t.detail('dispatcher.a', master.case.id);
    expect(staff.policeDepartmentId).not.toBeNull();
    expect(item).toMatchObject({
      clock: null,
      case: { policeDepartmentId: null, policeMode: 'none', leadDepartmentId: null, deadline: null },
    });

    // the reporter of the merged duplicate follows both: the duplicate (merged) and the case it joined
    const two = await mine('citizen2');
    expect(two.items.map((i) => i.case.id).sort()).toEqual([master.case.id, duplicate.case.id].sort());
    expect(two.items.find((i) => i.case.id === duplicate.case.id)!.case.mergedInto).toBe(master.case.id);

    // a dispatcher who reported nothing has no reports, whatever their scope
    expect((await mine('dispatcher.b')).items).toEqual([]);
  });

  it('refuses a crafted cursor (400) and anonymous callers (401)', async () => {
    const bad = await t.api('patroller.a').GET('/api/v1/me/reports', {
      params: { query: { cursor: 'bm90LWEtY3Vyc29y' } },
    });
    expect(bad.response.status).toBe(400);
    const anonymous = await t.api(null).GET('/api/v1/me/reports');
    expect(anonymous.response.status).toBe(401);
  });
});
