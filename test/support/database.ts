import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { setAuditKey } from '../../src/app/audit/audit-key.ts';
import { auditKeyOf } from '../../src/app/audit/hash.ts';
import { piiKeyringOf, setPiiKeyring } from '../../src/app/baseinfo/pii.ts';

/** The audit key of the test process (production keys come from AUDIT_KEY or DATA_DIR/audit.key). */
export const TEST_AUDIT_KEY_TEXT = 'liandong test audit key, not a secret';
export const TEST_AUDIT_KEY = auditKeyOf(Buffer.from(TEST_AUDIT_KEY_TEXT, 'utf8'));
/** The personal-data keyring of the test process (production: PII_KEY or DATA_DIR/pii.key). */
export const TEST_PII_KEYRING = piiKeyringOf([
  Buffer.from('liandong test pii key, not a secret at all', 'utf8'),
]);
import { pgliteImage, serverTemplate } from './images.ts';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or — when
 * TEST_DATABASE_URL points at a PostgreSQL server — a new database created on that server (dropped by
 * `close`). The same tests therefore run unchanged on both.
 *
 * Neither migrates from scratch: PGlite starts from a pre-migrated dump and the server copies a
 * migrated template database (`images.ts`; both keyed by a hash of `migrations/`, built once per run by
 * the vitest global setup).
 */
export async function createTestDatabase(): Promise<Database & { url?: string }> {
  setAuditKey(TEST_AUDIT_KEY);
  setPiiKeyring(TEST_PII_KEYRING);
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return openDatabase({ pgliteImage: await pgliteImage() });
  const template = await serverTemplate(serverUrl);
  const name = `liandong_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 20 });
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export const onServer = (): boolean => Boolean(process.env.TEST_DATABASE_URL);
