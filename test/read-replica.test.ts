import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forReading, type Database } from '../src/db/database.ts';
import { isConnectionError, openReadReplica, type ReadReplica } from '../src/db/read-replica.ts';
import { apiClient, ok } from './support/api.ts';
import { caseApp, caseClock, seedCaseFixture, type TestUser } from './support/cases.ts';
import { createTestDatabase, onServer } from './support/database.ts';
import { serverTemplate } from './support/images.ts';

/** Who answered: the primary holds the seeded accounts, the "replica" (a copy of the empty template) none. */
const accounts = async (database: Database) =>
  Number((await sql<{ n: number }>`select count(*)::int as n from users`.execute(database.db)).rows[0]!.n);

/**
 * Issue 10 §4: heavy reads go to DATABASE_READ_URL and fall back to the primary while the replica does
 * not answer — at start or in the middle of the day — and come back to it once it answers again. A
 * replica is a server concept: this runs against PostgreSQL only (CI's PostgreSQL pass).
 */
describe.skipIf(!onServer())('the read replica falls back to the primary and comes back', () => {
  // the describe's body runs to collect the tests even when skipped: a placeholder URL then
  const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1/skipped';
  const replicaName = `liandong_replica_${process.pid}_${Date.now().toString(36)}`;
  const replicaUrl = Object.assign(new URL(serverUrl), { pathname: `/${replicaName}` }).toString();
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const createReplica = async () =>
    admin(`create database ${replicaName} template ${await serverTemplate(serverUrl)}`);

  let primary: Database & { url?: string };
  let replica: ReadReplica;
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  let seeded: number;
  let time = 0;
  const told: string[] = [];

  beforeAll(async () => {
    primary = await createTestDatabase();
    users = await seedCaseFixture(primary);
    seeded = await accounts(primary);
    await createReplica();
    replica = openReadReplica(replicaUrl, primary.db, {
      retryAfterMs: 30_000,
      now: () => time,
      onFallback: (error) => told.push(`fallback: ${error.message}`),
      onRecovered: () => told.push('recovered'),
    });
    app = await caseApp({ ...primary, replica: replica.db }, caseClock().now);
  });
  afterAll(async () => {
    await app?.close();
    await replica?.close();
    await primary?.close();
    await admin(`drop database if exists ${replicaName} with (force)`);
  });
  const reading = () => forReading({ ...primary, replica: replica.db });

  it('reads the replica while it answers', async () => {
    expect(seeded).toBeGreaterThan(0);
    expect(await accounts(reading())).toBe(0);
    expect(replica.healthy()).toBe(true);
    expect(told).toEqual([]);
  });

  it('does not re-run a wrong query on the primary', async () => {
    const wrong = sql`select * from no_such_table`.execute(reading().db);
    await expect(wrong).rejects.toMatchObject({ code: '42P01' });
    expect(told).toEqual([]);
  });

  it('falls back to the primary when the replica goes away, and says so once', async () => {
    await admin(`drop database ${replicaName} with (force)`);
    expect(await accounts(reading())).toBe(seeded);
    expect(await accounts(reading())).toBe(seeded);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/^fallback: /);
    expect(replica.healthy()).toBe(false);
    // a transaction on the read handle runs on one primary connection
    const inside = await reading()
      .db.transaction()
      .execute(async (trx) =>
        Number((await sql<{ n: number }>`select count(*)::int as n from users`.execute(trx)).rows[0]!.n),
      );
    expect(inside).toBe(seeded);
    // the routes that read the replica keep answering
    const overview = await apiClient(app, users.get('leader')!.auth).GET('/api/v1/stats/overview');
    expect(overview.response.status, JSON.stringify(overview.error)).toBe(200);
    ok(overview);
  });

  it('leaves the replica alone for a while, then goes back to it once it answers again', async () => {
    await createReplica();
    time += 10_000;
    expect(await accounts(reading())).toBe(seeded);
    time += 30_000;
    expect(await accounts(reading())).toBe(0);
    expect(replica.healthy()).toBe(true);
    expect(told.at(-1)).toBe('recovered');
  });
});

describe('what counts as the replica not answering', () => {
  const error = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  it('connection failures, refused credentials, a dropped database, a shutdown, a recovery conflict', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '08006', '28P01', '3D000', '57P01', '57P03', '40001'])
      expect(isConnectionError(error(code)), code).toBe(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionError(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });
  it('not a wrong query, a constraint or a bad value', () => {
    for (const code of ['42P01', '42601', '23505', '22P02'])
      expect(isConnectionError(error(code)), code).toBe(false);
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
  });
});
