import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desk, launch, pageErrors, phone, screenshot, signIn } from './support.ts';

/**
 * The console's frame (issue 11): a dispatcher had ten header entries in one scrolling line. Desk roles now
 * get a grouped side navigation (案件 / 态势 / 主动发现 / 基础数据 / 考评 / 系统) that fits 1440×900 without
 * scrolling, and a drawer behind 菜单 on a 390×844 phone.
 */
describe('grouped navigation', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  it('fits every desk role on a desktop, in groups, without scrolling', async () => {
    for (const [user, home, groups] of [
      ['gumei.dispatcher', '/workbench', ['案件', '态势', '主动发现', '基础数据']],
      ['admin', '/workbench', ['案件', '态势', '主动发现', '基础数据', '考评', '系统']],
      ['district.leader', '/overview', ['案件', '态势', '主动发现', '考评']],
      ['housing.handler', '/inbox', ['案件', '态势', '基础数据']],
    ] as const) {
      const page = await signIn(await desk(browser), user);
      await page.waitForURL((u) => u.pathname === home);
      const nav = page.getByTestId('sidenav');
      await nav.waitFor();
      for (const g of groups) await nav.getByRole('group', { name: g, exact: true }).waitFor();
      // nothing in the bar or the menu scrolls: the bar is as wide as the window, the menu as tall as its links
      const fits = (await page.evaluate(`(() => {
        const bar = document.querySelector('.topbar');
        const nav = document.querySelector('.sidenav');
        return bar.scrollWidth <= bar.clientWidth && nav.scrollHeight <= nav.clientHeight + 1
          && nav.getBoundingClientRect().bottom <= window.innerHeight;
      })()`)) as boolean;
      expect(fits, user).toBe(true);
      expect(await page.getByTestId('menu-toggle').isVisible()).toBe(false);
      if (user === 'gumei.dispatcher') {
        expect(await nav.locator('a').count()).toBe(10);
        await nav.getByRole('link', { name: '预警' }).click();
        await page.waitForURL((u) => u.pathname === '/warnings');
        expect(await nav.getByRole('link', { name: /预警/ }).getAttribute('aria-current')).toBe('page');
        await page.goto('/workbench');
        await page.locator('table.cases tbody tr').first().waitFor();
        await screenshot(page, 'shell-dispatcher-desk');
      }
      if (user === 'admin') await screenshot(page, 'shell-admin-desk');
      await page.context().close();
    }
  });

  it('opens the menu as a drawer on a phone, and closes it on the way to a page', async () => {
    const page = await signIn(await phone(browser, [121.38, 31.15]), 'gumei.dispatcher');
    await page.waitForURL((u) => u.pathname === '/workbench');
    const nav = page.getByTestId('sidenav');
    expect(await nav.isVisible()).toBe(false);
    await screenshot(page, 'shell-dispatcher-phone');
    await page.getByTestId('menu-toggle').click();
    await nav.waitFor({ state: 'visible' });
    expect(await page.getByTestId('menu-toggle').getAttribute('aria-expanded')).toBe('true');
    await screenshot(page, 'shell-dispatcher-phone-menu');
    await nav.getByRole('link', { name: '地图' }).click();
    await page.waitForURL((u) => u.pathname === '/map');
    await nav.waitFor({ state: 'hidden' });
    // Escape closes it too
    await page.getByTestId('menu-toggle').click();
    await nav.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await nav.waitFor({ state: 'hidden' });
    await page.context().close();
  });
});
