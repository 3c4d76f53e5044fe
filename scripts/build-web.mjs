#!/usr/bin/env node
// Builds the web app (web/ → web/dist) when its sources are newer than the last build. Run by `npm ci` /
// `npm install` (the `prepare` script), and again by `npm start` and the browser tests in case web/ changed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const webDir = path.join(root, 'web');
const built = path.join(webDir, 'dist', 'index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds web/dist if it is missing or older than any source under web/. Exits the process on failure. */
export function ensureWebBuilt() {
  if (!fs.existsSync(path.join(webDir, 'vite.config.ts'))) return;
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestMtime(webDir)) return;
  console.log('building the web app…');
  const r = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (import.meta.url === `file://${process.argv[1]}`) ensureWebBuilt();
