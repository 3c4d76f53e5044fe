import fs from 'node:fs';
import path from 'node:path';
import { newPiiMasterHex, piiKeyringOf, type PiiKeyring } from '../app/baseinfo/pii.ts';
import type { Config } from '../config.ts';

export const PII_KEY_FILE = 'pii.key';

/**
 * The keyring for personal data at rest (issue 12 §3), from outside the database: `PII_KEY` when set —
 * comma-separated master keys, the first one current, each 64 hex digits or at least 32 characters (every
 * instance on one PostgreSQL needs the same list) — else `DATA_DIR/pii.key`: one key of 64 hex digits per
 * line, the first current, the rest retired keys kept until a rotation has re-encrypted their rows.
 * The file is created on first use with mode 0600 (exclusively, like `audit.key`).
 */
export function loadPiiKeyring(config: Config, warn: (message: string) => void = console.error): PiiKeyring {
  if (config.piiKey !== undefined) {
    const parts = config.piiKey
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    return piiKeyringOf(
      parts.map((p) => {
        if (/^[0-9a-f]{64}$/i.test(p)) return Buffer.from(p, 'hex');
        if (p.length < 32)
          throw new Error('PII_KEY: each key must be 64 hex digits or at least 32 characters');
        return Buffer.from(p, 'utf8');
      }),
    );
  }
  const file = piiKeyFile(config);
  if (!fs.existsSync(file)) writeExclusive(file, `${newPiiMasterHex()}\n`);
  const mode = fs.statSync(file).mode;
  if ((mode & 0o077) !== 0)
    warn(`warning: ${file} is readable by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
  return piiKeyringOf(readKeyFile(file).map((hex) => Buffer.from(hex, 'hex')));
}

export const piiKeyFile = (config: Config): string => path.join(config.dataDir, PII_KEY_FILE);

function readKeyFile(file: string): string[] {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0 || !lines.every((l) => /^[0-9a-f]{64}$/i.test(l)))
    throw new Error(`${file} is not a PII key file (one key of 64 hex digits per line)`);
  return lines;
}

function writeExclusive(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text, { mode: 0o600 });
  try {
    fs.linkSync(temp, file); // exclusive: another process's key, if first, wins
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Replaces the key file atomically (write a temp file with mode 0600, rename over). */
function replaceKeyFile(file: string, keys: readonly string[]): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${keys.join('\n')}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
}

/** Puts a new current key at the top of DATA_DIR/pii.key, keeping the old ones as retired. */
export function addPiiKey(config: Config): void {
  if (config.piiKey !== undefined)
    throw new Error(
      'PII_KEY is set: put a new key first in PII_KEY on every instance, then run rotate-key again',
    );
  const file = piiKeyFile(config);
  replaceKeyFile(file, [newPiiMasterHex(), ...readKeyFile(file)]);
}

/** Drops retired keys that no row uses any more from DATA_DIR/pii.key; returns how many went. */
export function dropRetiredPiiKeys(
  config: Config,
  keyring: PiiKeyring,
  usedKeyIds: ReadonlySet<string>,
): number {
  if (config.piiKey !== undefined) return 0;
  const file = piiKeyFile(config);
  const hexes = readKeyFile(file);
  const keep = hexes.filter((_hex, i) => i === 0 || usedKeyIds.has(keyring.keys[i]?.id ?? ''));
  if (keep.length !== hexes.length) replaceKeyFile(file, keep);
  return hexes.length - keep.length;
}
