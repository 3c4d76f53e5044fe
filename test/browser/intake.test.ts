import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  desk,
  launch,
  newPage,
  ok,
  pageErrors,
  phone,
  screenshot,
  signIn,
  type Schemas,
} from './support.ts';

/**
 * The intake desk (issue 11 §1, acceptance "hotline intake with duplicate warning → merge"): the 古美
 * dispatcher takes a 12345 call, the category is suggested from the description, an open case of that
 * category at the same address shows before saving, and "merge into this one" saves the call and opens
 * the existing case. A second call is saved with Ctrl+Enter and keeps its ticket number.
 */
describe('the intake desk', () => {
  let browser: Browser;
  type Address = Schemas['BaseAddressList']['items'][number] & { lon: number; lat: number };
  let address: Address;
  let master: Schemas['IntakeResult'];
  const stamp = String(Date.now()).slice(-8);

  beforeAll(async () => {
    browser = await launch();
    const api = await apiAs('gumei.dispatcher');
    const found = ok(
      await api.api.GET('/api/v1/base/addresses', { params: { query: { q: '古美路', limit: 5 } } }),
    );
    address = found.items.find((a): a is Address => a.lon !== null && a.lat !== null)!;
    expect(address).toBeTruthy();
    const saved = await api.api.POST('/api/v1/intake', {
      body: {
        source: 'walk_in',
        caller: { name: '来访居民' },
        category: '0501',
        description: '楼下暴露垃圾无人清理（先到的反映）',
        location: { lon: address.lon, lat: address.lat },
        addressId: address.id,
      },
    });
    expect(saved.response.status, JSON.stringify(saved.error)).toBe(201);
    master = ok(saved);
  });
  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  it('warns of the duplicate before saving and merges the call into it', async () => {
    const page = await signIn(await desk(browser), 'gumei.dispatcher');
    await page.getByRole('link', { name: '受理台' }).first().click();
    await page.waitForURL((u) => u.pathname === '/desk/intake');
    await page.getByRole('heading', { name: '受理台' }).waitFor();
    await screenshot(page, 'intake-empty');

    await page.fill('#intake-ticket', `GD${stamp}1`);
    await page.fill('#intake-caller', '王先生');
    await page.fill('#intake-phone', '13912345678');
    await page.fill('#intake-description', '小区门口垃圾堆了好几天，很臭');
    // the category is suggested as the description is typed
    await page.getByTestId('intake-suggestions').getByRole('button', { name: '暴露垃圾' }).click();
    await page.fill('[data-testid=intake-address]', address.fullText);
    await page.locator('.address-choice', { hasText: address.fullText }).first().click();
    const dup = page.locator(`[data-testid=intake-duplicate][data-case="${master.case.caseNo}"]`);
    await dup.waitFor();
    await screenshot(page, 'intake-duplicate', { fullPage: true });

    await dup.getByTestId('intake-merge').click();
    await page.waitForURL((u) => u.pathname === `/cases/${master.case.id}`);
    await page.getByText(master.case.caseNo).first().waitFor();
    await screenshot(page, 'intake-merged-into');

    const api = await apiAs('gumei.dispatcher');
    const byTicket = ok(await api.api.GET('/api/v1/cases', { params: { query: { text: `GD${stamp}1` } } }));
    expect(byTicket.items).toHaveLength(1);
    expect(byTicket.items[0]).toMatchObject({ mergedInto: master.case.id, ticketNo: `GD${stamp}1` });
  });

  it('saves a new call with Ctrl+Enter and opens it with its ticket number', async () => {
    const page = await signIn(await desk(browser), 'gumei.dispatcher');
    await page.goto('/desk/intake');
    await page.getByRole('heading', { name: '受理台' }).waitFor();
    await page.fill('#intake-ticket', `GD${stamp}2`);
    await page.fill('#intake-caller', '李女士');
    await page.fill('[data-testid=intake-address]', address.fullText);
    await page.locator('.address-choice', { hasText: address.fullText }).first().click();
    await page.fill('#intake-description', '路口井盖缺失，晚上很危险');
    await page.keyboard.press('Control+Enter');
    await page.waitForURL(
      (u) => /^\/cases\/[0-9a-f-]{36}$/.test(u.pathname) && !u.pathname.includes(master.case.id),
    );
    await page
      .getByTestId('case-ticket')
      .filter({ hasText: `GD${stamp}2` })
      .waitFor();
    await screenshot(page, 'intake-saved');
  });

  it('keeps a citizen on the citizen’s pages, and the police inbox on linked cases (issue 11 §5)', async () => {
    const citizen = await signIn(await desk(browser), 'citizen');
    for (const staffPage of ['/workbench', `/cases/${master.case.id}`, '/map', '/overview', '/desk/intake']) {
      await citizen.goto(staffPage);
      await citizen.waitForURL((u) => u.pathname === '/public');
    }
    const police = await apiAs('gumei.police');
    const listed = ok(await police.api.GET('/api/v1/cases', { params: { query: { limit: 200 } } }));
    const station = police.user.unit.id!;
    expect(listed.items.length).toBeGreaterThan(0);
    for (const c of listed.items)
      expect(
        c.policeMode !== 'none' ||
          c.leadDepartmentId === station ||
          c.assistingDepartmentIds.includes(station),
      ).toBe(true);
    const inbox = await signIn(await desk(browser), 'gumei.police');
    await inbox.waitForURL((u) => u.pathname === '/inbox');
    await screenshot(inbox, 'intake-police-inbox');
  });

  it('filters notifications and marks them all read (issue 11 §6)', async () => {
    const page = await signIn(await phone(browser, [address.lon, address.lat]), 'xinhong.dispatcher');
    await page.goto('/notifications');
    await page.getByTestId('notif-mark-all').waitFor();
    await page.getByTestId('notif-unread-only').check();
    await screenshot(page, 'notifications-phone');
    const api = await apiAs('xinhong.dispatcher');
    const unread = async () =>
      ok(await api.api.GET('/api/v1/notifications', { params: { query: { limit: 1 } } })).unreadCount;
    expect(await unread()).toBeGreaterThan(0);
    await page.getByTestId('notif-mark-all').click();
    await page.getByTestId('notif-mark-all').and(page.locator(':disabled')).waitFor();
    expect(await unread()).toBe(0);
    const wide = await signIn(await desk(browser), 'gumei.lead');
    await wide.goto('/notifications');
    await wide.getByTestId('notif-kind').waitFor();
    await screenshot(wide, 'notifications-desk');
  });

  it('fits a phone without sideways scrolling, and is not offered to other roles', async () => {
    const page = await signIn(await phone(browser, [address.lon, address.lat]), 'gumei.lead');
    await page.goto('/desk/intake');
    await page.getByRole('heading', { name: '受理台' }).waitFor();
    await page.fill('#intake-description', '噪声扰民');
    await screenshot(page, 'intake-phone', { fullPage: true });

    const patroller = await signIn(await phone(browser, [address.lon, address.lat]), 'gumei.patroller');
    const other = await newPage(patroller.context());
    await other.goto('/desk/intake');
    await other.getByRole('heading', { name: '页面不存在' }).waitFor();
  });
});
