import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  BASE,
  desk,
  launch,
  loginRequest,
  newPage,
  ok,
  PASSWORD,
  pageErrors,
  patrollerSpot,
  performAction,
  phone,
  photo,
  screenshot,
  type ActionBody,
  type TransitionAction,
} from './support.ts';

/**
 * Issue 15 (acceptance): a citizen on a 390×844 phone reports anonymously with a photo, receives number +
 * code and a private link, follows the case through to closure (staff close it through the API) and
 * rates it; someone with only the number sees nothing. In Chinese and in English.
 */
describe('anonymous reporting on the public page', () => {
  let browser: Browser;
  let spot: [number, number];
  const token = `AN${Date.now().toString(36)}`;

  /** An upload as a staff member (the handler's photo), multipart through fetch. */
  async function uploadAs(username: string): Promise<string> {
    const login = await loginRequest(username, PASSWORD);
    const { token: bearer } = (await login.json()) as { token: string };
    const form = new FormData();
    const p = photo(7);
    form.append('file', new Blob([p.buffer], { type: p.mimeType }), p.name);
    const res = await fetch(`${BASE}/api/v1/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}` },
      body: form,
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  /** The linkage loop of a citizen report, by the demo staff: verify, register, dispatch, handle, check, close. */
  async function closeCase(caseNo: string): Promise<void> {
    const dispatcher = await apiAs('gumei.dispatcher');
    const patroller = await apiAs('gumei.patroller');
    const handler = await apiAs('housing.handler');
    const lead = await apiAs('gumei.lead');
    const id = caseNo; // a case number is a case reference too
    const path = { params: { path: { id } } };
    const version = async () => ok(await dispatcher.api.GET('/api/v1/cases/{id}', path)).version;
    const step = async <A extends TransitionAction>(
      who: typeof dispatcher,
      action: A,
      payload: Omit<ActionBody<A>, 'version'>,
    ) => {
      const body = { ...payload, version: await version() } as ActionBody<A>;
      const r = await performAction(who.api, id, action, body);
      expect(r.response.status, `${action}: ${JSON.stringify(r.error)}`).toBe(200);
    };
    const photoId = await uploadAs('housing.handler');
    await step(dispatcher, 'request_verification', { patrollerId: patroller.user.id });
    await step(patroller, 'submit_verification', { confirmed: true });
    await step(dispatcher, 'register', {});
    await step(dispatcher, 'dispatch', { leadDepartmentId: handler.user.unit.id });
    await step(handler, 'sign', {});
    await step(handler, 'handle', { result: '已清理，恢复整洁', photos: [photoId] });
    await step(dispatcher, 'assign_check', { patrollerId: patroller.user.id });
    await step(patroller, 'submit_check', { passed: true, note: '核查通过' });
    await step(lead, 'close', { note: '结案' });
  }

  async function report(page: Page, lang: 'zh' | 'en') {
    await page.goto('/public');
    if (lang === 'en') {
      await page.locator('.lang-toggle, button:has-text("EN")').first().click();
    }
    await page.waitForSelector('#anon-desc');
    await page
      .locator('label.cat-chip', { hasText: lang === 'zh' ? '群租' : 'Group renting' })
      .first()
      .click();
    // the phone's GPS places the pin
    await page.locator('.anon-form button.btn-small').click();
    await page.waitForSelector('[data-testid=anon-nearby]');
    if (lang === 'en') {
      await page.locator('[data-testid=anon-nearby] .nearby-list li').first().waitFor();
      expect(await page.locator('[data-testid=anon-nearby]').textContent()).not.toContain(token);
    }
    await page.setInputFiles('.anon-form input[type=file]', photo(lang === 'zh' ? 11 : 12));
    await page.waitForSelector('.anon-form .thumb img');
    await page.fill('#anon-desc', `${token}-${lang} 楼上一套房隔成很多小间出租，进出人员很多。`);
    await page.fill('#anon-contact', lang === 'zh' ? '138 0000 2222' : 'wang.li@example.com');
    await screenshot(page, `anonymous-report-${lang}`, { fullPage: true });
    const send = page.locator('.anon-form button[type=submit]');
    await expect.poll(() => send.isEnabled(), { timeout: 20_000 }).toBe(true);
    await send.click();
    const done = page.locator('[data-testid=anon-submitted]');
    await done.waitFor({ timeout: 30_000 });
    const caseNo = (await page.locator('[data-testid=anon-case-no]').textContent())!.trim();
    const code = (await page.locator('[data-testid=anon-code]').textContent())!.trim();
    const link = (await page.locator('[data-testid=anon-link]').textContent())!.trim();
    expect(caseNo).toMatch(/^310112-\d{4}-\d{6,}$/);
    expect(code).toMatch(/^[23456789A-HJ-NP-Z]{8}$/);
    expect(link).toBe(`${BASE}/public/c/${caseNo}#${code}`);
    await screenshot(page, `anonymous-submitted-${lang}`, { fullPage: true });
    return { caseNo, code, link };
  }

  beforeAll(async () => {
    browser = await launch();
    spot = await patrollerSpot();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a citizen on a phone reports with a photo, follows it to closure and rates it (中文)', async () => {
    const page = await newPage(await phone(browser, spot));
    const { caseNo, code, link } = await report(page, 'zh');

    // the private link opens the status page: received
    await page.goto(link);
    const result = page.locator('[data-testid=public-result]');
    await result.waitFor();
    expect(await result.getAttribute('data-status')).toBe('received');
    expect(await page.locator('[data-testid=public-rate]').count()).toBe(0);
    expect(await result.textContent()).not.toContain('13800002222');
    await screenshot(page, 'anonymous-status-received-zh', { fullPage: true });

    // someone with only the number sees nothing
    const stranger = await newPage(await phone(browser, spot));
    await stranger.goto(`/public/c/${caseNo}`);
    await stranger.waitForSelector('#case-number');
    expect(await stranger.locator('[data-testid=public-result]').count()).toBe(0);
    await stranger.fill('#follow-up-code', 'ABCD2345');
    await stranger.click('form.inline-form button[type=submit]');
    await stranger.waitForSelector('text=没有找到与该编号和查询码对应的案件');
    await screenshot(stranger, 'anonymous-number-only-zh', { fullPage: true });

    await closeCase(caseNo);

    // after closure: the citizen rates once (the same private link, opened again)
    await page.reload();
    await page.locator('[data-testid=public-result][data-status=closed]').waitFor();
    const rate = page.locator('[data-testid=public-rate]');
    await rate.waitFor();
    await rate.locator('label.cat-chip', { hasText: '基本满意' }).click();
    await page.fill('#rate-note', '清理及时，希望加强巡查');
    await screenshot(page, 'anonymous-rate-zh', { fullPage: true });
    await rate.locator('button[type=submit]').click();
    await page.waitForSelector('[data-testid=public-rated]');
    expect(await page.locator('[data-testid=public-rated]').textContent()).toContain('基本满意');
    await screenshot(page, 'anonymous-rated-zh', { fullPage: true });
    // the rating is the case's follow_up event, seen by staff; the code is not in the address bar's query
    const staff = await apiAs('gumei.dispatcher');
    const id = caseNo;
    const detail = ok(await staff.api.GET('/api/v1/cases/{id}', { params: { path: { id } } }));
    expect(detail.satisfaction).toBe('basically_satisfied');
    expect(detail.events.map((e) => e.action)).toContain('follow_up');
    expect(new URL(page.url()).search).not.toContain(code);
    // reloading shows the rating, not the form again
    await page.reload();
    await page.waitForSelector('[data-testid=public-rated]');
    expect(await page.locator('[data-testid=public-rate]').count()).toBe(0);
  });

  it('works in English too, with an e-mail contact; shows open cases of the kind nearby', async () => {
    // an open 群租 case at the same spot, reported by the patroller
    const patroller = await apiAs('gumei.patroller');
    const open = await patroller.api.POST('/api/v1/cases', {
      body: {
        category: '0101',
        description: `${token} 巡查发现群租`,
        location: { lon: spot[0], lat: spot[1], crs: 'wgs84' },
      },
      params: { header: { 'idempotency-key': `${token}-nearby` } },
    });
    expect(open.response.status, JSON.stringify(open.error)).toBe(201);
    const page = await newPage(await phone(browser, spot));
    const { link } = await report(page, 'en');
    await page.goto(link);
    await page.locator('[data-testid=public-result][data-status=received]').waitFor();
    await screenshot(page, 'anonymous-status-received-en', { fullPage: true });
    // and on a desk
    const wide = await newPage(await desk(browser));
    await wide.goto('/public');
    await wide.waitForSelector('#anon-desc');
    await screenshot(wide, 'anonymous-report-desk-zh');
  });

  it('no page crashed', () => {
    expect(pageErrors).toEqual([]);
  });
});
