import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  desk,
  expectNoSideways,
  launch,
  pageErrors,
  patrollerSpot,
  phone,
  screenshot,
  signIn,
  ok,
} from './support.ts';

/**
 * The rest of the base-information UI (issue 12 §8): the patroller's phone picks the standard address
 * from the nearest ones and the case lands in that address's file; the map's base-information layers;
 * the lists export as .xlsx (read back with exceljs).
 */
describe('base information on the phone, the map and in Excel', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  it('a patroller reports at an address picked from the nearest list; the case is in its file', async () => {
    const api = await apiAs('gumei.patroller');
    const [lon, lat] = await patrollerSpot();
    const near = ok(
      await api.api.GET('/api/v1/base/addresses/nearest', {
        params: { query: { lon, lat, radius: 1000, limit: 1 } },
      }),
    );
    expect(near.items.length).toBe(1);
    const target = near.items[0]!;

    const page = await signIn(await phone(browser, [target.lon!, target.lat!]), 'gumei.patroller');
    await page.goto('/m/report');
    await page.locator('label.cat-chip', { hasText: '群租' }).click();
    await page.waitForSelector('text=GPS 精度约', { timeout: 15_000 });
    const choice = page.locator('.address-choice', { hasText: target.fullText }).first();
    await choice.waitFor({ timeout: 15_000 });
    await choice.click();
    await page.waitForSelector('[data-testid=picked-address]');
    await page.fill('#description', '楼道堆物，疑似群租（标准地址测试）');
    await expectNoSideways(page);
    await screenshot(page, 'baseui-phone-address-picked', { fullPage: true });
    await page.locator('button[type=submit]').click();
    const reported = page.locator('[data-testid=reported-case]');
    await reported.waitFor({ timeout: 20_000 });
    const caseNo = await reported.innerText();

    const file = await signIn(await desk(browser), 'gumei.dispatcher');
    await file.goto(`/addresses/${encodeURIComponent(target.id)}`);
    await file.waitForSelector(`text=${caseNo}`, { timeout: 15_000 });
    await screenshot(file, 'baseui-address-file-with-case', { fullPage: true });
  });

  it('shows businesses and risk-flagged dwellings on the map, with a legend', async () => {
    const page = await signIn(await desk(browser), 'gumei.dispatcher');
    await page.goto('/map');
    await page.waitForSelector('.map-canvas[data-ready=true]', { timeout: 30_000 });
    await page.getByLabel('实有单位（按许可）').check();
    await page.getByLabel('风险房屋').check();
    const count = page.locator('[data-testid=base-layer-count]');
    await count.waitFor({ timeout: 20_000 });
    await expect.poll(() => count.innerText()).toMatch(/单位 [1-9]/);
    await screenshot(page, 'baseui-map-layers');
  });

  it('downloads the units list as .xlsx with its filter, masked, and it parses', async () => {
    const page = await signIn(await desk(browser), 'gumei.dispatcher');
    await page.goto('/base');
    await page.waitForSelector('[data-testid=people]');
    await page.getByRole('tab', { name: '实有单位' }).click();
    await page.selectOption('select[aria-label=许可证]', 'none');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForSelector('[data-testid=units] td.warn');
    await screenshot(page, 'baseui-units-export');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid=export-units-xlsx]').click(),
    ]);
    const file = await download.path();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('单位名称');
    expect(sheet.rowCount).toBeGreaterThan(1);
    // the filter went with it: every row is 无证
    for (let r = 2; r <= sheet.rowCount; r++) expect(sheet.getRow(r).getCell(5).value).toBe('无');
  });
});
