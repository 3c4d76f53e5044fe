/**
 * Page weight and time to interactive (issue 11 §7): `npm run bench:pages`.
 *
 * Starts the built server on a fresh demo district (or uses `LIANDONG_URL` if a demo server runs already),
 * drives Debian's Chromium through playwright-core with a cold cache (a new browser context per visit: no
 * HTTP cache, no service worker), and reports for each main page the bytes transferred (compressed, as the
 * network events count them: headers + encoded bodies), the number of requests and the time until the page
 * is usable (its own ready marker; for the map: MapLibre idle with the case layer drawn). The baseline is a
 * static "hello" page served by a plain Node HTTP server in the same run: ratios compare, milliseconds move
 * with the machine's load.
 *
 * Targets (issue 11): workbench under 400 KB transferred cold; map page interactive in under 2 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
// @ts-expect-error an untyped build helper shared with `npm start` and the browser tests
import { ensureWebBuilt } from '../scripts/build-web.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PASSWORD = 'liandong-demo';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface PageSpec {
  name: string;
  /** Who signs in first (through the API, so the login page's assets are not cached); none: anonymous. */
  user?: string;
  path: string | (() => Promise<string>);
  /** The page's own "ready" marker. */
  ready: string;
  phone?: boolean;
}

interface Visit {
  bytes: number;
  requests: number;
  /** Navigation start → ready marker. */
  readyMs: number;
  /** The largest responses (for the report). */
  largest: { url: string; bytes: number }[];
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

async function startServer(): Promise<{ base: string; stop: () => Promise<void> }> {
  if (process.env.LIANDONG_URL) return { base: process.env.LIANDONG_URL, stop: async () => undefined };
  ensureWebBuilt();
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-bench-pages-'));
  const base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(dataDir, 'server.log'), 'w');
  console.log(`starting Liandong (demo, data in ${dataDir}) on ${base}…`);
  const server: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'serve', '--demo'],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        DATABASE_URL: '',
        NODE_ENV: 'production',
      },
      stdio: ['ignore', log, log],
    },
  );
  const deadline = Date.now() + 1_200_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited; see ${dataDir}/server.log`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok && !((await r.json()) as { seeding?: boolean }).seeding) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the server did not start in time');
    await sleep(500);
  }
  return {
    base,
    stop: async () => {
      server.kill('SIGTERM');
      await sleep(1500);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The same-run baseline: a static page of a few hundred bytes from a plain Node server. */
async function startHello(): Promise<{ url: string; close: () => void }> {
  const html =
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>hello</title></head>' +
    '<body><h1 id="ready">你好 hello</h1></body></html>';
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    res.end(html);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

async function newContext(browser: Browser, base: string, phone: boolean): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: base,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...(phone
      ? {
          viewport: { width: 390, height: 844 },
          deviceScaleFactor: 2,
          isMobile: true,
          hasTouch: true,
          geolocation: { longitude: 121.38, latitude: 31.15, accuracy: 12 },
          permissions: ['geolocation'],
        }
      : { viewport: { width: 1440, height: 900 } }),
  });
}

/** Loads `url` in a fresh page, counting what the network events report until the page is ready and quiet. */
async function visit(context: BrowserContext, url: string, ready: string): Promise<Visit> {
  const page: Page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  const urls = new Map<string, string>();
  const sizes = new Map<string, number>();
  let requests = 0;
  let lastActivity = performance.now();
  cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => {
    if (e.request.url.startsWith('data:') || e.request.url.startsWith('blob:')) return;
    if (!urls.has(e.requestId)) requests++;
    urls.set(e.requestId, e.request.url);
    lastActivity = performance.now();
  });
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
    if (!urls.has(e.requestId)) return;
    sizes.set(e.requestId, e.encodedDataLength);
    lastActivity = performance.now();
  });
  // the live-events stream stays open: its bytes so far count, it never "finishes"
  cdp.on('Network.dataReceived', (e: { requestId: string; encodedDataLength: number }) => {
    const url = urls.get(e.requestId);
    if (url?.includes('/events')) sizes.set(e.requestId, (sizes.get(e.requestId) ?? 0) + e.encodedDataLength);
  });
  const started = performance.now();
  await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
  await page.waitForSelector(ready, { timeout: 60_000, state: 'attached' });
  const readyMs = performance.now() - started;
  // then until no request started or finished for a second (late data, fonts, tiles), at most 15 s
  const quietUntil = performance.now() + 15_000;
  while (performance.now() - lastActivity < 1000 && performance.now() < quietUntil) await sleep(100);
  const largest = [...sizes.entries()]
    .map(([id, bytes]) => ({ url: urls.get(id) ?? id, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
  const bytes = [...sizes.values()].reduce((a, b) => a + b, 0);
  await cdp.detach();
  await page.close();
  return { bytes, requests, readyMs, largest };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const kb = (n: number) => (n / 1024).toFixed(0);

async function main(): Promise<void> {
  const { base, stop } = await startServer();
  const hello = await startHello();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const login = async (username: string) => {
      const r = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: PASSWORD }),
      });
      if (!r.ok) throw new Error(`login ${username}: ${r.status}`);
      return (await r.json()) as { token: string };
    };
    const caseId = async () => {
      const { token } = await login('gumei.dispatcher');
      const r = await fetch(`${base}/api/v1/cases?limit=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await r.json()) as { items: { id: string }[] };
      return `/cases/${body.items[0]!.id}`;
    };
    const pages: PageSpec[] = [
      { name: 'login', path: '/login', ready: '#username' },
      { name: 'workbench', user: 'gumei.dispatcher', path: '/workbench', ready: 'table.cases tbody tr' },
      { name: 'case detail', user: 'gumei.dispatcher', path: caseId, ready: '.case-page[data-case-version]' },
      { name: 'map', user: 'district.leader', path: '/map', ready: '.map-canvas[data-drawn="true"]' },
      {
        name: 'evaluation',
        user: 'district.leader',
        path: '/evaluation',
        ready: '.evaluation[data-ready="true"]',
      },
      { name: 'phone home', user: 'gumei.patroller', path: '/m/report', ready: '.report-form', phone: true },
      { name: 'public', path: '/public', ready: 'main h1' },
    ];

    // baseline: the hello page, cold, as many times as each page
    const baseline: Visit[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const ctx = await newContext(browser, base, false);
      const v = await visit(ctx, hello.url, '#ready');
      await ctx.close();
      if (i > 0) baseline.push(v); // the first warms the browser process itself
    }
    const helloMs = median(baseline.map((v) => v.readyMs));

    const rows: string[] = [];
    const details: string[] = [];
    for (const spec of pages) {
      const target = typeof spec.path === 'string' ? spec.path : await spec.path();
      const visits: Visit[] = [];
      for (let i = 0; i < RUNS; i++) {
        const ctx = await newContext(browser, base, spec.phone ?? false);
        if (spec.user) {
          const r = await ctx.request.post('/api/v1/auth/login', {
            data: { username: spec.user, password: PASSWORD },
          });
          if (!r.ok()) throw new Error(`login ${spec.user}: ${r.status()}`);
        }
        visits.push(await visit(ctx, target, spec.ready));
        await ctx.close();
      }
      const bytes = median(visits.map((v) => v.bytes));
      const requests = median(visits.map((v) => v.requests));
      const readyMs = median(visits.map((v) => v.readyMs));
      const row = `| ${spec.name} | \`${target.replace(/[0-9a-f-]{36}/, ':id')}\` | ${kb(bytes)} | ${requests} | ${readyMs.toFixed(0)} | ${(readyMs / helloMs).toFixed(1)}× |`;
      rows.push(row);
      console.log(row);
      details.push(
        `${spec.name}: ${visits[0]!.largest.map((l) => `${l.url.replace(base, '')} ${kb(l.bytes)} KB`).join(', ')}`,
      );
    }
    const report = [
      '',
      `## Page weight and time to interactive (\`npm run bench:pages\`, ${new Date().toISOString().slice(0, 10)})`,
      '',
      `Chromium ${browser.version()} headless, cold cache (a new context per visit), loopback, median of ${RUNS} visits; ` +
        `load average ${os.loadavg()[0]!.toFixed(1)} at the end. KB transferred = headers + compressed bodies from ` +
        `the network events until the page was ready and the network quiet for 1 s. Ready = navigation start → the ` +
        `page's ready marker (map: MapLibre idle with the case layer drawn). Baseline: a static hello page from a ` +
        `plain Node server in the same run, ${helloMs.toFixed(0)} ms.`,
      '',
      '| page | path | KB transferred | requests | ready ms | vs hello page |',
      '| ---- | ---- | -------------- | -------- | -------- | ------------- |',
      ...rows,
      '',
      'Largest responses (first visit):',
      '',
      ...details.map((d) => `- ${d}`),
      '',
    ].join('\n');
    console.log(report);
    if (process.env.BENCH_WRITE !== '0') fs.appendFileSync(path.join(root, 'bench/RESULTS.md'), report);
  } finally {
    await browser.close();
    hello.close();
    await stop();
  }
}

await main();
