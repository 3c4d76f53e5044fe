import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  BASE,
  desk,
  launch,
  loginRequest,
  newPage,
  pageErrors,
  phone,
  screenshot,
  ok,
} from './support.ts';

/**
 * Accounts (issue 11, acceptance): an admin creates a user; at the first login the user is held on the
 * change-password page (the API refuses everything else), picks a password the rules accept, reaches
 * the workbench, and from the user menu sees and ends their other sessions.
 */
describe('a new user must change the generated password at the first login', () => {
  let browser: Browser;
  let page: Page;
  const username = `gumei.desk${Date.now() % 100000}`;
  const newPassword = 'brisk-lantern-harbour-42';
  let temporary = '';
  let userId = '';

  const overflow = (p: Page) =>
    p.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    ) as Promise<number>;

  beforeAll(async () => {
    browser = await launch();
    const admin = await apiAs('admin');
    const created = ok(
      await admin.api.POST('/api/v1/users', {
        body: { username, displayName: '新来的受理员', role: 'dispatcher', unit: '310112006' },
      }),
    );
    temporary = created.generatedPassword!;
    userId = created.user.id;
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('signs in and lands on the change-password page, whatever page is asked for', async () => {
    page = await newPage(await desk(browser));
    await page.goto('/login?next=%2Fmap');
    await page.fill('#username', username);
    await page.fill('#password', temporary);
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/account');
    await page.getByRole('heading', { name: '请修改密码' }).waitFor();
    expect(await page.locator('nav.topnav').count()).toBe(0);
    await screenshot(page, 'account-forced');

    // the API itself refuses the session everything but me, password and logout
    const status = await page.evaluate("fetch('/api/v1/cases').then((r) => r.status)");
    expect(status).toBe(403);
    await page.goto('/workbench');
    await page.waitForURL((u) => u.pathname === '/account' && u.search.includes('next=%2Fworkbench'));
  });

  it('explains a password the rules refuse', async () => {
    await page.fill('#current-password', temporary);
    await page.fill('#new-password', 'Password1234');
    await page.fill('#repeat-password', 'Password1234');
    await page.click('button[type=submit]');
    const error = page.locator('.error-box[role=alert]');
    await error.waitFor();
    expect(await error.innerText()).toContain('太容易被猜到');
    await screenshot(page, 'account-forced-weak');
  });

  it('takes a good one and goes on to the workbench', async () => {
    await page.fill('#new-password', newPassword);
    await page.fill('#repeat-password', newPassword);
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/workbench');
    await page.waitForSelector('button.queue');
    expect(await page.evaluate("fetch('/api/v1/cases').then((r) => r.status)")).toBe(200);
  });

  it('shows the sessions from the user menu and signs out the others', async () => {
    // a second session elsewhere (a script with the new password)
    const r = await loginRequest(username, newPassword, { 'user-agent': 'curl/8.5' });
    expect(r.status).toBe(200);
    const { token } = (await r.json()) as { token: string };

    await page.click('[data-testid=account-link]');
    await page.waitForURL((u) => u.pathname === '/account');
    await page.getByRole('heading', { name: '账号与安全' }).waitFor();
    const items = page.locator('[data-testid=sessions] li');
    await expect.poll(() => items.count()).toBe(2);
    expect(await page.locator('[data-testid=sessions]').innerText()).toContain('本设备');
    expect(await overflow(page)).toBe(0);
    await screenshot(page, 'account-page', { fullPage: true });

    await page.getByRole('button', { name: '退出其他所有设备' }).click();
    await page.getByText('已退出其他 1 个设备的登录。').waitFor();
    await expect.poll(() => items.count()).toBe(1);
    const me = await fetch(`${BASE}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
  });

  it('fits a phone (390×844) without sideways scrolling, reachable from the header icon', async () => {
    const mobile = await newPage(await phone(browser, [121.38, 31.15]));
    await mobile.goto('/login');
    await mobile.fill('#username', 'gumei.patroller');
    await mobile.fill('#password', 'liandong-demo');
    await mobile.click('button[type=submit]');
    await mobile.waitForURL((u) => !u.pathname.startsWith('/login'));
    await mobile.click('a.account-icon');
    await mobile.waitForURL((u) => u.pathname === '/account');
    await mobile.locator('[data-testid=sessions] li').first().waitFor();
    expect(await overflow(mobile)).toBe(0);
    await screenshot(mobile, 'account-page-phone', { fullPage: true });
  });

  it('left an audit trail', async () => {
    const admin = await apiAs('admin');
    const audit = ok(
      await admin.api.GET('/api/v1/audit', { params: { query: { target: `user:${userId}` } } }),
    );
    const actions = audit.items.map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['user.create', 'auth.password_change', 'auth.sessions_revoke_others']),
    );
    expect(pageErrors).toEqual([]);
  });
});
