import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ok } from './support/api.ts';
import { T } from './support/cases.ts';
import { useCaseApi } from './support/harness.ts';

const MINUTE = 60_000;

/** Waits until `check` holds, polling; fails after `ms`. */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Issue 11 §5 beyond the case list and detail: every other route a signed-in citizen can call gives the
 * public view of their cases or refuses — the answers to their own report and actions, the list's
 * filters and order, the staff's photos, the live stream, the counts, the overview, the export and the
 * case console's context.
 */
describe('the citizen’s public view on every route', () => {
  const t = useCaseApi();
  const citizenReport = () =>
    t.report('citizen1', { category: '0101', description: '隔壁群租，住了十几个人', location: T.inGumeiC1 });

  it('answers the citizen’s own report and comment with the public view', async () => {
    const created = await citizenReport();
    // the staff's view of the same case names the police and the clock
    const staff = await t.detail('dispatcher.a', created.case.id);
    expect(staff.policeDepartmentId).not.toBeNull();
    expect(staff.deadline).not.toBeNull();

    expect(created.routing).toBeNull();
    expect(created.case).toMatchObject({
      policeDepartmentId: null,
      policeMode: 'none',
      leadDepartmentId: null,
      deadline: null,
    });
    const commented = await t.step('citizen1', created.case.id, 'comment', { text: '晚上更吵' });
    expect(commented.case).toMatchObject({ policeDepartmentId: null, policeMode: 'none', deadline: null });
  });

  it('neither filters nor orders the citizen’s list by what the public view hides', async () => {
    const late = await citizenReport();
    t.clock.advance(3 * 24 * 60 * MINUTE); // the intake clock is long past due
    const list = async (query: { overdue?: boolean; colour?: 'red' | 'green'; department?: string }) =>
      ok(await t.api('citizen1').GET('/api/v1/cases', { params: { query } })).items.map((c) => c.id);
    const all = await list({});
    expect(all).toContain(late.case.id);
    // each filter on a hidden field would tell which case is overdue or where it went: they do nothing
    expect(await list({ overdue: true })).toEqual(all);
    expect(await list({ overdue: false })).toEqual(all);
    expect(await list({ colour: 'green' })).toEqual(all);
    expect(await list({ department: 'police-310112006' })).toEqual(all);
  });

  it('serves the citizen their own photos only, not the staff’s', async () => {
    const created = await citizenReport();
    const mine = (await t.upload('citizen1')).data!;
    await t.step('citizen1', created.case.id, 'comment', { text: '补充照片', photos: [mine.id] });
    const theirs = (await t.upload('dispatcher.a')).data!;
    await t.step('dispatcher.a', created.case.id, 'comment', { text: '内部照片', photos: [theirs.id] });

    const get = (who: string, id: string) => t.raw(who, { method: 'GET', url: `/api/v1/attachments/${id}` });
    expect((await get('citizen1', mine.id)).statusCode).toBe(200);
    expect((await get('dispatcher.a', theirs.id)).statusCode).toBe(200);
    expect((await get('citizen1', theirs.id)).statusCode).toBe(404);
  });

  it('refuses the citizen the staff’s counts, overview, export and case console (403)', async () => {
    const created = await citizenReport();
    const api = t.api('citizen1');
    const refused = [
      await api.GET('/api/v1/stats/queues'),
      await api.GET('/api/v1/stats/overview'),
      await api.GET('/api/v1/cases/{id}/context', { params: { path: { id: created.case.id } } }),
    ];
    for (const res of refused) expect(res.response.status).toBe(403);
    const exported = await t.raw('citizen1', { method: 'GET', url: '/api/v1/cases/export?format=csv' });
    expect(exported.statusCode).toBe(403);
    expect(exported.headers['content-type']).toContain('application/problem+json');
    // the staff keep them
    expect((await t.api('dispatcher.a').GET('/api/v1/stats/queues')).response.status).toBe(200);
    expect(
      (await t.raw('dispatcher.a', { method: 'GET', url: '/api/v1/cases/export?format=csv' })).statusCode,
    ).toBe(200);
  });

  it('streams to the citizen the public steps of their own cases only', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;
    let text = '';
    const request = http.get({
      host: '127.0.0.1',
      port,
      path: '/api/v1/events',
      headers: t.as('citizen1'),
    });
    try {
      const response = await new Promise<http.IncomingMessage>((resolve) => request.on('response', resolve));
      expect(response.statusCode).toBe(200);
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      await until(() => text.includes('retry:'));

      const created = await citizenReport();
      const other = await t.report('patroller.a', {
        category: '0501',
        description: '别人的上报',
        location: T.inGumeiC1,
      });
      await t.step('dispatcher.a', created.case.id, 'comment', { text: '内部备注' });
      await t.step('lead.a', created.case.id, 'reject', { reasonCode: 'other', reason: '已另行处理' });
      await until(() => text.includes('"action":"reject"'));

      const events = text
        .split('\n\n')
        .filter((b) => b.startsWith('event: case'))
        .map(
          (b) =>
            JSON.parse(
              b
                .split('\n')
                .find((l) => l.startsWith('data: '))!
                .slice(6),
            ) as Record<string, unknown>,
        );
      expect(events.map((e) => [e.caseId, e.action])).toEqual([
        [created.case.id, 'report'],
        [created.case.id, 'reject'],
      ]);
      expect(events.some((e) => e.caseId === other.case.id)).toBe(false);
      // public fields only
      for (const e of events) {
        expect(Object.keys(e).sort()).toEqual(['action', 'at', 'caseId', 'caseNo', 'state', 'version']);
      }
    } finally {
      request.destroy();
    }
  });
});
