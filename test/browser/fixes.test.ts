import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  BASE,
  desk,
  expectNoSideways,
  launch,
  newPage,
  pageErrors,
  patrollerSpot,
  phone,
  screenshot,
  signIn,
  ok,
} from './support.ts';

interface Created {
  id: string;
  caseNo: string;
  code: string;
}

/**
 * Issue 11 §9: the bugs found by trying the console as a new user, each walked in the browser, and no page
 * scrolling sideways at a phone's or a desktop's size. Issue 11 §7: the workbench's cold weight.
 */
describe('issue 11 fixes in the browser', () => {
  let browser: Browser;
  let spot: [number, number];
  const token = `FX${Date.now().toString(36)}`;
  let n = 0;

  /** A 群租 report by the patroller, through the API. */
  async function report(): Promise<Created> {
    const api = await apiAs('gumei.patroller');
    const r = ok(
      await api.api.POST('/api/v1/cases', {
        body: {
          category: '0101',
          description: `浏览器测试 ${token}-${++n}：群租，一套房隔断成多间出租`,
          location: { lon: spot[0], lat: spot[1], crs: 'wgs84' },
        },
        params: { header: { 'idempotency-key': `${token}-${n}` } },
      }),
    );
    return { id: r.case.id, caseNo: r.case.caseNo, code: r.followUpCode! };
  }

  /** Registers and dispatches a case to the demo housing office (the housing handler's department). */
  async function dispatchToHousing(id: string): Promise<void> {
    const api = await apiAs('gumei.dispatcher');
    const housing = (await apiAs('housing.handler')).user.unit.id!;
    const path = { params: { path: { id } } };
    const version = async () => ok(await api.api.GET('/api/v1/cases/{id}', path)).version;
    ok(
      await api.api.POST('/api/v1/cases/{id}/actions/register', {
        ...path,
        body: { version: await version() },
      }),
    );
    ok(
      await api.api.POST('/api/v1/cases/{id}/actions/dispatch', {
        ...path,
        body: { version: await version(), leadDepartmentId: housing },
      }),
    );
  }

  beforeAll(async () => {
    browser = await launch();
    spot = await patrollerSpot();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('photo forms do not scroll sideways on a phone (report form, handle form)', async () => {
    const patroller = await signIn(await phone(browser, spot), 'gumei.patroller');
    await patroller.waitForURL(/\/m\/report/);
    await patroller.waitForSelector('input[name=photos]', { state: 'attached' });
    await expectNoSideways(patroller);

    const c = await report();
    await dispatchToHousing(c.id);
    const ctx = await phone(browser, spot);
    const handler = await signIn(ctx, 'housing.handler');
    await handler.goto(`/cases/${c.id}`);
    await handler.waitForSelector('.case-page[data-case-state="dispatched"]');
    await handler.click('.action-buttons button[data-action="sign"]');
    await handler.locator('form.action-form[data-action="sign"] button[type=submit]').click();
    await handler.waitForSelector('.case-page[data-case-state="in_progress"]');
    await handler.click('.action-buttons button[data-action="handle"]');
    await handler.locator('form.action-form[data-action="handle"] input[name=photos]').waitFor({
      state: 'attached',
    });
    await expectNoSideways(handler);
    await screenshot(handler, 'mobile-handle-form', { fullPage: true });
    await ctx.close();
  });

  it('退回 ends on the done notice and a way back, not on a "not found" error', async () => {
    const c = await report();
    await dispatchToHousing(c.id);
    const ctx = await desk(browser);
    const handler = await signIn(ctx, 'housing.handler');
    await handler.goto(`/cases/${c.id}`);
    await handler.waitForSelector('.case-page[data-case-state="dispatched"]');
    await handler.click('.action-buttons button[data-action="return"]');
    const form = handler.locator('form.action-form[data-action="return"]');
    await form.locator('textarea[name=reason]').fill('不属于本部门职责，请重新派遣');
    await form.locator('button[type=submit]').click();
    await handler.waitForSelector('[data-testid=case-left-scope]', { timeout: 15_000 });
    expect(await handler.locator('[data-testid=case-notice]').textContent()).toContain('退回');
    await handler.waitForTimeout(1000); // a late reload must not turn it into an error either
    expect(await handler.locator('.error-box').count()).toBe(0);
    await screenshot(handler, 'case-returned');
    await handler.click('[data-testid=case-left-scope] a');
    await handler.waitForURL(/\/inbox/);
    // and the centre has it back to dispatch again
    const api = await apiAs('gumei.dispatcher');
    expect(ok(await api.api.GET('/api/v1/cases/{id}', { params: { path: { id: c.id } } })).state).toBe(
      'registered',
    );
    await ctx.close();
  });

  it('/public?number=…&code=… looks the case up at once, and takes the code off the address bar', async () => {
    const c = await report();
    const ctx = await desk(browser);
    const page = await newPage(ctx);
    await page.goto(`/public?number=${encodeURIComponent(c.caseNo)}&code=${c.code}`);
    const result = page.locator('[data-testid=public-result]');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('data-status')).toBeTruthy();
    expect(await result.textContent()).toContain(c.caseNo);
    expect(new URL(page.url()).searchParams.get('code')).toBeNull();
    expect(new URL(page.url()).searchParams.get('number')).toBe(c.caseNo);
    // the number alone fills the box and waits for the code
    await page.goto(`/public?number=${encodeURIComponent(c.caseNo)}`);
    expect(await page.inputValue('#case-number')).toBe(c.caseNo);
    await page.waitForTimeout(500);
    expect(await page.locator('[data-testid=public-result]').count()).toBe(0);
    await ctx.close();
  });

  it('a citizen cannot pick a 维稳 (stability) category; a patroller still can', async () => {
    const ctx = await desk(browser);
    const citizen = await signIn(ctx, 'citizen');
    await citizen.waitForURL(/\/public/);
    await citizen.locator('label.cat-chip', { hasText: '暴露垃圾' }).waitFor();
    const offered = await citizen.locator('label.cat-chip').allTextContents();
    expect(offered).not.toContain('不稳定因素');
    expect(offered).not.toContain('矛盾纠纷');
    await ctx.close();

    const patroller = await signIn(await phone(browser, spot), 'gumei.patroller');
    await patroller.locator('label.cat-chip', { hasText: '群租' }).waitFor();
    expect(await patroller.locator('label.cat-chip').allTextContents()).toContain('不稳定因素');
  });

  it('a limit of 0.25 stays 0.25; 紧急时 and 超时倍数 are explained', async () => {
    const c = await report();
    const ctx = await desk(browser);
    const page = await signIn(ctx, 'gumei.dispatcher');
    // the demo's limits are whole numbers: this case is shown with a quarter-hour 紧急时 limit, overrun
    await page.route(`**/api/v1/cases/${c.id}`, async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as {
        deadlines: {
          stage: string;
          limit: { amount: number; unit: string; extension?: number };
          overrunMultiple: number;
        }[];
        events: {
          stage: string | null;
          timeLimit: number | null;
          timeUsed: number | null;
          timeUnit: string | null;
        }[];
      };
      for (const d of body.deadlines) {
        d.limit = { ...d.limit, amount: 0.25, unit: 'urgent_hour', extension: 0 };
        d.overrunMultiple = 0.25;
      }
      const first = body.events[0]!;
      const stage = body.deadlines[0]?.stage ?? 'register';
      Object.assign(first, { stage, timeLimit: 0.25, timeUsed: 0.25, timeUnit: 'urgent_hour' });
      await route.fulfill({ response: res, json: body });
    });
    await page.goto(`/cases/${c.id}`);
    await page.waitForSelector('.case-page[data-case-state="reported"]');
    const limitCell = page.locator('table.mini td[data-unit="urgent_hour"]').first();
    expect(await limitCell.textContent()).toContain('0.25');
    expect(await limitCell.getAttribute('title')).toContain('夜间');
    const clock = page.locator('.tl-clock [data-unit="urgent_hour"]').first();
    expect(await clock.textContent()).toContain('0.25');
    expect(await clock.getAttribute('title')).toContain('夜间');
    expect(await page.locator('[data-testid=overrun]').first().getAttribute('title')).toContain('时限');
    const legend = (await page.locator('[data-testid=deadline-legend]').textContent()) ?? '';
    expect(legend).toContain('紧急时');
    expect(legend).toContain('超时倍数');
    expect(await page.locator('body').textContent()).not.toContain('0.3 紧急时');
    await screenshot(page, 'case-deadline-legend', { fullPage: true });
    await ctx.close();
  });

  it('the phone notification list shows the descriptions, not six characters of them', async () => {
    const page = await signIn(await phone(browser, spot), 'gumei.dispatcher');
    await page.goto('/notifications');
    const summary = page.locator('.notif-summary').first();
    await summary.waitFor();
    const width = await summary.evaluate((el) => el.getBoundingClientRect().width);
    expect(width).toBeGreaterThan(300); // the phone is 390 wide
    await expectNoSideways(page);
    await screenshot(page, 'mobile-notifications');
  });

  it('no page scrolls sideways at 390×844 or 1440×900', async () => {
    const c = await report();
    const pages: [string | null, string, string][] = [
      [null, '/login', '#username'],
      [null, '/public', '#case-number'],
      [null, '/about', 'main, .layout, body'],
      ['citizen', '/public', 'label.cat-chip'],
      ['gumei.dispatcher', '/workbench', '.table-wrap, .empty'],
      ['gumei.dispatcher', `/cases/${c.id}`, '.case-page[data-case-state]'],
      ['gumei.dispatcher', '/notifications', '.notif-list, .empty'],
      ['gumei.police', '/inbox', '.table-wrap, .empty'],
      ['housing.handler', '/inbox', '.table-wrap, .empty'],
      ['gumei.patroller', '/m/report', 'label.cat-chip'],
      ['gumei.patroller', '/m/tasks', '.task-card, .empty'],
      ['district.leader', '/map', '.map-canvas[data-ready="true"]'],
      ['district.leader', '/overview', '.overview[data-ready="true"]'],
      ['admin', '/admin/calendar', 'main h1, h1'],
    ];
    const contexts = new Map<string, BrowserContext>();
    const pageFor = async (user: string | null, size: 'phone' | 'desk'): Promise<Page> => {
      const key = `${user ?? '-'}@${size}`;
      let ctx = contexts.get(key);
      if (!ctx) {
        ctx = size === 'phone' ? await phone(browser, spot) : await desk(browser);
        contexts.set(key, ctx);
        if (user) return signIn(ctx, user);
      }
      return newPage(ctx);
    };
    const failures: string[] = [];
    for (const size of ['phone', 'desk'] as const) {
      for (const [user, path, ready] of pages) {
        const page = await pageFor(user, size);
        await page.goto(path);
        await page.waitForSelector(ready, { state: 'attached', timeout: 30_000 });
        await page.waitForSelector('.loading', { state: 'detached', timeout: 15_000 }).catch(() => undefined);
        await page.waitForTimeout(300);
        await expectNoSideways(page).catch((e: Error) =>
          failures.push(`${user ?? 'anonymous'}: ${e.message}`),
        );
        await page.close();
      }
    }
    for (const ctx of contexts.values()) await ctx.close();
    expect(failures).toEqual([]);
  }, 300_000); // fourteen sign-ins: may wait out the login flood limit (a hang guard, not a time limit)

  it('the workbench cold: compressed, without the map and chart libraries, under 400 KB', async () => {
    const ctx = await desk(browser);
    await (await signIn(ctx, 'gumei.dispatcher')).close();
    const page = await newPage(ctx);
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const responses = new Map<string, { url: string; encoding: string }>();
    const sizes = new Map<string, number>();
    cdp.on('Network.responseReceived', (e) => {
      const h = e.response.headers as Record<string, string>;
      responses.set(e.requestId, { url: e.response.url, encoding: h['content-encoding'] ?? '' });
    });
    cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
    await page.goto('/workbench');
    await page.waitForSelector('.table-wrap, .empty', { timeout: 30_000 });
    await page.waitForTimeout(2000);
    const loaded = [...responses.values()];
    expect(loaded.some((r) => /maplibre|echarts/.test(r.url))).toBe(false);
    const script = loaded.find((r) => /\/assets\/index-.*\.js$/.test(r.url))!;
    expect(script.encoding).toMatch(/^(br|gzip)$/);
    const events = loaded.find((r) => r.url.includes('/api/v1/events'));
    if (events) expect(events.encoding).toBe(''); // the SSE stream is never compressed
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    console.log(`workbench cold: ${(total / 1024).toFixed(1)} KiB transferred in ${sizes.size} responses`);
    expect(total).toBeLessThan(400 * 1024);
    await ctx.close();
  });

  it('no page crashed along the way', () => {
    expect(pageErrors).toEqual([]);
    expect(BASE).toBeTruthy();
  });
});
