import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, desk, launch, pageErrors, phone, screenshot, SCREENSHOTS, signIn } from './support.ts';

const GUMEI = '310112006';

/** The month before the current Beijing month: the demo's last full month of history. */
function lastMonth(): string {
  const now = new Date(Date.now() + 8 * 3600_000);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}

const sheetOf = async (download: Download) => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile((await download.path())!);
  return wb.worksheets[0]!;
};
const headerOf = (sheet: ExcelJS.Worksheet) => (sheet.getRow(1).values as unknown[]).slice(1);

/**
 * Exports and reports (issue 14): a dispatcher exports the workbench list as Excel (the file parsed back);
 * the district leader exports the evaluation table and downloads 古美街道's monthly report PDF (its pages
 * rendered to images, its figures those of the page); the big screen renders at 1920×1080.
 */
describe('exports, the monthly report and the big screen', () => {
  let browser: Browser;
  let leader: Page;

  beforeAll(async () => {
    browser = await launch();
    leader = await signIn(await desk(browser), 'district.leader');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('exports the workbench list as .xlsx with typed columns and as CSV', async () => {
    const page = await signIn(await desk(browser), 'gumei.dispatcher');
    await page.goto('/workbench?queue=open');
    await page.waitForSelector('[data-testid="export-cases-xlsx"]');
    await page.waitForSelector('.case-table tbody tr, table tbody tr');
    await screenshot(page, 'reports-workbench-export');
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="export-cases-xlsx"]'),
    ]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    const sheet = await sheetOf(xlsx);
    const header = headerOf(sheet);
    expect(header.slice(0, 3)).toEqual(['案件编号', '状态', '来源']);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.rowCount).toBeGreaterThan(1);
    const row = sheet.getRow(2);
    expect(row.getCell(header.indexOf('上报时间') + 1).value).toBeInstanceOf(Date);
    expect(typeof row.getCell(header.indexOf('经度') + 1).value).toBe('number');
    // every case of the open queue, in 古美 only (the dispatcher's scope)
    const streets = new Set<unknown>();
    for (let r = 2; r <= sheet.rowCount; r++)
      streets.add(sheet.getRow(r).getCell(header.indexOf('街道') + 1).value);
    expect([...streets]).toEqual(['古美街道']);

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="export-cases-csv"]'),
    ]);
    const lines = fs
      .readFileSync((await csv.path())!, 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]!.startsWith('\uFEFF案件编号,状态,来源')).toBe(true);
    // the live demo may add a case between the two downloads
    expect(Math.abs(lines.length - sheet.rowCount)).toBeLessThanOrEqual(3);
  });

  it('exports the evaluation table as .xlsx with the page’s figures', async () => {
    await leader.goto(`/evaluation?period=${lastMonth()}&kind=street`);
    await leader.waitForSelector(`[data-testid="evaluation-table"] tr[data-unit="${GUMEI}"]`);
    const [file] = await Promise.all([
      leader.waitForEvent('download'),
      leader.click('[data-testid="evaluation-export-xlsx"]'),
    ]);
    const sheet = await sheetOf(file);
    const header = headerOf(sheet);
    expect(header.slice(0, 3)).toEqual(['排名', '单位代码', '单位']);
    expect(sheet.rowCount - 1).toBe(14);
    const gumei = [...Array(sheet.rowCount - 1).keys()]
      .map((i) => sheet.getRow(i + 2))
      .find((r) => r.getCell(2).value === GUMEI)!;
    const at = header.indexOf('按期结案率分母') + 1;
    const shown = Number(
      await leader.locator(`[data-testid="n-${GUMEI}-on_time_closure_rate-denominator"]`).innerText(),
    );
    expect(gumei.getCell(at).value).toBe(shown);
  });

  it('downloads 古美街道’s monthly report PDF: Chinese renders and the figures are the page’s', async () => {
    await leader.selectOption('[aria-label="报告单位"]', GUMEI);
    const [pdf] = await Promise.all([
      leader.waitForEvent('download', { timeout: 120_000 }),
      leader.click('[data-testid="monthly-report-pdf"]'),
    ]);
    const file = (await pdf.path())!;
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    execFileSync('pdftoppm', ['-r', '80', '-png', file, path.join(SCREENSHOTS, 'report-monthly-gumei')]);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('古美街道');
    const line = text.split('\n').find((l) => l.trim().startsWith('按期结案率'))!;
    const n = await leader.locator(`[data-testid="n-${GUMEI}-on_time_closure_rate-numerator"]`).innerText();
    const d = await leader.locator(`[data-testid="n-${GUMEI}-on_time_closure_rate-denominator"]`).innerText();
    expect(line.trim().split(/\s+/).slice(1, 3)).toEqual([n.trim(), d.trim()]);
  });

  it('keeps the export and report buttons inside a phone screen', async () => {
    const mobile = await signIn(await phone(browser, [121.38, 31.15]), 'district.leader');
    await mobile.goto(`/evaluation?period=${lastMonth()}&kind=street`);
    await mobile.waitForSelector('[data-testid="monthly-report-pdf"]');
    await screenshot(mobile, 'reports-evaluation-phone');
  });

  it('renders the big screen at 1920×1080, live, rotating to the rankings', async () => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      baseURL: BASE,
      viewport: { width: 1920, height: 1080 },
    });
    const wall = await signIn(context, 'district.leader');
    await wall.goto('/screen');
    await wall.waitForSelector('.screen[data-ready="true"] .screen-map canvas', { timeout: 60_000 });
    await wall.waitForTimeout(1500);
    await screenshot(wall, 'screen-overview');
    await wall.getByRole('tab', { name: '排名' }).click();
    await wall.waitForSelector('.screen[data-view="rankings"] .screen-rank canvas');
    await wall.waitForTimeout(800);
    await screenshot(wall, 'screen-rankings');
    const kpi = await wall.locator('.screen-kpi-value').first().innerText();
    expect(Number(kpi)).toBeGreaterThanOrEqual(0);
    expect(pageErrors).toEqual([]);
  });
});
