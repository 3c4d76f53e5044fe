import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desk, launch, newPage, pageErrors, photo, signIn } from './support.ts';

/**
 * Issue 5 §7: a citizen reports a problem (category, place on the map, photo, contact) and follows it with
 * the case number and the follow-up code (查询码) the confirmation shows (issue 9 §8).
 */
describe('the public page', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('offers an anonymous visitor the anonymous report (issue 15), and lets anyone follow a case', async () => {
    const page = await newPage(await desk(browser));
    await page.goto('/public');
    await page.waitForSelector('#case-number');
    await page.waitForSelector('#anon-desc');
    // the number alone is not enough: a follow-up code (查询码) is needed, and a wrong one finds nothing
    await page.fill('#case-number', '310112-2026-000001');
    await page.fill('#follow-up-code', 'ABCD2345');
    await page.click('form.inline-form button[type=submit]');
    await page.waitForSelector('text=没有找到与该编号和查询码对应的案件');
  });

  it('a citizen reports with a place on the map, a photo and a contact, then follows it', async () => {
    const ctx = await desk(browser);
    const page = await signIn(ctx, 'citizen');
    await page.waitForURL(/\/public/);
    await page.locator('label.cat-chip', { hasText: '暴露垃圾' }).click();
    const map = page.locator('.point-map .maplibregl-canvas');
    await map.waitFor();
    await page.waitForTimeout(500);
    const box = (await map.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2); // the middle of the district
    await page.setInputFiles('input[type=file]', photo(3));
    await page.waitForSelector('.thumb img');
    await page.fill('#pub-desc', '小区门口的垃圾堆了三天没人清运，气味很大。');
    await page.fill('#pub-name', '王先生');
    await page.fill('#pub-phone', '13800001111');
    const submit = page.locator('.public-grid form.form button[type=submit]');
    await expect.poll(() => submit.isEnabled()).toBe(true);
    await submit.click();
    const done = page.locator('[data-testid=public-submitted]');
    await done.waitFor({ timeout: 20_000 });
    const caseNo = /310112-\d{4}-\d{6,}/.exec((await done.textContent()) ?? '')?.[0];
    expect(caseNo).toBeTruthy();
    const code = /[23456789A-HJ-NP-Z]{8}/.exec(
      (await done.locator('[data-testid=follow-up-code]').textContent()) ?? '',
    )?.[0];
    expect(code).toBeTruthy();

    await page.fill('#case-number', caseNo!);
    await page.fill('#follow-up-code', code!.toLowerCase());
    await page.click('form.inline-form button[type=submit]');
    const result = page.locator('[data-testid=public-result]');
    await result.waitFor();
    expect(await result.getAttribute('data-status')).toBe('received');
    expect(await result.textContent()).not.toContain('王先生');
    await ctx.close();
  });

  it('no page crashed', () => {
    expect(pageErrors).toEqual([]);
  });
});
