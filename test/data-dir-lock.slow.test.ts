import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE } from '../src/db/data-dir-lock.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** Issue 9 finding 3: one PGlite data folder, one process — checked with real processes. */
describe('the embedded data folder is held by one process', () => {
  let dir: string;
  let server: ChildProcess | null = null;
  const env = () => {
    const e: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn' };
    delete e.DATABASE_URL;
    return e;
  };
  const cli = (...args: string[]): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
        cwd: ROOT,
        env: env(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out, err }));
    });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-lock-'));
  });
  afterAll(() => {
    if (server?.exitCode === null) server.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second opener while serve runs, says where the server is, and recovers after kill -9', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      cwd: ROOT,
      env: { ...env(), PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    let out = '';
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('is running on')) resolve();
      });
      child.on('close', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    const url = /running on (http:\/\/\S+)/.exec(out)![1]!;
    const lock = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as {
      pid: number;
      url: string;
    };
    expect(lock).toMatchObject({ pid: child.pid, url, command: 'serve' });

    const [report, verify, sweep] = await Promise.all([
      cli(
        'case',
        'report',
        '--as',
        'x',
        '--lon',
        '121.4',
        '--lat',
        '31.15',
        '--category',
        '0101',
        '--description',
        'x',
      ),
      cli('audit', 'verify'),
      cli('sweep'),
    ]);
    for (const run of [report, verify, sweep]) {
      expect(run.code).toBe(75);
      expect(run.err).toContain(`the data folder ${dir} is in use by process ${child.pid}`);
      expect(run.err).toContain('stop it or use DATABASE_URL');
      expect(run.out).toBe('');
    }
    expect(report.err).toContain(`POST ${url}/api/v1/cases`);
    expect(verify.err).toContain(`GET ${url}/api/v1/audit/verify`);
    expect(sweep.err).toContain('sweeps deadlines itself');

    // the server is unharmed
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);

    // kill -9 leaves a stale lock: the next opener recovers it
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true);
    const after = await cli('audit', 'verify');
    expect(after.err).toBe('');
    expect(after.code).toBe(0);
    expect(after.out).toMatch(/audit log OK/);
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false); // released on exit
  }, 600_000); // a fresh embedded database migrates in seconds, minutes on a loaded machine

  it('recovers a lock whose process is gone, and refuses one that is alive', () => {
    const file = path.join(dir, LOCK_FILE);
    fs.writeFileSync(
      file,
      JSON.stringify({ pid: 2 ** 22 + 1, command: 'serve', startedAt: 'x', hostname: '' }),
    );
    const lock = acquireDataDirLock(dir, 'test');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, command: 'test' });
    lock.release();
    expect(fs.existsSync(file)).toBe(false);

    // a live holder (our parent process stands in for another liandong)
    fs.writeFileSync(
      file,
      JSON.stringify({ pid: process.ppid, command: 'seed', startedAt: 'x', hostname: '' }),
    );
    expect(() => acquireDataDirLock(dir, 'test')).toThrow(DataDirLockedError);
    fs.rmSync(file);
  });
});
