import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import createClient from 'openapi-fetch';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { components, paths } from '../../web/src/api/schema.d.ts';
import { ok } from '../support/api.ts';
export { ok, performAction, type ActionBody, type TransitionAction } from '../support/api.ts';

export type Schemas = components['schemas'];

/** The server started by scripts/test-browser.mjs (or any running Liandong with the demo). */
export const BASE = process.env.LIANDONG_URL ?? 'http://127.0.0.1:3000';
export const PASSWORD = 'liandong-demo';
export const SCREENSHOTS = path.resolve('screenshots');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ARGS,
    headless: true,
  });
}

/** Uncaught page errors fail the journey: the console must not crash behind a green test. */
export const pageErrors: string[] = [];

function watch(page: Page): Page {
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

const common = { locale: 'zh-CN', timezoneId: 'Asia/Shanghai', baseURL: BASE } as const;

/** A desktop console (1440×900). */
export async function desk(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ ...common, viewport: { width: 1440, height: 900 } });
}

/** A patroller's phone (390×844) with a GPS fix at `at` ([lon, lat]). */
export async function phone(browser: Browser, at: [number, number]): Promise<BrowserContext> {
  return browser.newContext({
    ...common,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    geolocation: { longitude: at[0], latitude: at[1], accuracy: 12 },
    permissions: ['geolocation'],
  });
}

/** Opens a page in `context` and signs in through the login form; resolves on the user's home page. */
export async function signIn(context: BrowserContext, username: string): Promise<Page> {
  const page = watch(await context.newPage());
  await page.goto('/login');
  // the journeys sign in dozens of times a minute from one address: past the per-address flood limit
  // (30 logins a minute, src/server/security.ts) the server answers 429 and the form says so; wait, retry
  for (let attempt = 1; ; attempt++) {
    await page.fill('#username', username);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    try {
      await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
      return page;
    } catch (error) {
      if (attempt >= 5) throw error;
      await page.waitForTimeout(15_000);
    }
  }
}

export async function newPage(context: BrowserContext): Promise<Page> {
  return watch(await context.newPage());
}

/** Saves screenshots/<name>.png after checking the page shows no untranslated keys and no raw JSON. */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await expectCleanText(page);
  await expectNoSideways(page);
  // let fonts, maps and charts settle
  await page.evaluate('document.fonts.ready');
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? false });
}

const DICTIONARY_PREFIXES =
  'app|nav|common|error|login|role|state|source|stage|unit|colour|urgency|action|form|wb|case|map|inbox|mobile|overview|public|notif|footer|account|patrol|coverage|base|evaluation|followups|wh|o311|warnings|adm|anon|reports|screen|intake|notifx|screening|esc|notifg|mine';
const RAW_KEY = new RegExp(
  `(^|[^\\w.@/-])(${DICTIONARY_PREFIXES})\\.[a-z][A-Za-z_.]*[a-zA-Z]($|[^\\w.@/-])`,
  'm',
);

/** Fails when the page is wider than the window (it would scroll sideways), naming what sticks out. */
export async function expectNoSideways(page: Page): Promise<void> {
  // the configured width, not window.innerWidth: a mobile browser zooms out to fit a page that is too wide,
  // and innerWidth grows with it
  const width = page.viewportSize()?.width ?? 0;
  const { scrollWidth, innerWidth, culprits } = (await page.evaluate(`(() => {
    const innerWidth = Math.min(window.innerWidth, ${width} || window.innerWidth);
    const culprits = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > innerWidth + 1 && culprits.length < 5)
        culprits.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(r.right) + 'px');
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, culprits };
  })()`)) as { scrollWidth: number; innerWidth: number; culprits: string[] };
  if (scrollWidth > innerWidth)
    throw new Error(
      `${page.url()} scrolls sideways at ${innerWidth}px: ${scrollWidth}px wide (${culprits.join(', ')})`,
    );
}

/** Fails when the visible text contains a dictionary key (an untranslated string) or a JSON object. */
export async function expectCleanText(page: Page): Promise<void> {
  const text = (await page.evaluate('document.body.innerText')) as string;
  const key = RAW_KEY.exec(text);
  if (key) throw new Error(`untranslated key on ${page.url()}: ${key[0].trim()}`);
  if (/[{[]\s*"[\w]+"\s*:/.test(text)) throw new Error(`raw JSON on ${page.url()}`);
}

/**
 * POSTs a login; past the per-address flood limit (see signIn) the server answers 429 with retryAfter:
 * wait and retry, so a journey's setup does not fail because the suite signs in often from one address.
 */
export async function loginRequest(
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const r = await fetch(`${BASE}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ username, password }),
    });
    if (r.status !== 429 || attempt >= 8) return r;
    const { retryAfter } = (await r.json()) as { retryAfter?: number };
    await new Promise((done) => setTimeout(done, ((retryAfter ?? 5) + 1) * 1000));
  }
}

/**
 * A signed-in API client (bearer token) for setting up and checking what the UI did: `api` is the
 * openapi-fetch client typed by the committed contract (as in the web app and `test/support/api.ts`), so a
 * field the contract does not declare is a type error here too; `ok` unwraps its answer.
 */
export async function apiAs(username: string) {
  const r = await loginRequest(username, PASSWORD);
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const { token, user } = (await r.json()) as LoginAnswer;
  const api = createClient<paths>({ baseUrl: BASE, headers: { authorization: `Bearer ${token}` } });
  /** Untyped escape hatch for what the contract refuses on purpose (as `raw` in test/support/harness.ts). */
  const raw = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${BASE}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as unknown };
  };
  return { user, api, token, raw };
}

type LoginAnswer = Schemas['LoginResult'];

// ---- a small real photo (PNG), so uploads pass the server's content checks ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf: Buffer) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A 320×240 PNG: a street-ish scene in flat colours (different `seed`, different photo). */
export function photo(seed = 1): { name: string; mimeType: string; buffer: Buffer } {
  const w = 320;
  const h = 240;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const i = y * (w * 3 + 1) + 1 + x * 3;
      const sky = y < 90;
      const wall = !sky && x > 40 + seed * 10 && x < 220 && y < 200;
      const window = wall && (x - 60) % 40 < 18 && (y - 110) % 35 < 16;
      const [r, g, b] = sky
        ? [150 + y / 2, 190 + y / 3, 230]
        : window
          ? [60, 80, 110]
          : wall
            ? [200, 170 - seed * 20, 140]
            : [110, 115, 120];
      raw[i] = r;
      raw[i + 1] = g;
      raw[i + 2] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return { name: `photo-${seed}.png`, mimeType: 'image/png', buffer: png };
}

/** The centre of the demo patroller's grid: where the patroller stands. */
export async function patrollerSpot(): Promise<[number, number]> {
  const patroller = await apiAs('gumei.patroller');
  const grid = ok(
    await patroller.api.GET('/api/v1/regions/{code}', {
      params: { path: { code: patroller.user.unit.code! } },
    }),
  );
  if (!grid.centroid) throw new Error(`the patroller's grid ${grid.code} has no centroid`);
  return [grid.centroid[0]!, grid.centroid[1]!];
}
