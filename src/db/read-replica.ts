import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import type { DB } from './schema/index.ts';

/**
 * The read replica (DATABASE_READ_URL) behind a handle that falls back to the primary while the replica
 * does not answer (issue 10 §4): the heavy read-only use cases (overview, queue counts, evaluation) keep
 * answering through a replica's restart, failover or network cut, and go back to the replica by
 * themselves once it answers again.
 *
 * - A connection the replica refuses, or a query it ends with a connection error outside a transaction,
 *   is run on the primary instead; the replica is then left alone for `retryAfterMs` (no request pays a
 *   connection timeout meanwhile), and `onFallback` is told once per outage.
 * - Inside a transaction on the replica a lost connection fails the statement (a transaction cannot move
 *   servers half-way); the next request falls back.
 * - Replication lag is not watched: a replica that answers is used, whatever its delay (the use cases
 *   that read it accept a lag, `forReading`).
 */
export interface ReadReplica {
  db: Kysely<DB>;
  /** Whether reads currently go to the replica (false while it is left alone after a failure). */
  healthy(): boolean;
  close(): Promise<void>;
}

export interface ReadReplicaOptions {
  /** Told when reads move to the primary (once per outage) and when they come back to the replica. */
  onFallback?: (error: Error) => void;
  onRecovered?: () => void;
  /** How long the replica is left alone after a failure (default 30 s). */
  retryAfterMs?: number;
  /** How long a new connection to the replica may take before the primary is used (default 3 s). */
  connectTimeoutMs?: number;
  poolSize?: number;
  now?: () => number;
}

/** Errors that mean "the server is not there", as opposed to a wrong query (which must not fall back). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // class 08: connection exception; class 28: the replica refuses our credentials; 3D000: its database
    // is gone; 57P01–57P03: shut down / cannot connect now; 53300: too many connections; 40001 on a hot
    // standby: the query was cancelled by a conflict with recovery
    if (code.startsWith('08') || code.startsWith('28')) return true;
    if (['3D000', '57P01', '57P02', '57P03', '53300', '40001'].includes(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE'].includes(code))
      return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Connection ended/i.test(
    error.message,
  );
}

export function openReadReplica(
  url: string,
  primary: Kysely<DB>,
  options: ReadReplicaOptions = {},
): ReadReplica {
  const now = options.now ?? Date.now;
  const retryAfter = options.retryAfterMs ?? 30_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3_000,
  });
  let downUntil = 0;
  let down = false;
  const health = {
    usable: () => now() >= downUntil,
    failed(error: Error) {
      downUntil = now() + retryAfter;
      if (!down) options.onFallback?.(error);
      down = true;
    },
    succeeded() {
      if (down) options.onRecovered?.();
      down = false;
    },
  };
  // an idle replica connection the server ends: the pool drops it; the next read finds out
  pool.on('error', (error) => health.failed(error));
  const replicaDriver = new PostgresDialect({ pool }).createDriver();
  const driver = new FallbackDriver(replicaDriver, primary, health);
  const dialect: Dialect = {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => driver,
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createIntrospector: (db) => new PostgresIntrospector(db),
  };
  const db = new Kysely<DB>({ dialect });
  return { db, healthy: () => health.usable() && !down, close: () => db.destroy() };
}

interface Health {
  usable(): boolean;
  failed(error: Error): void;
  succeeded(): void;
}

/** A connection on the replica; a connection error outside a transaction re-runs the query on the primary. */
class ReplicaConnection implements DatabaseConnection {
  inTransaction = false;
  constructor(
    readonly inner: DatabaseConnection,
    private readonly primary: Kysely<DB>,
    private readonly health: Health,
  ) {}
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const result = await this.inner.executeQuery<R>(query);
      this.health.succeeded();
      return result;
    } catch (error) {
      if (this.inTransaction || !isConnectionError(error)) throw error;
      this.health.failed(error as Error);
      return this.primary.executeQuery<R>(query);
    }
  }
  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

/** One connection of the primary, held from acquire to release (so a transaction stays on it). */
class PrimaryConnection implements DatabaseConnection {
  private constructor(
    private readonly db: Kysely<DB>,
    readonly release: () => void,
  ) {}
  static async acquire(primary: Kysely<DB>): Promise<PrimaryConnection> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    return new Promise<PrimaryConnection>((resolve, reject) => {
      primary
        .connection()
        .execute(async (db) => {
          resolve(new PrimaryConnection(db, release));
          await held;
        })
        .catch(reject);
    });
  }
  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.db.executeQuery<R>(query);
  }
  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.db.executeQuery<R>(query);
  }
}

class FallbackDriver implements Driver {
  constructor(
    private readonly replica: Driver,
    private readonly primary: Kysely<DB>,
    private readonly health: Health,
  ) {}
  async init(): Promise<void> {
    await this.replica.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.health.usable()) {
      try {
        return new ReplicaConnection(await this.replica.acquireConnection(), this.primary, this.health);
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        this.health.failed(error as Error);
      }
    }
    return PrimaryConnection.acquire(this.primary);
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (connection instanceof ReplicaConnection) {
      await this.replica.beginTransaction(connection.inner, settings);
      connection.inTransaction = true;
    } else {
      const mode = settings.accessMode ? ` ${settings.accessMode}` : '';
      const level = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
      await connection.executeQuery(CompiledQuery.raw(`start transaction${level}${mode}`));
    }
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.end(connection, 'commit');
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.end(connection, 'rollback');
  }
  private async end(connection: DatabaseConnection, how: 'commit' | 'rollback'): Promise<void> {
    if (connection instanceof ReplicaConnection) {
      connection.inTransaction = false;
      await (how === 'commit'
        ? this.replica.commitTransaction(connection.inner)
        : this.replica.rollbackTransaction(connection.inner));
    } else await connection.executeQuery(CompiledQuery.raw(how));
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof ReplicaConnection) await this.replica.releaseConnection(connection.inner);
    else if (connection instanceof PrimaryConnection) connection.release();
  }
  async destroy(): Promise<void> {
    await this.replica.destroy();
  }
}
