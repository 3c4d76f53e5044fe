import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  desk,
  newPage,
  pageErrors,
  patrollerSpot,
  phone,
  photo,
  screenshot,
  signIn,
  launch,
  ok,
} from './support.ts';

/**
 * Issue 5's acceptance, through the UI as the demo users: the patroller reports on a phone → the 古美
 * dispatcher sees it appear live, registers and dispatches → the housing handler signs for it and
 * handles it → the patroller checks it → the shift lead closes it → the public page shows it closed.
 * Along the way: a double submit creates one case, a stale second tab gets the 409 message, and the
 * screenshots of the README are taken.
 */
describe('the linkage loop in the browser', () => {
  let browser: Browser;
  let patrollerCtx: BrowserContext;
  let dispatcherCtx: BrowserContext;
  let patroller: Page;
  let dispatcher: Page;
  let caseNo = '';
  let followUpCode = '';
  let caseId = '';
  const token = `BT${Date.now().toString(36)}`;
  const description = `浏览器测试 ${token}：群租，一套房隔断成多间出租，约 10 人居住`;

  const state = (page: Page, s: string) =>
    page.waitForSelector(`.case-page[data-case-state="${s}"]`, { timeout: 15_000 });

  /** Opens an action's form, fills it with `fill`, confirms, and waits for the case to reach `next`. */
  async function act(
    page: Page,
    action: string,
    next: string,
    fill?: (form: ReturnType<Page['locator']>) => Promise<void>,
  ) {
    await page.click(`.action-buttons button[data-action="${action}"]`);
    const form = page.locator(`form.action-form[data-action="${action}"]`);
    await form.waitFor();
    if (fill) await fill(form);
    await form.locator('button[type=submit]').click();
    await state(page, next);
  }

  beforeAll(async () => {
    browser = await launch();
    const spot = await patrollerSpot();
    patrollerCtx = await phone(browser, spot);
    dispatcherCtx = await desk(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the dispatcher has the workbench open (待受理, filtered to this journey)', async () => {
    dispatcher = await signIn(dispatcherCtx, 'gumei.dispatcher');
    await dispatcher.waitForURL(/\/workbench/);
    await dispatcher.waitForSelector('[data-testid=live-indicator].live-on', { timeout: 15_000 });
    await dispatcher.click('button.queue[data-queue="reported"]');
    await dispatcher.fill('.filters input[type=search]', token);
    await dispatcher.waitForURL((u) => u.searchParams.get('q') === token);
    await dispatcher.waitForSelector('.empty');
  });

  it('the patroller reports on the phone; a double tap creates one case', async () => {
    patroller = await signIn(patrollerCtx, 'gumei.patroller');
    await patroller.waitForURL(/\/m\/report/);
    await patroller.locator('label.cat-chip', { hasText: '群租' }).click();
    await patroller.setInputFiles('input[name=photos]', photo(1));
    await patroller.waitForSelector('.thumb img');
    await patroller.waitForSelector('text=GPS 精度约', { timeout: 15_000 });
    await patroller.fill('#description', description);
    await patroller.fill('#address', '古美路 1 弄 8 号 302 室');
    const submit = patroller.locator('button[type=submit]');
    await expect.poll(() => submit.isEnabled()).toBe(true);
    await screenshot(patroller, 'mobile-report', { fullPage: true });

    await submit.dblclick();
    const reported = patroller.locator('[data-testid=reported-case]');
    await reported.waitFor({ timeout: 20_000 });
    caseNo = (await reported.textContent())!.trim();
    expect(caseNo).toMatch(/^310112-\d{4}-\d{6,}$/);
    // the 查询码 the reporter needs, with the number, on the public page (issue 9 §8)
    const code = await patroller.locator('[data-testid=follow-up-code]').textContent();
    followUpCode = /[23456789A-HJ-NP-Z]{8}/.exec(code ?? '')?.[0] ?? '';
    expect(followUpCode).not.toBe('');

    const api = await apiAs('gumei.dispatcher');
    const found = ok(await api.api.GET('/api/v1/cases', { params: { query: { text: description } } }));
    expect(found.items.map((c) => c.caseNo)).toEqual([caseNo]);
    caseId = found.items[0]!.id;
    expect(found.items[0]!.streetCode).toBe('310112006');
  });

  it('the case appears on the workbench without a reload', async () => {
    const row = dispatcher.locator(`tr[data-case-number="${caseNo}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await dispatcher.locator('button.queue[data-queue="reported"] .queue-count').textContent()).toBe(
      '1',
    );

    // the whole workbench as a dispatcher starts the day with it (all open cases of 古美)
    const full = await newPage(dispatcherCtx);
    await full.goto('/workbench');
    await full.waitForSelector(`tr[data-case-number="${caseNo}"], .table-wrap`);
    await screenshot(full, 'workbench');
    await full.close();
  });

  it('the dispatcher registers; a stale second tab is told someone acted first', async () => {
    const stale = await newPage(dispatcherCtx);
    await stale.goto(`/cases/${caseId}`);
    await state(stale, 'reported');

    await dispatcher.locator(`tr[data-case-number="${caseNo}"] a`).click();
    await state(dispatcher, 'reported');
    await act(dispatcher, 'register', 'registered');

    // the other tab still shows version 1: its register is refused with 409 and the new state is shown
    await stale.click('.action-buttons button[data-action="register"]');
    await stale.locator('form.action-form[data-action="register"] button[type=submit]').click();
    const notice = stale.locator('[data-testid=case-notice]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('其他人已先一步处理');
    await state(stale, 'registered');
    await stale.close();
  });

  it('the dispatcher dispatches to the housing office with the police assisting', async () => {
    // the lead department is the one the demo's housing handler works for (the matrix suggests it)
    const housing = (await apiAs('housing.handler')).user.unit.id!;
    await dispatcher.click('.action-buttons button[data-action="dispatch"]');
    const form = dispatcher.locator('form.action-form[data-action="dispatch"]');
    await form.waitFor();
    // the matrix's suggestion is preselected and marked
    expect(await form.locator('select[name=leadDepartmentId]').inputValue()).not.toBe('');
    expect(await form.textContent()).toContain('按权责清单建议');
    await form.locator('select[name=leadDepartmentId]').selectOption(housing);
    await form.locator('button[type=submit]').click();
    await state(dispatcher, 'dispatched');
    await dispatcher.waitForSelector('.tl-item[data-action="dispatch"]');
  });

  it('the police station reads its linkage notice; the dispatcher sees the read receipt', async () => {
    const ctx = await desk(browser);
    const police = await signIn(ctx, 'gumei.police');
    await police.click('[data-testid=bell]');
    const notice = police.locator('.notif-list li', { hasText: caseNo }).first();
    await notice.waitFor();
    await notice.locator('button.btn-primary').click();
    await police.waitForURL(new RegExp(`/cases/${caseId}`));
    await state(police, 'dispatched');
    await ctx.close();

    await dispatcher.reload();
    await dispatcher.waitForSelector('.plain-list li[data-read="true"]', { timeout: 10_000 });
  });

  it('the housing handler signs for it and handles it with a photo', async () => {
    const ctx = await desk(browser);
    const handler = await signIn(ctx, 'housing.handler');
    await handler.waitForURL(/\/inbox/);
    await handler.fill('.inbox-search input', caseNo);
    await handler.locator(`tr[data-case-number="${caseNo}"] a`).click();
    await state(handler, 'dispatched');
    await act(handler, 'sign', 'in_progress');
    await act(handler, 'handle', 'handled', async (form) => {
      await form
        .locator('textarea[name=result]')
        .fill('已联合派出所上门核查，拆除隔断，恢复原状，房东已签署承诺书。');
      await form.locator('input[name=photos]').setInputFiles(photo(2));
      await form.locator('.thumb img').waitFor();
      await expect.poll(() => form.locator('button[type=submit]').isEnabled()).toBe(true);
    });
    await ctx.close();
  });

  it('the dispatcher sends the patroller to check it', async () => {
    await state(dispatcher, 'handled'); // arrived live
    await act(dispatcher, 'assign_check', 'checking', async (form) => {
      const select = form.locator('select');
      const option = select.locator('option', { hasText: '(gumei.patroller)' });
      await option.waitFor({ state: 'attached' });
      await select.selectOption((await option.getAttribute('value'))!);
    });
  });

  it('the patroller finds the task on the phone and passes the check', async () => {
    await patroller.goto('/m/tasks');
    const card = patroller.locator(`.task-card[data-case-number="${caseNo}"]`);
    await card.waitFor({ timeout: 15_000 });
    await card.locator('a.btn-primary').click();
    await state(patroller, 'checking');
    await act(patroller, 'submit_check', 'resolved', async (form) => {
      await form.locator('textarea[name=note]').fill('现场复查，隔断已拆除。');
    });
  });

  it('the shift lead closes the case', async () => {
    const ctx = await desk(browser);
    const lead = await signIn(ctx, 'gumei.lead');
    await lead.goto(`/cases/${caseId}`);
    await state(lead, 'resolved');
    await act(lead, 'close', 'closed');
    const timeline = await lead
      .locator('.tl-item')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-action')));
    expect(timeline).toEqual(
      expect.arrayContaining([
        'report',
        'register',
        'dispatch',
        'sign',
        'handle',
        'assign_check',
        'submit_check',
        'close',
      ]),
    );
    // the whole record: every step with its actor and time used against its limit, photos, read receipts
    await lead.waitForSelector('.plain-list li[data-read="true"]');
    await screenshot(lead, 'case-detail', { fullPage: true });
    await ctx.close();
  });

  it('the public page shows it closed, with nothing internal', async () => {
    const ctx = await desk(browser);
    const page = await newPage(ctx);
    await page.goto('/public');
    await page.fill('#case-number', caseNo);
    await page.fill('#follow-up-code', followUpCode);
    await page.click('form.inline-form button[type=submit]');
    const result = page.locator('[data-testid=public-result]');
    await result.waitFor();
    expect(await result.getAttribute('data-status')).toBe('closed');
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('已办结');
    expect(text).not.toContain('古美路'); // no address
    expect(text).not.toContain('隔断'); // no description or notes
    await ctx.close();
  });

  it('the district map and the leader overview', async () => {
    const ctx = await desk(browser);
    const leader = await signIn(ctx, 'district.leader');
    await leader.goto('/map');
    await leader.waitForSelector('.map-canvas[data-ready="true"]', { timeout: 30_000 });
    await screenshot(leader, 'map');

    await leader.goto('/overview');
    await leader.waitForSelector('.overview[data-ready="true"]');
    const closedToday = await leader.locator('.kpi').nth(1).locator('.kpi-value').textContent();
    expect(Number(closedToday)).toBeGreaterThanOrEqual(1);
    await screenshot(leader, 'leader-overview');
    await ctx.close();
  });

  it('no page crashed along the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
