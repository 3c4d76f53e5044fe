import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, desk, launch, pageErrors, patrollerSpot, phone, screenshot, signIn } from './support.ts';

/**
 * Open311 client systems (issue 15): the admin sees the demo 12345 hotline on /admin/open311 with its
 * request count, registers a client (the key is shown once), disables it — and a request POSTed with the
 * demo key counts on the page. Phone width and English too.
 */
describe('Open311 client systems', () => {
  let browser: Browser;
  let page: Page;
  const name = `小程序 ${Date.now() % 10000}`;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  it('registers a client, shows its key once, and disables it', async () => {
    page = await signIn(await desk(browser), 'admin');
    // administration pages sit under the one 管理 entry of the header (issue 11)
    await page.getByRole('link', { name: '管理', exact: true }).click();
    await page.getByTestId('admin-subnav').waitFor();
    await page.getByRole('link', { name: 'Open311 接入' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/open311');
    await page.getByRole('heading', { name: 'Open311 接入系统' }).waitFor();
    await page.locator('[data-client="12345 市民服务热线 (demo)"]').waitFor();
    await page.fill('#o311-name', name);
    await page.selectOption('#o311-source', 'citizen');
    await page.click('[data-testid=open311-form] button[type=submit]');
    const key = page.getByTestId('open311-key');
    await key.waitFor();
    const text = await key.locator('code').innerText();
    expect(text).toMatch(/^o311_[A-Za-z0-9_-]{43}$/);
    const item = page.locator(`[data-client="${name}"]`);
    await item.getByText('市民上报').waitFor();
    await item.getByRole('button', { name: '停用' }).click();
    await item.getByText('已停用').waitFor();
    await page.reload();
    await page.locator(`[data-client="${name}"]`).waitFor();
    expect(await page.locator('body').innerText()).not.toContain(text);
  });

  it('counts a request POSTed with the demo hotline key', async () => {
    const [lon, lat] = await patrollerSpot();
    const res = await fetch(`${BASE}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        api_key: 'liandong-demo-open311',
        service_code: '0501',
        lat: String(lat),
        long: String(lon),
        description: '12345 来电：古美路口暴露垃圾',
        phone: '13900001111',
      }).toString(),
    });
    expect(res.status).toBe(201);
    const [created] = (await res.json()) as { service_request_id: string; follow_up_code: string }[];
    expect(created!.follow_up_code).toMatch(/^[A-Z2-9]{8}$/);
    await page.reload();
    const hotline = page.locator('[data-client="12345 市民服务热线 (demo)"]');
    await hotline.waitFor();
    expect(await hotline.innerText()).toMatch(/已提交 [1-9]\d* 件/);
    await screenshot(page, 'open311-clients-desk', { fullPage: true });
  });

  it('fits a phone and reads in English', async () => {
    const mobile = await signIn(await phone(browser, [121.38, 31.15]), 'admin');
    await mobile.goto('/admin/open311');
    await mobile.locator(`[data-client="${name}"]`).waitFor();
    await screenshot(mobile, 'open311-clients-phone', { fullPage: true });
    await mobile.locator('.lang-toggle:visible').first().click();
    await mobile.getByRole('heading', { name: 'Open311 client systems' }).waitFor();
    await screenshot(mobile, 'open311-clients-phone-en');
  });
});
