#!/usr/bin/env node
// `npm start`: builds the web app when its sources are newer than the last build, then serves Liandong
// with the Minhang demo on the embedded database (or DATABASE_URL). One command for a newcomer.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureWebBuilt } from './build-web.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

ensureWebBuilt();

const child = spawn(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'serve', '--demo', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
