import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../config.ts';
import { acquireDataDirLock, type DataDirLock } from '../db/data-dir-lock.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { openReadReplica, type ReadReplica } from '../db/read-replica.ts';
import { sealLegacyAuditChain } from '../app/audit/append-audit.ts';
import { setAuditKey } from '../app/audit/audit-key.ts';
import { loadAuditKey } from './audit-key.ts';
import { setPiiKeyring } from '../app/baseinfo/pii.ts';
import { loadPiiKeyring } from './pii-key.ts';

export type OpenedDatabase = Database & {
  /** The exclusive lock on DATA_DIR (embedded database only); released by `close`. */
  lock: DataDirLock | null;
};

/**
 * Opens the configured database (PostgreSQL server when DATABASE_URL is set, else PGlite in DATA_DIR).
 * The embedded database is one process's: DATA_DIR is locked first, and a second opener gets
 * `DataDirLockedError` at once (src/db/data-dir-lock.ts).
 */
export async function openConfiguredDatabase(
  config: Config,
  options: { migrate?: boolean; command?: string } = {},
): Promise<OpenedDatabase> {
  const lock = config.databaseUrl ? null : acquireDataDirLock(config.dataDir, options.command ?? 'cli');
  try {
    setAuditKey(loadAuditKey(config));
    setPiiKeyring(loadPiiKeyring(config));
  } catch (error) {
    lock?.release();
    throw error;
  }
  let database: Database;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      pgliteDir: path.join(config.dataDir, 'pglite'),
      onIdleError: (error) => {
        if (!['fatal', 'error', 'silent'].includes(config.logLevel))
          console.warn(
            `liandong: an idle PostgreSQL connection ended (${error.message}); the pool reconnects`,
          );
      },
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const replica = config.databaseReadUrl ? await openReplica(config.databaseReadUrl, database, config) : null;
  const opened: OpenedDatabase = {
    ...database,
    ...(replica ? { replica: replica.db } : {}),
    lock,
    close: async () => {
      try {
        await replica?.close();
        await database.close();
      } finally {
        lock?.release();
      }
    },
  };
  if (options.migrate ?? true) {
    try {
      await migrate(opened);
      await sealLegacyAuditChain(opened.db, new Date());
    } catch (error) {
      await opened.close();
      throw error;
    }
  }
  return opened;
}

/**
 * Opens the read replica (DATABASE_READ_URL) behind its fallback (src/db/read-replica.ts): while it does
 * not answer — at start or later — the overview, queue counts and evaluation read the primary, and go
 * back to the replica once it answers again. Both moves are logged.
 */
async function openReplica(url: string, primary: Database, config: Config): Promise<ReadReplica> {
  const quiet = ['fatal', 'error', 'silent'].includes(config.logLevel);
  const replica = openReadReplica(url, primary.db, {
    onFallback: (error) =>
      console.warn(
        `liandong: the read replica (DATABASE_READ_URL) does not answer (${error.message}); ` +
          'overview, queue counts and evaluation read the primary until it does',
      ),
    onRecovered: () => {
      if (!quiet)
        console.warn('liandong: the read replica (DATABASE_READ_URL) answers again; heavy reads use it');
    },
  });
  // a first query at start: a replica that is down is reported now, not at the first leader's request
  await sql`select 1`.execute(replica.db);
  return replica;
}

export function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `embedded PGlite in ${path.join(config.dataDir, 'pglite')}`;
  const url = new URL(config.databaseUrl);
  const shown = `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
  if (!config.databaseReadUrl) return shown;
  const read = new URL(config.databaseReadUrl);
  return `${shown} (heavy reads: ${read.hostname}:${read.port || 5432}${read.pathname})`;
}
