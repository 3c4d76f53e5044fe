import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, desk, launch, ok, pageErrors, patrollerSpot, phone, screenshot, signIn } from './support.ts';

/**
 * 我的上报 (issue 11 §4 and §5): a patroller reports on the phone, opens the 我的上报 tab and finds the case
 * with its time limit; a citizen opens their reports from the public page and sees the public view only
 * (no departments, no time limit, no link into the staff's case file). Both at 390×844 and 1440×900.
 */
describe('my reports', () => {
  let browser: Browser;
  const token = String(Date.now()).slice(-8);
  const description = `我的上报测试 ${token}：人行道上暴露垃圾`;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  it('a patroller reports on the phone and finds the case under 我的上报 with its deadline', async () => {
    const page = await signIn(await phone(browser, await patrollerSpot()), 'gumei.patroller');
    await page.waitForURL(/\/m\/report/);
    await page.locator('label.cat-chip', { hasText: '暴露垃圾' }).click();
    await page.waitForSelector('text=GPS 精度约', { timeout: 15_000 });
    await page.fill('#description', description);
    const submit = page.locator('button[type=submit]');
    await expect.poll(() => submit.isEnabled()).toBe(true);
    await submit.click();
    const reported = page.locator('[data-testid=reported-case]');
    await reported.waitFor({ timeout: 20_000 });
    const caseNo = (await reported.textContent())!.trim();

    // the tab bar has the tab, and it is not clipped on a 390 px phone
    const tab = page.locator('nav.tabbar a', { hasText: '我的上报' });
    await tab.click();
    await page.waitForURL((u) => u.pathname === '/m/mine');
    const card = page.locator(`[data-testid=my-reports] li[data-case-number="${caseNo}"]`);
    await card.waitFor();
    // newest first: the case just reported heads the list
    expect(await page.locator('[data-testid=my-reports] li').first().getAttribute('data-case-number')).toBe(
      caseNo,
    );
    await expect.poll(() => card.locator('[data-testid=mine-clock] .chip').textContent()).toMatch(/^剩/);
    expect(await card.locator('[data-testid=mine-clock]').textContent()).toContain('时限');
    const box = await tab.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'mine-phone');

    // the filters: in progress holds it, finished does not
    await page.getByRole('button', { name: '已办结' }).click();
    await page.waitForURL((u) => u.searchParams.get('state') === 'closed');
    await expect.poll(() => card.count()).toBe(0);
    await page.getByRole('button', { name: '办理中' }).click();
    await card.waitFor();

    // English
    await page.locator('button.lang-toggle').click();
    await page.getByRole('heading', { name: 'My reports' }).waitFor();
    await screenshot(page, 'mine-phone-en');
    await page.locator('button.lang-toggle').click();
  });

  it('a citizen opens their reports from the public page and sees the public view only', async () => {
    const citizenApi = await apiAs('citizen');
    const [lon, lat] = await patrollerSpot();
    const created = await citizenApi.api.POST('/api/v1/cases', {
      body: { category: '0501', description: `市民反映 ${token}：小区门口垃圾`, location: { lon, lat } },
    });
    expect(created.response.status).toBe(201);
    const { caseNo, id: caseId } = ok(created).case;
    // the staff see the case's department and clock …
    const staff = await apiAs('gumei.dispatcher');
    const detail = ok(await staff.api.GET('/api/v1/cases/{id}', { params: { path: { id: caseId } } }));
    expect(detail.deadline).not.toBeNull();

    for (const [context, name] of [
      [await desk(browser), 'mine-citizen-desk'],
      [await phone(browser, [lon, lat]), 'mine-citizen-phone'],
    ] as const) {
      const page = await signIn(context, 'citizen');
      await page.waitForURL(/\/public/);
      await page.getByTestId('mine-link').click();
      await page.waitForURL((u) => u.pathname === '/mine');
      const card = page.locator(`[data-testid=my-reports] li[data-case-number="${caseNo}"]`);
      await card.waitFor();
      // … the citizen neither the clock nor a link into the staff's case file
      expect(await card.locator('[data-testid=mine-clock]').count()).toBe(0);
      expect(await card.locator('a').count()).toBe(0);
      expect(await page.locator('[data-testid=my-reports]').textContent()).toContain('只显示公开信息');
      await screenshot(page, name, { fullPage: true });
    }
  });
});
