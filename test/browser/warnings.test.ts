import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  desk,
  expectCleanText,
  expectNoSideways,
  launch,
  ok,
  pageErrors,
  patrollerSpot,
  screenshot,
  signIn,
  type Schemas,
} from './support.ts';

type WarningItem = Schemas['WarningList']['items'][number];

/**
 * Early warnings (issue 13): the demo's warnings wait on the 古美 centre's /warnings page with a count in
 * the menu; three reports at one spot raise a recurrence warning right after intake, which arrives live
 * on the open page; it shows on the map's warning layer (popup with rule and evidence, link back), and
 * the dispatcher converts it into a case (source 'warning').
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

  it('a warning appears live, is shown on the map layer, and is converted into a case', async () => {
    page = await signIn(await desk(browser), 'gumei.dispatcher');
    // the demo's warnings are counted beside 预警 in the menu
    await page.locator('[data-testid=warning-badge]').first().waitFor();
    await page.getByRole('link', { name: /预警/ }).first().click();
    await page.waitForURL((u) => u.pathname === '/warnings');
    await page.getByRole('heading', { name: '预警' }).waitFor();
    await page
      .locator('section.panel')
      .filter({ has: page.locator('[data-warning]') })
      .first()
      .waitFor();
    await screenshot(page, 'warnings-list');
    await expectNoSideways(page);

    // three reports of damaged greenery within 30 m: the rules run for the place right after intake
    const [lon, lat] = await patrollerSpot();
    const patroller = await apiAs('gumei.patroller');
    const ids: string[] = [];
    for (const [north, east] of [
      [0, 0],
      [20, 10],
      [-10, 25],
    ] as const) {
      const created = await patroller.api.POST('/api/v1/cases', {
        body: {
          category: '0503',
          description: '同一处绿化带又被踩坏了',
          location: { lon: lon + east / 95_000, lat: lat + north / 111_195 },
        },
      });
      expect(created.response.status, JSON.stringify(created.error)).toBe(201);
      ids.push(ok(created).case.id);
    }
    const dispatcher = await apiAs('gumei.dispatcher');
    let warning: WarningItem | undefined;
    for (let i = 0; i < 60 && !warning; i++) {
      const list = ok(
        await dispatcher.api.GET('/api/v1/warnings', {
          params: { query: { state: 'new', rule: 'recurrence', limit: 200 } },
        }),
      );
      // another journey (admin) may have reported in this category here before: the warning then names
      // its cases and our first one, and is not raised twice for the same place while it is open
      warning = list.items.find((w) => ids.some((id) => w.caseIds.includes(id)));
      if (!warning) await page.waitForTimeout(500);
    }
    expect(warning).toBeDefined();
    // it arrives on the open page without a reload
    await page.locator('[data-testid=warning-arrived]').waitFor();
    const panel = page.locator(`[data-warning="${warning!.id}"]`);
    await panel.waitFor();
    await screenshot(page, 'warnings-live');

    // on the map: the warning layer, centred on it with its popup
    await panel.getByRole('link', { name: '在地图上查看' }).click();
    await page.waitForURL((u) => u.pathname === '/map');
    await page.locator('[data-testid=warning-layer]').waitFor();
    const popup = page.locator(`[data-warning-popup="${warning!.id}"]`);
    await popup.waitFor();
    expect(await popup.innerText()).toContain('同类案件重复发生');
    await page.locator('.map-canvas[data-ready=true]').waitFor();
    await expectCleanText(page);
    await screenshot(page, 'warnings-map');

    // back to the warning from the popup, and convert it
    await popup.getByRole('link').click();
    await page.waitForURL((u) => u.pathname === '/warnings');
    const focused = page.locator(`[data-warning="${warning!.id}"]`);
    await focused.waitFor();
    await page
      .locator('section.panel')
      .filter({ has: focused })
      .locator('[data-warning-action=convert]')
      .click();
    const converted = page.locator(`[data-warning="${warning!.id}"]`, { hasText: '已转立案' });
    await converted.waitFor();
    await converted.getByRole('link').last().waitFor();
    await screenshot(page, 'warnings-converted');
  });

  it('the map still renders with no basemap configured (the district’s own polygons)', async () => {
    await page.goto(`${page.url().split('/warnings')[0]}/map`);
    await page.locator('.map-canvas[data-ready=true]').waitFor();
    await page.locator('[data-testid=warning-layer]').waitFor();
    await expectNoSideways(page);
  });
});
