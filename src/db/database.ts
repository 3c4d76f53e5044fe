import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema/index.ts';

export type DatabaseKind = 'pglite' | 'postgresql';

/** One handle over either database. Everything above this file sees only `db` (typed Kysely). */
export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** Runs a script of several SQL statements as one implicit transaction (migrations). */
  exec(sql: string): Promise<void>;
  /** Session-level advisory lock around `fn` (PostgreSQL server); a no-op on single-process PGlite. */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * A read replica for heavy read-only queries (DATABASE_READ_URL, opened by the CLI); absent = the
   * primary. Read it through `forReading`, never for anything that writes or must see its own writes.
   */
  replica?: Kysely<DB>;
}

/**
 * The database for a heavy read-only use case (overview, queue counts, evaluation): the same handle with
 * `db` on the read replica when one is configured, else the database itself. The answer may lag the
 * primary by the replica's replication delay.
 */
export function forReading<T extends Database>(database: T): T {
  return database.replica ? { ...database, db: database.replica } : database;
}

// timestamps are `timestamptz`; both drivers return Date objects. int8 (count(*)) comes back as a
// string from pg: parse it as a number, as PGlite does.
pg.types.setTypeParser(20, (v) => Number(v));

export interface OpenOptions {
  /** PostgreSQL server URL. When absent, PGlite is used. */
  databaseUrl?: string | undefined;
  /** Folder for the embedded database; `undefined` (with no URL) = in-memory PGlite (tests). */
  pgliteDir?: string | undefined;
  /** A dump (`PGlite.dumpDataDir`) to start the in-memory database from: the tests' pre-migrated image. */
  pgliteImage?: Blob | undefined;
  poolSize?: number;
  /**
   * Told when the server ends an idle pooled connection (restart, failover): the pool recovers by itself,
   * the operator should still hear of it. The CLI passes a logger line; tests pass nothing.
   */
  onIdleError?: (error: Error) => void;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl)
    return openPostgres(options.databaseUrl, options.poolSize ?? 10, options.onIdleError);
  return openPGlite(options.pgliteDir, options.pgliteImage);
}

async function openPGlite(dir: string | undefined, image: Blob | undefined): Promise<Database> {
  if (dir) fs.mkdirSync(path.dirname(dir), { recursive: true });
  // pg_trgm (address and name search, migration 0014) is a contrib module PGlite loads on demand
  const extensions = { pg_trgm };
  const pglite = dir
    ? new PGlite(dir, { extensions })
    : new PGlite(image ? { loadDataDir: image, extensions } : { extensions });
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    exec: async (sql) => {
      await db.connection().execute(async () => {
        await pglite.exec(sql);
      });
    },
    withLock: (_key, fn) => fn(),
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

async function openPostgres(
  url: string,
  poolSize: number,
  onIdleError: (error: Error) => void = () => undefined,
): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // an idle client whose connection the server ends (restart, failover, a dropped test database) must
  // not crash the process: the pool discards it and the next query opens a new connection
  pool.on('error', onIdleError);
  // fail fast with a clear message when the server is not reachable
  const probe = await pool.connect();
  probe.release();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgresql',
    exec: async (sql) => {
      await pool.query(sql);
    },
    withLock: async (key, fn) => {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [key]);
        return await fn();
      } finally {
        await client.query('select pg_advisory_unlock($1)', [key]).catch(() => undefined);
        client.release();
      }
    },
    close: () => db.destroy(),
  };
}
