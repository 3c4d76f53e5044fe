import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../src/app/identity/login.ts';
import { pruneLoginThrottle } from '../src/app/identity/throttle.ts';
import type { Database } from '../src/db/database.ts';
import { DEMO_PASSWORD } from '../src/demo/accounts.ts';
import { createTestDatabase } from './support/database.ts';
import { identityDepsFor, seedIdentityFixture, testClock } from './support/identity.ts';

/** Issue 9 findings 1 and 2: the throttle is one atomic step, and nobody can lock out the right password. */
describe('login throttle under attack', () => {
  let database: Database;
  const clock = testClock();
  const deps = () => identityDepsFor(database, clock.now, 12);
  const attempt = (username: string, password: string, address: string) =>
    login(deps(), { username, password, address }).then(
      () => 'ok',
      (e: { code: string }) => e.code,
    );
  /** How many wrong passwords were really evaluated (argon2-verified) for an account. */
  const evaluated = async (username: string) =>
    (
      await database.db
        .selectFrom('audit_log')
        .select('payload')
        .where('action', '=', 'auth.login_failed')
        .execute()
    ).filter((r) => (r.payload as { username: string }).username === username).length;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedIdentityFixture(database);
  });
  afterAll(async () => {
    await database.close();
  });

  it('evaluates at most the free tries of N concurrent wrong passwords against one account', async () => {
    clock.set('2026-03-10T02:00:00Z');
    const codes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt('housing.handler', `wrong-guess-${i}`, '10.1.1.1')),
    );
    expect(codes.filter((c) => c === 'unauthenticated')).toHaveLength(5);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(35);
    expect(await evaluated('housing.handler')).toBe(5);
  });

  it('lets the right password in from a clean address during an attack on the account from others', async () => {
    clock.set('2026-03-11T02:00:00Z');
    // 30 addresses, 8 concurrent guesses each
    const codes = await Promise.all(
      Array.from({ length: 240 }, (_, i) =>
        attempt('gumei.dispatcher', `wrong-guess-${i}`, `10.2.${i % 30}.1`),
      ),
    );
    expect(codes).not.toContain('ok');
    expect(codes.filter((c) => c === 'rate_limited').length).toBeGreaterThan(100);
    // at most 5 per address, and the per-account slow-down holds back addresses that already failed
    expect(await evaluated('gumei.dispatcher')).toBeLessThanOrEqual(30 + 10);

    expect(await attempt('gumei.dispatcher', DEMO_PASSWORD, '10.99.0.1')).toBe('ok');
    // an attacking address stays locked even when it finally guesses right
    expect(await attempt('gumei.dispatcher', DEMO_PASSWORD, '10.2.0.1')).toBe('rate_limited');
  });

  it('lets the right password in from an address that attacks other accounts', async () => {
    clock.set('2026-03-12T02:00:00Z');
    const codes: string[] = [];
    for (let i = 0; i < 60; i++) {
      const username = i % 2 ? `nobody-${i}` : ['citizen', 'market.handler', 'gumei.station'][i % 3]!;
      codes.push(await attempt(username, `wrong-guess-${i}`, '10.3.3.3'));
    }
    // unknown-account guessing from the address is slowed down
    expect(codes.slice(40).filter((c) => c === 'rate_limited').length).toBeGreaterThan(10);
    expect(await attempt('gumei.nobody', 'wrong-guess', '10.3.3.3')).toBe('rate_limited');
    // …but someone at the same address who knows their password gets in
    expect(await attempt('gumei.lead', DEMO_PASSWORD, '10.3.3.3')).toBe('ok');
    expect(await attempt('chengguan.handler', DEMO_PASSWORD, '10.3.3.3')).toBe('ok');
  });

  it('forgets a pair after a success, and everything after an hour of quiet', async () => {
    clock.set('2026-03-13T02:00:00Z');
    for (let i = 0; i < 4; i++)
      expect(await attempt('gumei.police', `wrong-${i}`, '10.4.4.4')).toBe('unauthenticated');
    expect(await attempt('gumei.police', DEMO_PASSWORD, '10.4.4.4')).toBe('ok');
    for (let i = 0; i < 5; i++)
      expect(await attempt('gumei.police', `wrong-${i}`, '10.4.4.4')).toBe('unauthenticated');
    expect(await attempt('gumei.police', DEMO_PASSWORD, '10.4.4.4')).toBe('rate_limited');
    clock.advance(3600_000);
    expect(await attempt('gumei.police', DEMO_PASSWORD, '10.4.4.4')).toBe('ok');
  });

  it('prunes counters that have been quiet for an hour', async () => {
    clock.set('2026-03-14T02:00:00Z');
    expect(await attempt('nobody.at.all', 'wrong-guess', '10.5.5.5')).toBe('unauthenticated');
    const keys = async () =>
      (await database.db.selectFrom('login_throttle').select('key').execute()).map((r) => r.key);
    expect(await keys()).toContain('pair:nobody.at.all|10.5.5.5');
    await pruneLoginThrottle(database.db, new Date(clock.now().getTime() + 1800_000));
    expect(await keys()).toContain('pair:nobody.at.all|10.5.5.5');
    await pruneLoginThrottle(database.db, new Date(clock.now().getTime() + 3601_000));
    expect(await keys()).not.toContain('pair:nobody.at.all|10.5.5.5');
  });
});
