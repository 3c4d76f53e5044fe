import { describe, expect, it } from 'vitest';
import { sweepDeadlines } from '../src/app/deadlines/sweep-deadlines.ts';
import { ESCALATION_ACTION } from '../src/core/deadlines/escalation.ts';
import { ok } from './support/api.ts';
import { T } from './support/cases.ts';
import { useCaseApi } from './support/harness.ts';

const HOUR = 3_600_000;

// Issue 11 §6: one timeline entry per escalation level (level, stage, used vs limit, who was told),
// notifications grouped per case (paged by group, counts over all pages), citizens' notices public only.
describe('escalations on the timeline, notifications per case', () => {
  const t = useCaseApi();
  const sweep = () => sweepDeadlines({ database: t.database, now: t.clock.now });
  const groups = (
    who: string,
    query: { unread?: boolean; kind?: string; cursor?: string; limit?: number } = {},
  ) => t.api(who).GET('/api/v1/notifications/groups', { params: { query } });

  let escalated = '';
  let quiet = '';

  it('writes each level of a clock once and shows it with its stage, time used, limit and recipients', async () => {
    escalated = (
      await t.report('patroller.a', { category: '0501', description: '垃圾满溢一', location: T.inGumeiC1 })
    ).case.id;
    quiet = (
      await t.report('patroller.a', { category: '0501', description: '垃圾满溢二', location: T.inGumeiC1 })
    ).case.id;
    await t.step('dispatcher.a', quiet, 'register');
    // three working days on, nobody has registered the first case: the register clock is past every level
    t.clock.advance(3 * 24 * HOUR);
    const first = await sweep();
    expect(first.escalations[1]).toBeGreaterThanOrEqual(1);
    // sweeping again, at the same instant and later, writes no level twice
    await sweep();
    t.clock.advance(HOUR);
    await sweep();

    const detail = await t.detail('dispatcher.a', escalated);
    const entries = detail.events.filter((e) => e.action === ESCALATION_ACTION);
    expect(entries.map((e) => e.escalation?.level)).toEqual([1, 2, 3]);
    for (const e of entries) {
      expect(e.escalation).toMatchObject({ stage: 'register', unit: expect.any(String) });
      expect(e.escalation!.limit).toBeGreaterThan(0);
      expect(e.escalation!.used).toBeGreaterThan(e.escalation!.limit!);
      expect(e.escalation!.clockId).toEqual(expect.any(Number));
      expect(e.escalation!.notified.length).toBeGreaterThan(0);
      expect(e.escalation!.notified.every((r) => r.name !== null)).toBe(true);
    }
    // level 2 tells the street sub-centre, level 3 the district centre, by name
    expect(entries[1]!.escalation!.notified).toEqual([
      { kind: 'region', id: T.gumei, role: null, name: '古美街道' },
    ]);
    expect(entries[2]!.escalation!.notified).toEqual([
      { kind: 'region', id: T.district, role: null, name: '闵行区' },
    ]);
    expect(entries[0]!.escalation!.levelName).toBe('超时提醒责任单位');
    // every other event carries no escalation
    expect(
      detail.events.filter((e) => e.action !== ESCALATION_ACTION).every((e) => e.escalation === null),
    ).toBe(true);
    // one clock, one event per level: no (clock, level) pair twice in the log
    const rows = await t.database.db
      .selectFrom('case_events')
      .select('payload')
      .where('action', '=', ESCALATION_ACTION)
      .execute();
    const pairs = rows.map((r) => {
      const p = r.payload as { clockId: number; level: number; dueAt: string };
      return `${p.clockId}|${p.level}|${p.dueAt}`;
    });
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it('groups a dispatcher’s notices per case, newest group first, paged by group without splits', async () => {
    const all = ok(await groups('dispatcher.a', { limit: 100 }));
    const caseGroups = all.groups.filter((g) => g.caseId !== null);
    expect(new Set(caseGroups.map((g) => g.caseId)).size).toBe(caseGroups.length);
    // the escalated case is one row, with every notice of it counted
    const top = all.groups.find((g) => g.caseId === escalated)!;
    expect(top).toBeDefined();
    expect(top.kinds).toContain(ESCALATION_ACTION);
    // the 紧急 badge follows the case: this one is not urgent, though escalated
    expect(top.latest.caseUrgent).toBe(false);
    const itsNotices = ok(
      await t
        .api('dispatcher.a')
        .GET('/api/v1/notifications', { params: { query: { caseId: escalated, limit: 200 } } }),
    );
    expect(top.count).toBe(itsNotices.items.length);
    expect(top.count).toBeGreaterThan(1);
    expect(top.latest.id).toBe(itsNotices.items[0]!.id);
    expect(top.unreadCount).toBe(itsNotices.items.filter((n) => n.readAt === null).length);
    // ordered by each group's newest notice
    const latestIds = all.groups.map((g) => g.latest.id);
    expect([...latestIds].sort((a, b) => b - a)).toEqual(latestIds);

    // one group a page: the same groups, in the same order, none repeated, counts whole
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = ok(await groups('dispatcher.a', { limit: 1, ...(cursor ? { cursor } : {}) }));
      expect(page.groups.length).toBeLessThanOrEqual(1);
      for (const g of page.groups) {
        paged.push(g.key);
        expect(g.count).toBe(all.groups.find((x) => x.key === g.key)!.count);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(all.groups.map((g) => g.key));

    // filtered: only escalation notices (both cases' clocks ran out), counted by that kind alone
    const onlyEscalations = ok(await groups('dispatcher.a', { kind: ESCALATION_ACTION }));
    expect(onlyEscalations.groups.map((g) => g.caseId)).toContain(escalated);
    expect(onlyEscalations.groups.every((g) => g.kinds.join() === ESCALATION_ACTION)).toBe(true);
    expect(onlyEscalations.groups.find((g) => g.caseId === escalated)!.count).toBe(
      itsNotices.items.filter((n) => n.kind === ESCALATION_ACTION).length,
    );

    // mark the group read: its notices are read, the others stay unread
    const before = ok(await groups('dispatcher.a', { unread: true }));
    const marked = ok(
      await t.api('dispatcher.a').POST('/api/v1/notifications/read-all', { body: { caseId: escalated } }),
    );
    expect(marked.marked).toBe(top.unreadCount);
    const after = ok(await groups('dispatcher.a', { unread: true }));
    expect(after.groups.some((g) => g.caseId === escalated)).toBe(false);
    expect(after.groups.length).toBe(before.groups.length - 1);
    expect(after.unreadCount).toBe(before.unreadCount - top.unreadCount);
  });

  it('refuses a malformed cursor with a problem, not a 500', async () => {
    const res = await t.raw('dispatcher.a', { method: 'GET', url: '/api/v1/notifications/groups?cursor=-1' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('gives a citizen only the public facts of their case in notices: no staff names, no internal steps', async () => {
    const own = (
      await t.report('citizen1', {
        category: '0501',
        description: '小区门口垃圾没人清',
        location: T.inGumeiC1,
      })
    ).case.id;
    await t.step('dispatcher.a', own, 'request_verification', {
      patrollerId: t.users.get('patroller.a2')!.id,
    });
    await t.step('patroller.a2', own, 'submit_verification', { confirmed: true, note: '属实' });
    await t.step('dispatcher.a', own, 'register');
    t.clock.advance(3 * 24 * HOUR);
    await sweep();
    // the stored notice names the dispatcher; the citizen's answer does not
    const stored = await t.database.db
      .selectFrom('notifications')
      .select('payload')
      .where('case_id', '=', own)
      .where('recipient_user_id', '=', t.users.get('citizen1')!.id)
      .execute();
    expect(stored.some((n) => (n.payload as { by?: string }).by === '古美派遣员')).toBe(true);

    const PUBLIC = ['caseNo', 'action', 'actionName', 'state', 'categoryCode', 'summary'];
    const list = ok(await t.api('citizen1').GET('/api/v1/notifications', { params: { query: {} } }));
    expect(list.items.length).toBeGreaterThan(0);
    const grouped = ok(await groups('citizen1'));
    expect(grouped.groups.map((g) => g.caseId)).toContain(own);
    for (const n of [...list.items, ...grouped.groups.map((g) => g.latest)]) {
      expect(
        Object.keys(n.payload ?? {}).every((k) => PUBLIC.includes(k)),
        JSON.stringify(n),
      ).toBe(true);
      expect(JSON.stringify(n)).not.toContain('古美派遣员');
      expect(n.kind).not.toBe(ESCALATION_ACTION);
      expect(n.caseUrgent).toBeNull();
    }
    const read = ok(
      await t
        .api('citizen1')
        .POST('/api/v1/notifications/{id}/read', { params: { path: { id: String(list.items[0]!.id) } } }),
    );
    expect(Object.keys(read.payload ?? {}).every((k) => PUBLIC.includes(k))).toBe(true);
    // and their case's timeline holds no escalation, though the clock escalated
    const detail = await t.detail('citizen1', own);
    expect(detail.events.some((e) => e.action === ESCALATION_ACTION || e.escalation !== null)).toBe(false);
    const staff = await t.detail('dispatcher.a', own);
    expect(staff.events.some((e) => e.action === ESCALATION_ACTION)).toBe(true);
  });
});
