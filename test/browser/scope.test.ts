import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, desk, launch, pageErrors, patrollerSpot, signIn, ok } from './support.ts';

/**
 * Role × territory in the console: the 新虹 dispatcher never sees a 古美 case — not in any queue of the
 * workbench, not by searching its number, not by opening it, not on the map.
 */
describe('a dispatcher of another street', () => {
  let browser: Browser;
  let page: Page;
  let caseNo = '';
  let caseId = '';
  const seen: string[] = [];
  let lists = 0;

  beforeAll(async () => {
    browser = await launch();
    const patroller = await apiAs('gumei.patroller');
    const [lon, lat] = await patrollerSpot();
    const created = ok(
      await patroller.api.POST('/api/v1/cases', {
        body: { category: '0101', description: '范围测试：古美的群租线索', location: { lon, lat } },
        params: { header: { 'idempotency-key': `scope-${Date.now()}` } },
      }),
    );
    expect(created.case.streetCode).toBe('310112006');
    caseNo = created.case.caseNo;
    caseId = created.case.id;

    page = await signIn(await desk(browser), 'xinhong.dispatcher');
    // every case list the console loads, whatever page asks for it
    page.on('response', (r: Response) => {
      if (!/\/api\/v1\/cases(\?|$)/.test(r.url()) || r.request().method() !== 'GET') return;
      lists++;
      void r
        .json()
        .then((body: { items?: { id: string }[] }) => seen.push(...(body.items ?? []).map((c) => c.id)))
        .catch(() => undefined);
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the 古美 dispatcher does see it (the check below means something)', async () => {
    const gumei = await apiAs('gumei.dispatcher');
    const r = ok(await gumei.api.GET('/api/v1/cases', { params: { query: { text: caseNo } } }));
    expect(r.items.map((c) => c.id)).toContain(caseId);
  });

  it('is in no queue of the 新虹 workbench', async () => {
    await page.goto('/workbench');
    await page.waitForSelector('button.queue[data-queue="cancelled"]');
    const queues = await page
      .locator('button.queue')
      .evaluateAll((b) => b.map((x) => x.getAttribute('data-queue')!));
    expect(queues.length).toBeGreaterThan(10);
    for (const q of queues) {
      await page.click(`button.queue[data-queue="${q}"]`);
      await page.waitForURL((u) => u.searchParams.get('queue') === q || q === 'open');
      await page.waitForSelector('.table-wrap, .empty');
      expect(await page.locator(`tr[data-case-number="${caseNo}"]`).count()).toBe(0);
    }
  });

  it('is not found by its number', async () => {
    await page.goto('/workbench');
    await page.fill('.filters input[type=search]', caseNo);
    await page.waitForURL((u) => u.searchParams.get('q') === caseNo);
    await page.waitForSelector('.empty');
    expect(await page.locator('tr[data-case-number]').count()).toBe(0);
  });

  it('cannot be opened', async () => {
    await page.goto(`/cases/${caseId}`);
    const error = page.locator('.error-box');
    await error.waitFor();
    expect(await error.textContent()).toContain('未找到');
    expect(await page.locator('.case-page[data-case-state]').count()).toBe(0);
  });

  it('is not on the map', async () => {
    await page.goto('/map');
    await page.waitForSelector('.map-canvas[data-ready="true"]', { timeout: 30_000 });
    expect(seen).not.toContain(caseId);
  });

  it('was in none of the case lists the console loaded', () => {
    expect(lists).toBeGreaterThan(10);
    expect(seen).not.toContain(caseId);
  });

  it('no page crashed', () => {
    expect(pageErrors).toEqual([]);
  });
});
