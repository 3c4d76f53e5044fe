import { describe, expect, it } from 'vitest';
import { ok, type Schemas } from './support/api.ts';
import { T } from './support/cases.ts';
import { useCaseApi } from './support/harness.ts';

// Issue 11 §1: the intake desk — suggestions and duplicates before saving, ticket numbers, callers, merge.
describe('the intake desk', () => {
  const t = useCaseApi();
  const intake = (who: string, body: Schemas['IntakeBody'], key?: string) =>
    t.api(who).POST('/api/v1/intake', {
      body,
      ...(key ? { params: { header: { 'idempotency-key': key } } } : {}),
    });
  const check = (who: string, body: Schemas['IntakeCheckBody']) =>
    t.api(who).POST('/api/v1/intake/check', { body });

  it('opens the desk’s map on its street, and the district’s on the district', async () => {
    const street = ok(await t.api('dispatcher.a').GET('/api/v1/intake/desk'));
    expect(street.region).toMatchObject({ code: T.gumei, level: 'street' });
    const district = ok(await t.api('dist.lead').GET('/api/v1/intake/desk'));
    expect(district.region.level).toBe('district');
    expect(district.zoom).toBeLessThan(street.zoom);
    for (const who of ['patroller.a', 'citizen1', 'housing.a', 'police.a', 'leader']) {
      expect((await t.api(who).GET('/api/v1/intake/desk')).response.status).toBe(403);
      expect((await check(who, { description: '垃圾' })).response.status).toBe(403);
    }
  });

  it('suggests categories from the description and shows open cases of the category nearby', async () => {
    const empty = ok(await check('dispatcher.a', { description: '', location: T.inGumeiC1 }));
    expect(empty).toMatchObject({
      suggestions: [],
      duplicates: [],
      duplicatesFor: null,
      streetCode: T.gumei,
    });
    const first = ok(
      await intake('dispatcher.a', {
        source: 'hotline',
        ticketNo: 'GD-20260304-0001',
        caller: { name: '王先生', phone: '13912345678' },
        category: '0501',
        description: '小区门口垃圾堆了三天',
        location: T.inGumeiC1,
      }),
    );
    expect(first.case).toMatchObject({
      source: 'hotline',
      ticketNo: 'GD-20260304-0001',
      categoryCode: '0501',
    });
    expect(first.openCaseId).toBe(first.case.id);
    const seen = ok(await check('dispatcher.a', { description: '门口垃圾没人清理', location: T.inGumeiC1 }));
    expect(seen.suggestions[0]).toMatchObject({ code: '0501', nameZh: '暴露垃圾' });
    expect(seen.duplicatesFor).toBe('0501');
    expect(seen.duplicates.map((d) => d.id)).toContain(first.case.id);
    expect(seen.mayMerge).toBe(true);
    // the district desk sees it too, but merges through the street
    const district = ok(await check('dist.dispatcher', { category: '0501', location: T.inGumeiC1 }));
    expect(district.duplicates.map((d) => d.id)).toContain(first.case.id);
    expect(district.mayMerge).toBe(false);
    // 新虹's desk does not see 古美's case
    const other = ok(await check('dispatcher.b', { category: '0501', location: T.inGumeiC1 }));
    expect(other.duplicates).toEqual([]);
  });

  it('keeps the caller masked, the ticket searchable and unique per district', async () => {
    const saved = ok(
      await intake('lead.a', {
        source: 'hotline',
        ticketNo: 'GD-20260304-0002',
        caller: { name: '李女士', phone: '13800001111' },
        category: '0102',
        urgency: 'urgent',
        description: '楼顶加盖阳光房',
        location: T.inGumeiC2,
      }),
    );
    const detail = await t.detail('housing.a', saved.case.id).catch(() => null);
    if (detail) expect(detail.reporter.phone).not.toBe('13800001111');
    const own = await t.detail('lead.a', saved.case.id);
    expect(own.ticketNo).toBe('GD-20260304-0002');
    expect(own.urgency).toBe('urgent');
    const found = ok(
      await t.api('dispatcher.a').GET('/api/v1/cases', { params: { query: { text: '20260304-0002' } } }),
    );
    expect(found.items.map((c) => c.id)).toEqual([saved.case.id]);

    const again = await intake('dist.dispatcher', {
      source: 'hotline',
      ticketNo: 'GD-20260304-0002',
      description: '同一工单',
      location: T.inGumeiC2,
    });
    expect(again.response.status).toBe(409);
    expect(again.error).toMatchObject({ reason: 'ticket_taken', caseNo: saved.case.caseNo });
  });

  it('records walk-ins, leaders’ instructions and departments’ transfers on nobody’s account', async () => {
    for (const source of ['walk_in', 'leader', 'department'] as const) {
      const saved = ok(
        await intake('dispatcher.a', {
          source,
          caller: { name: '来访者' },
          description: `${source} 反映道路问题`,
          location: T.inGumeiC1,
        }),
      );
      expect(saved.case.source).toBe(source);
      const mine = ok(
        await t.api('dispatcher.a').GET('/api/v1/cases/{id}', { params: { path: { id: saved.case.id } } }),
      );
      expect(mine.reporter.name).not.toBe('古美派遣员');
    }
  });

  it('merges the call into the open case in one step and opens that case', async () => {
    const master = ok(
      await intake('dispatcher.a', {
        source: 'walk_in',
        category: '0101',
        description: '302室群租，住了很多人',
        location: T.inGumeiC1,
      }),
    );
    const merged = ok(
      await intake(
        'dispatcher.a',
        {
          source: 'hotline',
          ticketNo: 'GD-20260304-0003',
          caller: { name: '赵先生', phone: '13700002222' },
          category: '0101',
          description: '隔壁302群租',
          location: T.inGumeiC1,
          mergeInto: master.case.caseNo,
        },
        'desk-merge-1',
      ),
    );
    expect(merged.openCaseId).toBe(master.case.id);
    expect(merged.mergedInto).toEqual({ id: master.case.id, caseNo: master.case.caseNo });
    expect(merged.case).toMatchObject({ mergedInto: master.case.id, ticketNo: 'GD-20260304-0003' });
    expect(['rejected', 'cancelled']).toContain(merged.case.state);
    // the ticket still finds the call (the merged case points at the master)
    const found = ok(
      await t.api('dispatcher.a').GET('/api/v1/cases', { params: { query: { text: '0003' } } }),
    );
    expect(found.items.map((c) => c.id)).toContain(merged.case.id);
  });

  it('refuses a merge it cannot do before writing anything', async () => {
    const master = ok(
      await intake('dispatcher.a', {
        source: 'hotline',
        category: '0501',
        description: '垃圾',
        location: T.inGumeiC2,
      }),
    );
    const before = ok(
      await t.api('dist.dispatcher').GET('/api/v1/cases', { params: { query: { limit: 200 } } }),
    );
    const district = await intake('dist.dispatcher', {
      source: 'hotline',
      ticketNo: 'GD-20260304-0009',
      category: '0501',
      description: '垃圾',
      location: T.inGumeiC2,
      mergeInto: master.case.id,
    });
    expect(district.response.status).toBe(403);
    expect(district.error).toMatchObject({ reason: 'merge_outside_desk' });
    const unknown = await intake('dispatcher.a', {
      source: 'hotline',
      description: '垃圾',
      location: T.inGumeiC2,
      mergeInto: '310112-2026-999999',
    });
    expect(unknown.response.status).toBe(400);
    expect(unknown.error).toMatchObject({ reason: 'unknown_case' });
    const after = ok(
      await t.api('dist.dispatcher').GET('/api/v1/cases', { params: { query: { limit: 200 } } }),
    );
    expect(after.items.length).toBe(before.items.length);
    // patrollers, citizens and departments have no desk
    for (const who of ['patroller.a', 'citizen1', 'housing.a']) {
      const res = await intake(who, { source: 'hotline', description: 'x', location: T.inGumeiC1 });
      expect(res.response.status).toBe(403);
    }
  });
});
