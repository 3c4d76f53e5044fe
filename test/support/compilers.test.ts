import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { caseApp, caseClock, seedCaseFixture, T, type TestUser } from './cases.ts';
import { compiledCounts } from './compilers.ts';
import { createTestDatabase } from './database.ts';

/**
 * The shared route compilers (compilers.ts): a second app compiles nothing new, and its validators and
 * serialisers answer as the first app's do (header names case-insensitive, unknown response fields
 * dropped by the schema).
 */
describe('shared route compilers', () => {
  let database: Database & { url?: string };
  let users: Map<string, TestUser>;

  beforeAll(async () => {
    database = await createTestDatabase();
    users = await seedCaseFixture(database);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('compiles each route schema once per process, and the second app validates as the first', async () => {
    const clock = caseClock();
    const first = await caseApp(database, clock.now);
    await first.ready();
    const afterFirst = compiledCounts();
    expect(afterFirst.validators).toBeGreaterThan(50);
    expect(afterFirst.serializers).toBeGreaterThan(50);
    const second = await caseApp(database, clock.now);
    await second.ready();
    expect(compiledCounts()).toEqual(afterFirst);

    const auth = users.get('patroller.a')!.auth;
    for (const app of [first, second]) {
      // a header schema's names match whatever case the client sends (Fastify lowercases them)
      const tooLong = await app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: { ...auth, 'Idempotency-Key': 'k'.repeat(201) },
        payload: { category: '0501', description: '暴露垃圾', location: T.inGumeiC1 },
      });
      expect(tooLong.statusCode).toBe(400);
      const listed = await app.inject({ method: 'GET', url: '/api/v1/cases?limit=abc', headers: auth });
      expect(listed.statusCode).toBe(400);
      const health = await app.inject({ method: 'GET', url: '/healthz' });
      expect(health.json()).toEqual({ status: 'ok', database: database.kind });
    }
    await first.close();
    await second.close();
  });
});
