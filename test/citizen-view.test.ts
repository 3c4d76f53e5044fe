import { describe, expect, it } from 'vitest';
import { ok } from './support/api.ts';
import { T } from './support/cases.ts';
import { useCaseApi } from './support/harness.ts';

// Issue 11 §5: a signed-in citizen gets the public view of their case from the API (the presenter decides,
// not the page): no staff names, notes, internal steps, escalations, time limits or police.
describe('the citizen’s view of their own case', () => {
  const t = useCaseApi();

  it('shows the citizen their own entries and the public steps only', async () => {
    const created = await t.report('citizen1', {
      category: '0101',
      description: '隔壁群租，住了十几个人',
      location: T.inGumeiC1,
    });
    const id = created.case.id;
    await t.act('dispatcher.a', id, 'comment', { text: '内部备注：房东王某，曾多次投诉' });
    await t.act('citizen1', id, 'comment', { text: '晚上十点后最吵' });

    const staff = await t.detail('dispatcher.a', id);
    expect(staff.policeDepartmentId).toBe('police-310112006');
    expect(staff.deadlines.length).toBeGreaterThan(0);
    const staffNote = staff.events.find((e) => JSON.stringify(e.payload).includes('内部备注'))!;
    expect(staffNote.actor.name).toBeTruthy();

    const mine = await t.detail('citizen1', id);
    expect(mine).toMatchObject({
      id,
      caseNo: created.case.caseNo,
      policeDepartmentId: null,
      policeMode: 'none',
      leadDepartmentId: null,
      assistingDepartmentIds: [],
      deadline: null,
      deadlines: [],
      escalated: false,
      pendingRequests: [],
      routing: null,
    });
    const text = JSON.stringify(mine);
    expect(text).not.toContain(staffNote.actor.name!);
    expect(text).not.toContain('内部备注');
    expect(text).not.toContain('police-310112006');
    // their own report and comment stay as they wrote them
    expect(mine.events.map((e) => e.action)).toEqual(['report', 'comment']);
    expect(mine.events[1]!.payload).toMatchObject({ text: '晚上十点后最吵' });
    expect(Object.keys(mine.names).every((k) => k === '0101' || k === '01')).toBe(true);

    const list = ok(await t.api('citizen1').GET('/api/v1/cases'));
    expect(list.items.map((c) => c.id)).toEqual([id]);
    expect(list.items[0]).toMatchObject({ policeDepartmentId: null, deadline: null, leadDepartmentId: null });
  });
});
