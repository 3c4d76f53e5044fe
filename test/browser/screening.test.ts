import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, desk, launch, ok, pageErrors, phone, screenshot, signIn } from './support.ts';

/**
 * Rolling screening (issue 13): the 古美 street centre creates a group-renting campaign over the
 * coordinator's committee → the coordinator visits a target on the phone (390×844) and records a
 * problem → the finding is a case on the street's workbench and on the campaign page.
 */
describe('rolling screening', () => {
  let browser: Browser;
  let street: Page;
  let campaignId = '';
  let caseNo = '';
  const name = `群租排摸-${Date.now().toString(36)}`;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  it('the street creates a campaign; its tasks are generated', async () => {
    const coordinator = await apiAs('gumei.coordinator');
    const committee = ok(
      await coordinator.api.GET('/api/v1/regions/{code}', {
        params: { path: { code: coordinator.user.unit.code! } },
      }),
    );
    street = await signIn(await desk(browser), 'gumei.dispatcher');
    await street.getByRole('link', { name: '滚动排摸' }).first().click();
    await street.waitForURL((u) => u.pathname === '/screening');
    await street.locator('[data-new-campaign]').click();
    await street.fill('#sc-name', name);
    await street.fill('#sc-min', '1');
    await street.getByLabel(committee.name, { exact: true }).check();
    await screenshot(street, 'screening-create');
    await street.getByRole('button', { name: '创建并生成任务' }).click();
    await street.waitForURL((u) => /^\/screening\/[0-9a-f-]{36}$/.test(u.pathname));
    campaignId = new URL(street.url()).pathname.split('/').pop()!;
    await street.getByRole('heading', { name }).waitFor();
    await street.locator('[data-progress]').first().waitFor();
    await screenshot(street, 'screening-campaign', { fullPage: true });
  });

  it('a coordinator visits on the phone and records a problem: a case is opened', async () => {
    const coordinator = await apiAs('gumei.coordinator');
    const tasks = ok(await coordinator.api.GET('/api/v1/screening/tasks'));
    const task = tasks.items.find((t) => t.campaignId === campaignId && t.lon !== null);
    expect(task).toBeDefined();
    const page = await signIn(await phone(browser, [task!.lon!, task!.lat!]), 'gumei.coordinator');
    await page.getByRole('link', { name: '排摸' }).first().click();
    await page.waitForURL((u) => u.pathname === '/m/screening');
    const item = page.locator(`[data-task="${task!.id}"]`);
    await item.waitFor();
    await screenshot(page, 'screening-phone-tasks');
    await item.click();
    await page.locator('[data-visit-form]').waitFor();
    await page.getByLabel('发现问题').check();
    await page.fill('#f-occupantsCounted', '11');
    await page.selectOption('#f-partitioned', 'true');
    await page.selectOption('#f-fireEquipment', 'false');
    await page.fill('#f-finding', '违规隔断成 6 间，居住 11 人，无灭火器');
    await screenshot(page, 'screening-phone-visit', { fullPage: true });
    await page.getByRole('button', { name: '提交走访' }).click();
    const done = page.locator('[data-visit-done]');
    await done.waitFor();
    const text = (await done.textContent()) ?? '';
    expect(text).toContain('已立案');
    caseNo = /310112-\d{4}-\d+/.exec(text)?.[0] ?? '';
    expect(caseNo).not.toBe('');
    await screenshot(page, 'screening-phone-done');
  });

  it('the finding is a case on the street’s workbench and on the campaign page', async () => {
    await street.goto(`/workbench?q=${encodeURIComponent(caseNo)}`);
    await street.locator(`tr[data-case-number="${caseNo}"]`).waitFor({ timeout: 15_000 });
    await screenshot(street, 'screening-workbench');
    await street.goto(`/screening/${campaignId}`);
    await street.locator('[data-finding]', { hasText: caseNo }).waitFor();
    await street.locator('[data-cases]', { hasText: '转立案 1 件' }).waitFor();
    await screenshot(street, 'screening-campaign-finding', { fullPage: true });
  });
});
