import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, desk, launch, pageErrors, patrollerSpot, phone, screenshot, signIn, ok } from './support.ts';

/**
 * Webhooks (issue 15): the admin subscribes an endpoint on /admin/webhooks, copies the secret shown once,
 * sees a new case's deliveries with every attempt, and the page refuses a private-network endpoint. The
 * demo server has no receiver: the endpoint's name does not resolve, so attempts fail and are retried —
 * which is what the attempt log shows.
 */
describe('webhook administration', () => {
  let browser: Browser;
  let page: Page;
  const name = `12345 热线 ${Date.now() % 10000}`;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  it('subscribes an endpoint and shows the secret once', async () => {
    page = await signIn(await desk(browser), 'admin');
    // administration pages sit under the one 管理 entry of the header (issue 11)
    await page.getByRole('link', { name: '管理', exact: true }).click();
    await page.getByTestId('admin-subnav').waitFor();
    await page.getByRole('link', { name: '数据推送' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/webhooks');
    await page.getByRole('heading', { name: '数据推送（Webhook）' }).waitFor();
    await page.fill('#wh-name', name);
    await page.fill('#wh-url', 'https://hooks.liandong.invalid/cases');
    await page.getByLabel('上报（新案件）').check();
    await page.getByLabel('结案').check();
    await page.click('[data-testid=webhook-form] button[type=submit]');
    const secret = page.getByTestId('webhook-secret');
    await secret.waitFor();
    expect(await secret.locator('code').innerText()).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    await page.locator(`[data-subscription="${name}"]`).waitFor();
    // the list never shows a secret again
    await page.reload();
    await page.locator(`[data-subscription="${name}"]`).waitFor();
    expect(await page.locator('body').innerText()).not.toContain('whsec_');
  });

  it('records the attempts of a new case’s delivery', async () => {
    const [lon, lat] = await patrollerSpot();
    const patroller = await apiAs('gumei.patroller');
    const created = ok(
      await patroller.api.POST('/api/v1/cases', {
        body: { category: '0101', description: '推送测试：古美的群租线索', location: { lon, lat } },
      }),
    );
    const caseNo = created.case.caseNo;
    // the server's worker fans the event out and tries it within seconds
    const admin = await apiAs('admin');
    for (let i = 0; i < 60; i++) {
      const list = ok(await admin.api.GET('/api/v1/webhooks/deliveries', { params: { query: { caseNo } } }));
      if (list.items[0]?.attempts) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await page.fill('.filters input', caseNo);
    const row = page.locator('tr[data-delivery]').first();
    await row.waitFor();
    expect(await row.innerText()).toContain(caseNo);
    expect(await row.innerText()).toContain('上报（新案件）');
    await row.click();
    const detail = page.getByTestId('webhook-detail');
    await detail.waitFor();
    await detail.locator('.webhook-attempts li').first().waitFor();
    expect(await detail.innerText()).toMatch(/第 1 次/);
    await screenshot(page, 'webhooks-desk', { fullPage: true });

    await detail.getByRole('button', { name: '重新推送' }).click();
    await detail.getByText('已重新排队').waitFor();
  });

  it('refuses a private-network endpoint, in the user’s language', async () => {
    await page.fill('#wh-name', '内网');
    await page.fill('#wh-url', 'https://10.0.0.8/hook');
    await page.click('[data-testid=webhook-form] button[type=submit]');
    await page.getByText('接收地址不可用').waitFor();
  });

  it('fits a phone and reads in English', async () => {
    const mobile = await signIn(await phone(browser, [121.38, 31.15]), 'admin');
    await mobile.goto('/admin/webhooks');
    await mobile.locator(`[data-subscription="${name}"]`).waitFor();
    await mobile.locator('tr[data-delivery]').first().waitFor();
    await screenshot(mobile, 'webhooks-phone', { fullPage: true });
    await mobile.locator('.lang-toggle:visible').first().click();
    await mobile.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await screenshot(mobile, 'webhooks-phone-en');
  });
});
