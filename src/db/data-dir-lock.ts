import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One embedded data folder, one process (issue 9 finding 3). PGlite is a single-process database: a
 * second process on the same folder writes over the first one's pages and both lose data silently. So
 * every command that opens DATA_DIR holds `DATA_DIR/liandong.lock`, created exclusively (O_EXCL) with the
 * holder's PID, command and — once `serve` listens — its URL. A second opener fails at once with
 * `DataDirLockedError`. A lock whose process is gone (kill -9, power loss) is stale: the next opener
 * removes it, under a short recovery mutex (an exclusive `mkdir`) so two recoverers cannot both win.
 */
export const LOCK_FILE = 'liandong.lock';

export interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  startedAt: string;
  /** The running server's base URL (set by `serve` once it listens). */
  url?: string;
}

export class DataDirLockedError extends Error {
  readonly dir: string;
  readonly holder: LockHolder;
  constructor(dir: string, holder: LockHolder) {
    super(
      `the data folder ${dir} is in use by process ${holder.pid} (liandong ${holder.command}` +
        `${holder.url ? ` at ${holder.url}` : ''}, since ${holder.startedAt}); ` +
        'stop it or use DATABASE_URL (a PostgreSQL server takes several processes)',
    );
    this.name = 'DataDirLockedError';
    this.dir = dir;
    this.holder = holder;
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Records the running server's URL in the lock, for the message other openers get. */
  setUrl(url: string): void;
  release(): void;
}

const held = new Map<string, LockHolder>();

function alive(pid: number): boolean {
  if (pid === process.pid) return false; // our own PID in a lock we do not hold: a previous life (containers)
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const holder = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
    return Number.isInteger(holder.pid) ? holder : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // unreadable or half-written (a holder killed mid-write): treat as a lock of nobody alive
    return { pid: -1, hostname: '', command: 'unknown', startedAt: 'unknown' };
  }
}

function writeExclusive(file: string, holder: LockHolder): boolean {
  // write a private temp file, then link it into place: the lock appears complete or not at all
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(holder), { mode: 0o644 });
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Removes `file` if it still names the dead `pid`, holding the recovery mutex. */
function removeStale(file: string, pid: number): void {
  const mutex = `${file}.recover`;
  try {
    fs.mkdirSync(mutex);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // another opener is recovering; a mutex left by a recoverer that died mid-way expires after 10 s
    const age = Date.now() - fs.statSync(mutex, { throwIfNoEntry: false })!.mtimeMs;
    if (age > 10_000) fs.rmSync(mutex, { recursive: true, force: true });
    return;
  }
  try {
    const again = readHolder(file);
    if (again && again.pid === pid && !alive(pid)) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(mutex, { recursive: true, force: true });
  }
}

/** Takes the exclusive lock on an embedded data folder, or throws `DataDirLockedError`. */
export function acquireDataDirLock(dir: string, command: string): DataDirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  if (held.has(file)) throw new Error(`${file} is already held by this process`);
  const holder: LockHolder = {
    pid: process.pid,
    hostname: os.hostname(),
    command,
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; ; attempt++) {
    if (writeExclusive(file, holder)) break;
    const current = readHolder(file);
    if (current && alive(current.pid)) throw new DataDirLockedError(dir, current);
    if (attempt >= 20) throw new Error(`could not take the lock ${file} (stale lock not removable)`);
    if (current) removeStale(file, current.pid);
  }
  held.set(file, holder);
  return {
    file,
    setUrl(url) {
      holder.url = url;
      // rewrite in place (we hold it): rename of a complete temp file over our own lock
      const temp = `${file}.${process.pid}.url.tmp`;
      fs.writeFileSync(temp, JSON.stringify(holder));
      fs.renameSync(temp, file);
    },
    release() {
      if (!held.delete(file)) return;
      const current = readHolder(file);
      if (current?.pid === process.pid) fs.rmSync(file, { force: true });
    },
  };
}

// a process that exits (even on an uncaught error) gives its locks back; kill -9 leaves a stale one
process.on('exit', () => {
  for (const file of held.keys()) {
    try {
      if (readHolder(file)?.pid === process.pid) fs.rmSync(file, { force: true });
    } catch (error) {
      console.error(`could not remove the lock ${file}:`, error);
    }
  }
});
