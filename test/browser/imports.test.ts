import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desk, launch, pageErrors, phone, screenshot, signIn } from './support.ts';

/**
 * Base-information import (issue 12 §4) in the browser: 古美's dispatcher imports the sample address
 * list and dwellings, then dry-runs the people file with its 10 bad rows — the mapping preview, the
 * progress bar, the row report with reasons and the download — and imports it for real. The sample
 * files are copied with a road name no demo address has (导入测试路), so the journey does not depend on
 * the demo's own base information.
 */
describe('importing base information in the browser', () => {
  let browser: Browser;
  let page: Page;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-browser-import-'));
  const FIXTURES = path.resolve('test/fixtures/import');
  const files = {
    addresses: path.join(dir, '地址.csv'),
    dwellings: path.join(dir, '房屋.csv'),
    people: path.join(dir, '实有人口.csv'),
  };

  const overflow = (p: Page) =>
    p.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    ) as Promise<number>;

  beforeAll(async () => {
    const road = (text: string) => text.replaceAll('古美路', '导入测试路');
    // no coordinates: the demo's 古美 polygon is synthetic, the rows are placed by the street chosen
    const addresses = fs
      .readFileSync(path.join(FIXTURES, 'addresses.csv'), 'utf8')
      .split('\r\n')
      .map((line) => line.split(',').slice(0, 2).join(','))
      .join('\r\n');
    fs.writeFileSync(files.addresses, road(addresses));
    fs.copyFileSync(path.join(FIXTURES, 'dwellings.csv'), files.dwellings);
    const people = iconv.decode(fs.readFileSync(path.join(FIXTURES, 'people.csv')), 'gbk');
    fs.writeFileSync(files.people, iconv.encode(road(people), 'gbk'));
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function uploadAndRun(kind: string, file: string, dryRun: boolean) {
    await page.selectOption('#import-kind', kind);
    await page.setInputFiles('#import-file', file);
    await page.getByRole('button', { name: '上传并预览' }).click();
    await page.getByTestId('import-mapping').waitFor();
    await page.getByTestId(dryRun ? 'import-dry-run' : 'import-run').click();
    await page.locator('[data-testid=import-progress][data-status=done]').waitFor({ timeout: 60_000 });
  }

  it('imports the address list and the dwellings', async () => {
    page = await signIn(await desk(browser), 'gumei.dispatcher');
    await page.getByRole('link', { name: '信息导入' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/import');
    await page.getByRole('heading', { name: '基础信息导入' }).waitFor();
    await uploadAndRun('addresses', files.addresses, false);
    expect(await page.getByRole('status').last().innerText()).toContain('拒绝 0');
    await uploadAndRun('dwellings', files.dwellings, false);
    expect(await page.getByRole('status').last().innerText()).toContain('拒绝 0');
  });

  it('dry-runs the people file: the mapping, the progress and the 10 refused rows with reasons', async () => {
    await page.selectOption('#import-kind', 'people');
    await page.setInputFiles('#import-file', files.people);
    await page.getByRole('button', { name: '上传并预览' }).click();
    const mapping = page.getByTestId('import-mapping');
    await mapping.waitFor();
    expect(await mapping.innerText()).toContain('证件号码');
    // the preview masks ID numbers
    expect(await page.locator('table.import-rows').innerText()).toMatch(/990\*+\d/);
    await page.getByTestId('import-dry-run').click();
    await page.locator('[data-testid=import-progress][data-status=done]').waitFor({ timeout: 60_000 });
    const report = page.getByTestId('import-report');
    await report.waitFor();
    expect(await report.locator('tbody tr').count()).toBe(10);
    const text = await report.innerText();
    expect(text).toContain('校验位不正确');
    expect(text).toContain('标准地址库中没有该地址');
    expect(text).toContain('与文件中前面的行重复');
    expect(await page.getByRole('status').last().innerText()).toContain('未写入');
    const href = await page.getByTestId('import-download').getAttribute('href');
    const csv = (await page.evaluate(`fetch(${JSON.stringify(href)}).then((r) => r.text())`)) as string;
    expect(csv.trim().split('\n')).toHaveLength(11);
    expect(await overflow(page)).toBe(0);
    await screenshot(page, 'import-dry-run', { fullPage: true });
  });

  it('imports it for real, and English works', async () => {
    await page.getByTestId('import-run').click();
    // the dry run's progress bar already says done: wait for the real run's summary itself
    await page.getByRole('status').filter({ hasText: '新增 40' }).last().waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=import-progress][data-status=done]').waitFor({ timeout: 60_000 });
    await page.locator('button.lang-toggle').click();
    await page.getByRole('heading', { name: 'Import base information' }).waitFor();
    await screenshot(page, 'import-done-en', { fullPage: true });
  });

  it('fits a phone without sideways scrolling', async () => {
    const small = await signIn(await phone(browser, [121.38, 31.15]), 'gumei.dispatcher');
    await small.goto('/admin/import');
    await small.getByTestId('import-history').waitFor();
    expect(await overflow(small)).toBe(0);
    await screenshot(small, 'import-phone', { fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
