#!/usr/bin/env node
/* global fetch */
// `npm run test:browser`: builds the web app when its sources changed, starts Liandong with the demo on a
// fresh embedded database, and runs the Playwright journeys of test/browser/ in Debian's Chromium.
// Screenshots go to screenshots/. Extra arguments are passed to vitest (e.g. a test file name).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureWebBuilt } from './build-web.mjs';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!fs.existsSync(chromium)) {
  console.error(
    `Chromium not found at ${chromium}. Install it (apt-get install -y chromium fonts-noto-cjk) or set CHROMIUM_PATH.`,
  );
  process.exit(1);
}

ensureWebBuilt();

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

const port = await freePort();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-browser-'));
const baseUrl = `http://127.0.0.1:${port}`;
const serverLog = path.join(dataDir, 'server.log');
const log = fs.openSync(serverLog, 'w');

console.log(`starting Liandong (demo, data in ${dataDir}) on ${baseUrl}…`);
const server = spawn(
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
    },
    stdio: ['ignore', log, log],
  },
);

let exitCode = 1;
const stop = () => {
  if (server.exitCode === null) server.kill('SIGTERM');
};
process.on('SIGINT', () => {
  stop();
  process.exit(130);
});

try {
  // the demo history plays on one thread; on a busy 2-core machine (CI runs the slow tier beside it) that
  // can take minutes: wait generously, CI's own limit is far away
  const deadline = Date.now() + 1_200_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}); see ${serverLog}`);
    try {
      const r = await fetch(`${baseUrl}/healthz`);
      // wait for the demo history too: the journeys expect a seeded district
      if (r.ok && !(await r.json()).seeding) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not start in time; see ${serverLog}`);
    await sleep(500);
  }
  console.log('server ready; running the browser journeys');
  const r = spawnSync(
    'npx',
    ['vitest', 'run', '--config', 'test/browser/vitest.config.ts', ...process.argv.slice(2)],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, LIANDONG_URL: baseUrl, CHROMIUM_PATH: chromium },
    },
  );
  exitCode = r.status ?? 1;
} catch (error) {
  console.error(String(error));
  try {
    console.error(fs.readFileSync(serverLog, 'utf8').slice(-4000));
  } catch {
    // no log
  }
} finally {
  stop();
  await sleep(1500); // let PGlite close its folder
  if (exitCode === 0) fs.rmSync(dataDir, { recursive: true, force: true });
  else console.error(`server log kept in ${serverLog}`);
}
process.exit(exitCode);
