import path from 'node:path';
import type { Config } from '../config.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';

/** Opens the configured database (PostgreSQL server when DATABASE_URL is set, else PGlite in DATA_DIR). */
export async function openConfiguredDatabase(
  config: Config,
  options: { migrate?: boolean } = {},
): Promise<Database> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: path.join(config.dataDir, 'pglite'),
    onIdleError: (error) => {
      if (!['fatal', 'error', 'silent'].includes(config.logLevel))
        console.warn(`liandong: an idle PostgreSQL connection ended (${error.message}); the pool reconnects`);
    },
  });
  if (options.migrate ?? true) await migrate(database);
  return database;
}

export function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `embedded PGlite in ${path.join(config.dataDir, 'pglite')}`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
