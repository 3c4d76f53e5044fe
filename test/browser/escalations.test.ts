import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  desk,
  expectNoSideways,
  launch,
  ok,
  pageErrors,
  phone,
  screenshot,
  signIn,
} from './support.ts';

/**
 * Issue 11 §6, escalations and notifications that help: a demo case the sweeper escalated over several
 * levels shows one timeline entry per level with its stage, time used vs limit and who was told (desktop
 * and phone, zh and en); the 古美 dispatcher's notifications are one row per case with a count, open to
 * all of the case's notices, and the case's row is marked read at once.
 */
describe('escalations and grouped notifications', () => {
  let browser: Browser;
  let caseId = '';
  let levels = 0;

  beforeAll(async () => {
    browser = await launch();
    const { api } = await apiAs('gumei.dispatcher');
    // the demo case with the most escalation levels among the 古美 dispatcher's notices
    const groups = ok(
      await api.GET('/api/v1/notifications/groups', {
        params: { query: { kind: 'overdue_escalation', limit: 100 } },
      }),
    );
    expect(groups.groups.length).toBeGreaterThan(0);
    for (const g of groups.groups.filter((x) => x.caseId)) {
      const detail = ok(await api.GET('/api/v1/cases/{id}', { params: { path: { id: g.caseId! } } }));
      const n = detail.events.filter((e) => e.escalation !== null).length;
      if (n > levels) {
        levels = n;
        caseId = g.caseId!;
      }
      if (levels >= 3) break;
    }
    expect(levels).toBeGreaterThanOrEqual(2);
  });
  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  const timeline = async (page: Page) => {
    await page.goto(`/cases/${caseId}`);
    const entries = page.locator('.tl-escalation');
    await entries.first().waitFor();
    expect(await entries.count()).toBe(levels);
    return entries;
  };

  it('shows one entry per level with the stage, time used vs limit and who was told (desktop, zh)', async () => {
    const ctx = await desk(browser);
    const page = await signIn(ctx, 'gumei.dispatcher');
    const entries = await timeline(page);
    const first = (await entries.first().textContent()) ?? '';
    expect(first).toContain('一级');
    expect(first).toContain('超时提醒责任单位');
    expect(first).toMatch(/用时 .+ \/ 时限 /);
    expect(first).toContain('已通知');
    expect(first).toContain('环节超时');
    const levelsShown = await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-level')));
    // one entry per (clock, level): no level twice for the same stage
    const stages = await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-stage')));
    const pairs = levelsShown.map((l, i) => `${stages[i]}|${l}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    await entries.first().scrollIntoViewIfNeeded();
    await screenshot(page, 'escalation-timeline-desk', { fullPage: true });
    await ctx.close();
  });

  it('shows the same entries on a phone, in English too', async () => {
    const ctx: BrowserContext = await phone(browser, [121.38, 31.15]);
    // the page's language choice (web/src/i18n), set before the app starts
    await ctx.addInitScript({ content: "localStorage.setItem('liandong.lang', 'en')" });
    const page = await signIn(ctx, 'gumei.dispatcher');
    const entries = await timeline(page);
    const first = (await entries.first().textContent()) ?? '';
    expect(first).toContain('Level 1');
    expect(first).toContain('Told');
    await entries.first().scrollIntoViewIfNeeded();
    await expectNoSideways(page);
    await screenshot(page, 'escalation-timeline-phone-en');
    await ctx.close();
  });

  it('lists the notifications one row per case, opens a row to all its notices and marks the case read', async () => {
    const ctx = await desk(browser);
    const page = await signIn(ctx, 'gumei.dispatcher');
    await page.goto('/notifications');
    const row = page.locator(`li.notif-group[data-group="case:${caseId}"]`);
    // the escalated case may be further down: load pages until it is there
    await page.locator('li.notif-group').first().waitFor();
    for (let i = 0; i < 60 && (await row.count()) === 0; i++) {
      const more = page.getByTestId('notif-more');
      if ((await more.count()) === 0) break;
      const before = await page.locator('li.notif-group').count();
      await more.click();
      // wait for the next page itself, not a fixed time (a loaded machine answers slowly)
      await expect
        .poll(() => page.locator('li.notif-group').count(), { timeout: 20_000 })
        .toBeGreaterThan(before);
    }
    await row.waitFor();
    const count = Number(await row.getAttribute('data-count'));
    expect(count).toBeGreaterThan(1);
    // one row per case: no case twice
    const keys = await page
      .locator('li.notif-group')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-group')));
    expect(new Set(keys).size).toBe(keys.length);
    await row.getByTestId('notif-expand').click();
    const members = row.locator('[data-member]');
    await expect.poll(() => members.count(), { timeout: 10_000 }).toBe(count);
    await screenshot(page, 'notifications-grouped-desk');
    const markGroup = row.getByTestId('notif-mark-group');
    if ((await markGroup.count()) > 0) {
      await markGroup.click();
      await expect.poll(() => row.getByTestId('notif-mark-group').count(), { timeout: 10_000 }).toBe(0);
    }
    await ctx.close();
  });

  it('keeps the grouped list readable on a phone: whole descriptions, no sideways scroll', async () => {
    const ctx = await phone(browser, [121.38, 31.15]);
    const page = await signIn(ctx, 'gumei.dispatcher');
    await page.goto('/notifications');
    const row = page.locator('li.notif-group').first();
    await row.waitFor();
    const summary = page.locator('.notif-summary').first();
    await summary.waitFor();
    expect(await summary.evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(300);
    const expand = page.getByTestId('notif-expand').first();
    if ((await expand.count()) > 0) {
      await expand.click();
      await page.getByTestId('notif-members').first().waitFor();
    }
    await expectNoSideways(page);
    await screenshot(page, 'notifications-grouped-phone');
    await ctx.close();
  });
});
