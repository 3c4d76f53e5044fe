import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { caseApp, caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import type { Schemas } from './support/api.ts';
import { createTestDatabase } from './support/database.ts';

type Created = Schemas['CreateCaseResult'];

describe('cases under concurrency', () => {
  let database: Database;
  let app: FastifyInstance;
  let users: Map<string, TestUser>;
  const clock = caseClock();
  const as = (name: string) => users.get(name)!.auth;
  const count = async (table: 'cases' | 'case_events' | 'idempotency_keys') =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(database.db)).rows[0]!
        .n,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
    app = await caseApp(database, clock.now);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('creates exactly one case from 50 concurrent identical requests with one Idempotency-Key', async () => {
    const before = await count('cases');
    const body = { category: '0501', description: '暴露垃圾', location: T.inGumeiC1 };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/cases',
          headers: { ...as('patroller.a'), 'idempotency-key': 'flaky-network-1' },
          payload: body,
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
    const ids = new Set(responses.map((r) => r.json<Created>().case.id));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(49);
    expect((await count('cases')) - before).toBe(1);
    const [id] = [...ids];
    const events = await database.db
      .selectFrom('case_events')
      .select('action')
      .where('case_id', '=', id!)
      .execute();
    expect(events).toHaveLength(1);
  });

  it('refuses the same key with another body (409), and keys are per user', async () => {
    const headers = { ...as('patroller.a'), 'idempotency-key': 'key-2' };
    const first = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers,
      payload: { category: '0501', description: 'A', location: T.inGumeiC1 },
    });
    expect(first.statusCode).toBe(201);
    const other = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers,
      payload: { category: '0501', description: 'B', location: T.inGumeiC1 },
    });
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: 'idempotency_conflict' });
    // the same key from another reporter is another request
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { ...as('patroller.a2'), 'idempotency-key': 'key-2' },
      payload: { category: '0501', description: 'A', location: T.inGumeiC2 },
    });
    expect(elsewhere.statusCode).toBe(201);
    expect(elsewhere.json<Created>().case.id).not.toBe(first.json<Created>().case.id);
  });

  it('lets one of two dispatchers acting on the same version win; the other gets 409 with the current version', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as('patroller.a'),
      payload: { category: '0101', description: '群租', location: T.inGumeiC1 },
    });
    const c = created.json<Created>().case;
    const [a, b] = await Promise.all([
      app.inject({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/actions/register`,
        headers: as('dispatcher.a'),
        payload: { version: 1 },
      }),
      app.inject({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/actions/register`,
        headers: as('lead.a'),
        payload: { version: 1, note: '立案' },
      }),
    ]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json()).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
    const events = await database.db
      .selectFrom('case_events')
      .select('action')
      .where('case_id', '=', c.id)
      .execute();
    expect(events.map((e) => e.action)).toEqual(['report', 'register']);
  });

  it('numbers concurrent reports consecutively, each number once', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/cases',
          headers: as(i % 2 ? 'patroller.a' : 'patroller.a2'),
          payload: {
            category: '0501',
            description: `垃圾 ${i}`,
            location: i % 2 ? T.inGumeiC1 : T.inGumeiC2,
          },
        }),
      ),
    );
    expect(responses.every((r) => r.statusCode === 201)).toBe(true);
    const numbers = responses.map((r) => r.json<Created>().case.caseNo);
    expect(new Set(numbers).size).toBe(20);
    const all = await database.db.selectFrom('cases').select('case_no').orderBy('case_no').execute();
    const seqs = all.map((r) => Number(r.case_no.split('-')[2]));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});
