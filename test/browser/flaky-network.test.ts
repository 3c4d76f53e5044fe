import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, launch, pageErrors, patrollerSpot, phone, signIn, ok } from './support.ts';

/**
 * Issue 5 §5: "Submitting twice on a bad network never creates two cases." The first answer to the
 * report is lost after the server has created the case; the phone retries with the draft's
 * Idempotency-Key and gets the same case back.
 */
describe('a report on a flaky network', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('creates exactly one case when the first answer is lost', async () => {
    const ctx = await phone(browser, await patrollerSpot());
    const page = await signIn(ctx, 'gumei.patroller');
    await page.waitForURL(/\/m\/report/);
    const description = `网络测试 ${Date.now().toString(36)}：占道经营，早点摊占用人行道`;

    const keys: string[] = [];
    let lost = 0;
    await page.route('**/api/v1/cases', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (lost === 0) {
        lost++;
        await route.fetch(); // the server creates the case…
        return route.abort('connectionreset'); // …but the phone never hears back
      }
      return route.continue();
    });

    await page.locator('label.cat-chip', { hasText: '占道经营' }).click();
    await page.waitForSelector('text=GPS 精度约', { timeout: 15_000 });
    await page.fill('#description', description);
    await page.click('button[type=submit]');
    const reported = page.locator('[data-testid=reported-case]');
    await reported.waitFor({ timeout: 30_000 });

    expect(keys.length).toBe(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    const api = await apiAs('gumei.dispatcher');
    const found = ok(await api.api.GET('/api/v1/cases', { params: { query: { text: description } } }));
    expect(found.items.map((c) => c.caseNo)).toEqual([(await reported.textContent())!.trim()]);
    await ctx.close();
  });

  it('no page crashed', () => {
    expect(pageErrors).toEqual([]);
  });
});
