import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { auditKeyOf, type AuditKey } from '../app/audit/hash.ts';
import type { Config } from '../config.ts';

export const AUDIT_KEY_FILE = 'audit.key';

/**
 * The audit key, from outside the database (issue 9 finding 10): `AUDIT_KEY` when set (at least 32
 * characters; every instance on one PostgreSQL must have the same), else `DATA_DIR/audit.key` — 32 random
 * bytes in hex, created on first use with mode 0600 (exclusively: concurrent first starts agree on one).
 */
export function loadAuditKey(config: Config, warn: (message: string) => void = console.error): AuditKey {
  if (config.auditKey !== undefined) {
    if (config.auditKey.length < 32) throw new Error('AUDIT_KEY must be at least 32 characters long');
    return auditKeyOf(Buffer.from(config.auditKey, 'utf8'));
  }
  const file = path.join(config.dataDir, AUDIT_KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
    try {
      fs.linkSync(temp, file); // exclusive: another process's key, if first, wins
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  const mode = fs.statSync(file).mode & 0o077;
  if (mode !== 0)
    warn(
      `warning: ${file} is readable by other users (mode ${(fs.statSync(file).mode & 0o777).toString(8)}); chmod 600 it`,
    );
  const hex = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} is not an audit key (64 hex digits)`);
  return auditKeyOf(Buffer.from(hex, 'hex'));
}
