import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, desk, launch, pageErrors, phone, screenshot, signIn } from './support.ts';

const GUMEI = '310112006';

/** The month before the current Beijing month: the demo's last full month of history. */
function lastMonth(): string {
  const now = new Date(Date.now() + 8 * 3600_000);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}

/** A page expression: 古美's composite cell (fourth from the end of its row) is (or is not) `text`. */
const compositeIs = (op: '===' | '!==', text: string) =>
  `(() => { const c = document.querySelectorAll('[data-testid="evaluation-table"] tr[data-unit="${GUMEI}"] td');` +
  ` return c.length > 4 && c[c.length - 4].textContent ${op} ${JSON.stringify(text)}; })()`;

/**
 * 回访 and the evaluation settings (issue 14): 古美's shift lead calls a reporter back, records 不满意 and
 * reopens the case in the same step; the district admin changes a weight and the table changes; the
 * district leader drills into 满意率 and the list is as long as the number.
 */
describe('follow-ups, weights and 满意率', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the shift lead records an unsatisfied follow-up and reopens the case in one step', async () => {
    const page = await signIn(await desk(browser), 'gumei.lead');
    await page.click('a[href="/follow-ups"]');
    await page.waitForSelector('.follow-ups[data-ready="true"]');
    const task = page.locator('[data-testid="follow-up-tasks"] li.fu-task').first();
    await task.waitFor();
    const caseNo = (await task.getAttribute('data-case'))!;
    // the contact is masked until shown with a reason
    expect(await task.locator('[data-testid="reporter"]').innerText()).toContain('*');
    await screenshot(page, 'follow-ups-list', { fullPage: true });

    await task.locator('[data-testid="record"]').click();
    await task.locator('input[value="unsatisfied"]').check();
    await task.locator('textarea').fill('市民反映问题未彻底解决');
    await screenshot(page, 'follow-ups-record');
    await task.getByRole('button', { name: '保存并重新办理' }).click();
    await page.waitForSelector(`.fu-done:has-text("${caseNo} 已重新办理")`);
    expect(await page.locator(`[data-testid="follow-up-tasks"] li[data-case="${caseNo}"]`).count()).toBe(0);

    const api = await apiAs('gumei.lead');
    const detail = await api.get<{ state: string }>(`/api/v1/cases/${encodeURIComponent(caseNo)}`);
    expect(detail.status).toBe(200);
    expect(detail.body.state).toBe('registered');
    await screenshot(page, 'follow-ups-reopened', { fullPage: true });

    const mobile = await signIn(await phone(browser, [121.38, 31.15]), 'gumei.dispatcher');
    await mobile.goto('/follow-ups');
    await mobile.waitForSelector('.follow-ups[data-ready="true"]');
    await screenshot(mobile, 'follow-ups-phone');
  });

  it('the admin changes a weight and the table changes', async () => {
    const page = await signIn(await desk(browser), 'admin');
    await page.goto(`/evaluation?period=${lastMonth()}&kind=street`);
    const row = page.locator(`[data-testid="evaluation-table"] tr[data-unit="${GUMEI}"]`);
    await row.waitFor();
    const compositeCell = row.locator('td').nth(-4);
    const before = await compositeCell.innerText();
    await page.locator('[data-testid="open-settings"]').click();
    const form = page.locator('[data-testid="evaluation-settings"]');
    await form.waitFor();
    // an invalid sum is refused before it is sent
    await form.locator('input[data-weight="on_time_closure_rate"]').fill('90');
    expect(await form.locator('[data-testid="settings-problems"]').innerText()).toContain('须为 100');
    expect(await form.getByRole('button', { name: '保存' }).isDisabled()).toBe(true);
    // all the weight on 按期结案率
    for (const [id, w] of [
      ['public_report_rate', '0'],
      ['closure_rate', '0'],
      ['on_time_closure_rate', '100'],
      ['satisfaction_rate', '0'],
    ] as const) {
      await form.locator(`input[data-weight="${id}"]`).fill(w);
    }
    await screenshot(page, 'evaluation-weights', { fullPage: true });
    await form.getByRole('button', { name: '保存' }).click();
    await page.waitForSelector('.eval-settings :text("已保存")');
    await page.waitForFunction(compositeIs('!==', before), undefined, { timeout: 20_000 });
    const after = await compositeCell.innerText();
    expect(after).not.toBe(before);
    // the composite is now exactly 古美's 按期结案率
    const onTime = await row.locator('td.eval-cell').nth(2).locator('div').first().innerText();
    expect(Number.parseFloat(after)).toBeCloseTo(Number.parseFloat(onTime), 0);
    await screenshot(page, 'evaluation-weights-saved', { fullPage: true });
    // back to the defaults
    await form.getByRole('button', { name: '恢复默认权重' }).click();
    await form.getByRole('button', { name: '保存' }).click();
    await page.waitForFunction(compositeIs('===', before), undefined, { timeout: 20_000 });
  });

  it('the leader drills into 古美街道’s 满意率: the lists are as long as the numbers', async () => {
    const page: Page = await signIn(await desk(browser), 'district.leader');
    await page.goto(`/evaluation?period=${lastMonth()}&kind=street`);
    await page.waitForSelector(`[data-testid="evaluation-table"] tr[data-unit="${GUMEI}"]`);
    expect(await page.locator('[data-testid="evaluation-table"] th', { hasText: '满意率' }).count()).toBe(1);
    for (const part of ['denominator', 'numerator'] as const) {
      const button = page.locator(`[data-testid="n-${GUMEI}-satisfaction_rate-${part}"]`);
      const shown = Number(await button.innerText());
      await button.click();
      const list = page.locator('[data-testid="drill-list"]');
      await list.waitFor();
      await page.waitForFunction(
        `document.querySelectorAll('[data-testid="drill-list"] tbody tr').length === ${shown}`,
        undefined,
        { timeout: 20_000 },
      );
      expect(Number(await list.getAttribute('data-total'))).toBe(shown);
      if (part === 'denominator') {
        expect(shown).toBeGreaterThan(0);
        const reasons = await list.locator('tbody tr td:nth-child(2)').allInnerTexts();
        expect(reasons.every((r) => ['满意', '基本满意', '不满意'].includes(r))).toBe(true);
        await screenshot(page, 'evaluation-satisfaction', { fullPage: true });
      }
    }
    expect(pageErrors).toEqual([]);
  });
});
