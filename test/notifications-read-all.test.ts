import { describe, expect, it } from 'vitest';
import { ok } from './support/api.ts';
import { T } from './support/cases.ts';
import { useCaseApi } from './support/harness.ts';

// Issue 11 §6: notifications filtered by kind, paged, and marked read all at once.
describe('notifications: filters, pages, mark all read', () => {
  const t = useCaseApi();

  it('filters by kind, pages past the first page and marks all read', async () => {
    for (let i = 0; i < 5; i++)
      await t.report('patroller.a', { category: '0501', description: `垃圾 ${i}`, location: T.inGumeiC1 });
    const notices = (query: { unread?: boolean; kind?: string; cursor?: string; limit?: number }) =>
      t.api('dispatcher.a').GET('/api/v1/notifications', { params: { query } });
    const all = ok(await notices({ kind: 'report' }));
    expect(all.items.length).toBeGreaterThanOrEqual(5);
    expect(all.items.every((n) => n.kind === 'report')).toBe(true);
    // paged: two at a time, no repeats, nothing lost
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = ok(await notices({ kind: 'report', limit: 2, ...(cursor ? { cursor } : {}) }));
      seen.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.items.map((n) => n.id));

    const other = ok(
      await t.api('dispatcher.a').POST('/api/v1/notifications/read-all', { body: { kind: 'none' } }),
    );
    expect(other.marked).toBe(0);
    const marked = ok(await t.api('dispatcher.a').POST('/api/v1/notifications/read-all', { body: {} }));
    expect(marked.marked).toBe(all.unreadCount);
    const after = ok(await notices({ unread: true }));
    expect(after).toMatchObject({ items: [], unreadCount: 0 });
    // the first reader's receipt stands; 新虹 keeps its own unread notices
    const again = ok(await t.api('lead.a').POST('/api/v1/notifications/read-all', { body: {} }));
    expect(again.marked).toBe(0);
    const xinhong = ok(await t.api('dispatcher.b').GET('/api/v1/notifications', { params: { query: {} } }));
    expect(
      xinhong.items.every((n) => n.readAt === null || n.readBy !== t.users.get('dispatcher.a')!.id),
    ).toBe(true);
  });
});
