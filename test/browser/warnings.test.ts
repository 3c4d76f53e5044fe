import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desk, launch, pageErrors, screenshot, signIn } from './support.ts';

/**
 * Early warnings (issue 13): the demo runs the rules once after its history, so warnings wait on the
 * 古美 centre's /warnings page; the dispatcher converts one into a case (source 'warning').
 */
describe('early warnings', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  it('shows a waiting warning and converts it into a case', async () => {
    page = await signIn(await desk(browser), 'gumei.dispatcher');
    await page.getByRole('link', { name: '预警' }).first().click();
    await page.waitForURL((u) => u.pathname === '/warnings');
    await page.getByRole('heading', { name: '预警' }).waitFor();
    const first = page
      .locator('section.panel')
      .filter({ has: page.locator('[data-warning]') })
      .first();
    await first.waitFor();
    await screenshot(page, 'warnings-list');
    const id = await first.locator('[data-warning]').getAttribute('data-warning');
    await first.locator('[data-warning-action=convert]').click();
    // converted warnings leave the "open" list; show all to find it with its case
    await page.selectOption('[data-filter=state]', 'converted');
    // the list reloads for the filter: wait for the converted state (a failed conversion shows an error)
    const converted = page.locator(`[data-warning="${id}"]`, { hasText: '已转立案' });
    await converted.waitFor();
    await converted.getByRole('link').last().waitFor();
    await screenshot(page, 'warnings-converted');
  });
});
