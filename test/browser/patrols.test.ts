import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, desk, launch, pageErrors, patrollerSpot, phone, screenshot, signIn, ok } from './support.ts';

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * Issue 13, browser walk: a patroller starts a patrol on the phone → the GPS points arrive (and a
 * check-in) → the street centre's coverage page shows the grid patrolled today and the patroller on patrol.
 */
describe('a patrol covers its grid', () => {
  let browser: Browser;
  let phoneContext: BrowserContext;
  let mobile: Page;
  let grid = '';
  let spot: [number, number] = [0, 0];

  beforeAll(async () => {
    browser = await launch();
    spot = await patrollerSpot();
    grid = (await apiAs('gumei.patroller')).user.unit.code ?? '';
    phoneContext = await phone(browser, spot);
    mobile = await signIn(phoneContext, 'gumei.patroller');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('starts a patrol on the phone and sends points', async () => {
    await mobile.goto('/m/patrol');
    const end = mobile.getByRole('button', { name: '结束巡查' });
    if (!(await end.isVisible().catch(() => false)))
      await mobile.getByRole('button', { name: '开始巡查' }).click();
    await end.waitFor();
    await expect
      .poll(async () => Number(await mobile.getByTestId('points-sent').innerText()), { timeout: 20_000 })
      .toBeGreaterThan(0);
    // the patroller walks ~40 m north: another point
    await phoneContext.setGeolocation({ longitude: spot[0], latitude: spot[1] + 0.00036, accuracy: 10 });
    await expect
      .poll(async () => Number(await mobile.getByTestId('points-sent').innerText()), { timeout: 20_000 })
      .toBeGreaterThan(1);
    await mobile.fill('#checkin-note', '小区门岗巡查打卡');
    await mobile.getByRole('button', { name: '打卡' }).click();
    await expect
      .poll(
        async () =>
          mobile
            .getByTestId('checked-in')
            .innerText()
            .catch(() => ''),
        { timeout: 20_000 },
      )
      .toContain(grid);
    expect(await mobile.getByTestId('points-queued').innerText()).toBe('0');
    await screenshot(mobile, 'patrol-phone');
  });

  it('the street centre sees the grid covered today and the patroller on patrol', async () => {
    const centre = await signIn(await desk(browser), 'gumei.dispatcher');
    await centre.goto('/patrols');
    const cell = centre.locator(`tr[data-grid="${grid}"] td[data-day="${today()}"]`);
    await expect.poll(async () => cell.getAttribute('data-status'), { timeout: 30_000 }).toBe('covered');
    await expect
      .poll(async () => centre.getByTestId('live-patrol').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await centre.locator('.coverage-map canvas').waitFor({ timeout: 30_000 });
    await screenshot(centre, 'patrol-coverage', { fullPage: true });

    // a citizen's report next to the patroller: the centre sends the nearest patroller to verify it
    const citizen = await apiAs('citizen');
    const report = ok(
      await citizen.api.POST('/api/v1/cases', {
        body: { description: '巡查测试：小区门口占道经营', location: { lon: spot[0], lat: spot[1] } },
        params: { header: { 'idempotency-key': `patrol-${Date.now()}` } },
      }),
    );
    await centre.goto(`/cases/${report.case.id}`);
    await centre.locator('button[data-action="verify-nearest"]').click();
    await centre.locator('.case-page[data-case-state="verifying"]').waitFor({ timeout: 20_000 });
    expect(await centre.locator('.notice-ok').first().innerText()).toContain('古美网格巡管员');
    await screenshot(centre, 'patrol-verify-nearest');

    // the same page on a phone-sized window does not scroll sideways (screenshot checks it)
    const small = await signIn(await phone(browser, spot), 'gumei.dispatcher');
    await small.goto('/patrols');
    await small.locator(`tr[data-grid="${grid}"]`).waitFor({ timeout: 30_000 });
    await screenshot(small, 'patrol-coverage-phone');
  });

  it('ends the patrol with time and distance', async () => {
    await mobile.getByRole('button', { name: '结束巡查' }).click();
    await mobile.getByTestId('patrol-ended').waitFor();
    expect(await mobile.getByTestId('patrol-ended').innerText()).toMatch(/公里/);
    await screenshot(mobile, 'patrol-phone-ended');
    expect(pageErrors).toEqual([]);
  });
});
