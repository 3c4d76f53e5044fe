import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desk, launch, pageErrors, phone, screenshot, signIn } from './support.ts';

const GUMEI = '310112006';

/** The month before the current Beijing month: the demo's last full month of history. */
function lastMonth(): string {
  const now = new Date(Date.now() + 8 * 3600_000);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth(); // 0-based: the previous month's 1-based number
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}

/**
 * The district leader opens 综合评价, reads 古美街道's row for last month and drills into its numbers:
 * each list has exactly as many cases as the number clicked.
 */
describe('the leader’s evaluation', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launch();
    page = await signIn(await desk(browser), 'district.leader');
  });
  afterAll(async () => {
    await browser?.close();
  });

  const drillInto = async (indicator: string, part: 'numerator' | 'denominator') => {
    const button = page.locator(`[data-testid="n-${GUMEI}-${indicator}-${part}"]`);
    const shown = Number(await button.innerText());
    await button.click();
    const list = page.locator('[data-testid="drill-list"]');
    await list.waitFor();
    // polled from here: a string predicate would be eval'ed in the page, which its CSP refuses
    await expect.poll(() => list.locator('tbody tr').count(), { timeout: 20_000 }).toBe(shown);
    expect(Number(await list.getAttribute('data-total'))).toBe(shown);
    expect(await list.locator('tbody tr').count()).toBe(shown);
    return shown;
  };

  it('opens from the menu and shows every street with indicators, grade and rank', async () => {
    await page.click('a[href="/evaluation"]');
    await page.waitForSelector('.evaluation[data-ready="true"]');
    await page.goto(`/evaluation?period=${lastMonth()}&kind=street`);
    await page.waitForSelector(`[data-testid="evaluation-table"] tr[data-unit="${GUMEI}"]`);
    const rows = await page.locator('[data-testid="evaluation-table"] tbody tr').count();
    expect(rows).toBe(14); // Minhang's 14 streets and towns
    await screenshot(page, 'evaluation-streets', { fullPage: true });
  });

  it('drills into 古美街道’s 按期结案率: the lists are as long as the numbers', async () => {
    const due = await drillInto('on_time_closure_rate', 'denominator');
    expect(due).toBeGreaterThan(0);
    await screenshot(page, 'evaluation-drilldown', { fullPage: true });
    const onTime = await drillInto('on_time_closure_rate', 'numerator');
    expect(onTime).toBeLessThanOrEqual(due);
    await drillInto('public_report_rate', 'denominator');
  });

  it('downloads the drill-down list and the table as CSV', async () => {
    const shown = await drillInto('on_time_closure_rate', 'denominator');
    const [list] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.eval-drill a', { hasText: '导出 CSV' }).click(),
    ]);
    const rows = fs
      .readFileSync((await list.path())!, 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows[0]).toBe('案件编号,计入原因,计入时间,当前状态,描述');
    expect(rows).toHaveLength(1 + shown);
    const [tableFile] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.eval-controls a', { hasText: '导出 CSV' }).click(),
    ]);
    const lines = fs.readFileSync((await tableFile.path())!, 'utf8').split('\r\n');
    expect(lines[0]).toMatch(/^\uFEFF排名,单位代码,单位,监督举报率/);
    expect(lines.some((l) => l.includes(`${GUMEI},古美街道`))).toBe(true);
  });

  it('shows the definitions one click away, in Chinese and English', async () => {
    await page.getByRole('button', { name: '指标定义' }).click();
    await page.waitForSelector('.eval-defs');
    expect(await page.locator('.eval-defs').innerText()).toContain('按期结案率 = 按期结案数 / 应结案数');
    await screenshot(page, 'evaluation-definitions');
  });

  it('switches to departments and stays inside a phone screen', async () => {
    await page.getByRole('tab', { name: '职能部门' }).click();
    await page.waitForSelector('[data-testid="evaluation-table"] th:has-text("按时处置率")');
    const mobile = await signIn(await phone(browser, [121.38, 31.15]), 'district.leader');
    await mobile.goto(`/evaluation?period=${lastMonth()}&kind=street`);
    await mobile.waitForSelector(`[data-testid="evaluation-table"] tr[data-unit="${GUMEI}"]`);
    await screenshot(mobile, 'evaluation-phone');
    expect(pageErrors).toEqual([]);
  });
});
