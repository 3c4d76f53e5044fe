import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../src/app/identity/tokens.ts';
import { loadConfig, parseTrustProxy } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import { DEMO_PASSWORD } from '../src/demo/accounts.ts';
import { buildTestApp } from './support/compilers.ts';
import { createTestDatabase } from './support/database.ts';
import { seedIdentityFixture } from './support/identity.ts';

/** Issue 9 finding 2: TRUST_PROXY takes the proxies' addresses/CIDRs; `true` warns at start. */
describe('TRUST_PROXY', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    await seedIdentityFixture(database);
  });
  afterAll(async () => {
    await database.close();
  });

  it('parses addresses and CIDRs and refuses anything else', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy(' 10.0.0.1, 10.1.0.0/16,::1 ,fd00::/8')).toEqual([
      '10.0.0.1',
      '10.1.0.0/16',
      '::1',
      'fd00::/8',
    ]);
    for (const bad of ['yes', '10.0.0.1/33', '10.0.0', 'proxy.local', '10.0.0.1/8/2', '1'])
      expect(() => parseTrustProxy(bad), bad).toThrow(/TRUST_PROXY/);
  });

  it('takes the client address from X-Forwarded-For only when the peer is a listed proxy', async () => {
    const app = await buildTestApp({
      database,
      config: loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16' }),
      demo: true,
    });
    const addressOfLogin = async (remoteAddress: string) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'citizen', password: DEMO_PASSWORD },
        remoteAddress,
        headers: { 'x-forwarded-for': '203.0.113.7' },
      });
      expect(res.statusCode).toBe(200);
      const token = res.json<{ token: string }>().token;
      const row = await database.db
        .selectFrom('sessions')
        .select('address')
        .where('token_hash', '=', tokenHash(token))
        .executeTakeFirst();
      return row?.address;
    };
    try {
      expect(await addressOfLogin('10.0.0.1')).toBe('203.0.113.7');
      expect(await addressOfLogin('10.1.200.3')).toBe('203.0.113.7');
      expect(await addressOfLogin('10.2.0.1')).toBe('10.2.0.1');
    } finally {
      await app.close();
    }
  });

  it('warns at start when TRUST_PROXY=true', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = await buildTestApp(
      { database, config: loadConfig({ TRUST_PROXY: 'true' }), demo: true },
      { logger: { level: 'warn', stream } },
    );
    await app.close();
    expect(lines.join('')).toMatch(/TRUST_PROXY=true trusts X-Forwarded-For from any client/);
  });
});
