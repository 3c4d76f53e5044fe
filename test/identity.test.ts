import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/core/actor.ts';
import { parseUnit } from '../src/core/policy/units.ts';
import type { Database } from '../src/db/database.ts';
import { authenticate } from '../src/app/identity/authenticate.ts';
import { createUser } from '../src/app/identity/create-user.ts';
import { login } from '../src/app/identity/login.ts';
import { logout } from '../src/app/identity/logout.ts';
import { resetPassword } from '../src/app/identity/reset-password.ts';
import { setUserDisabled } from '../src/app/identity/set-user-disabled.ts';
import { updateUser } from '../src/app/identity/update-user.ts';
import { changePassword } from '../src/app/identity/change-password.ts';
import { DEMO_PASSWORD, DEMO_USERNAMES, seedDemoAccounts } from '../src/demo/accounts.ts';
import { createTestDatabase } from './support/database.ts';
import { identityDepsFor, seedIdentityFixture, testClock } from './support/identity.ts';

describe('identity: accounts, sessions, throttling', () => {
  let database: Database;
  let actors: Map<string, Actor>;
  const clock = testClock();
  const deps = () => identityDepsFor(database, clock.now, 12);
  const admin = () => actors.get('admin')!;

  beforeAll(async () => {
    database = await createTestDatabase();
    actors = await seedIdentityFixture(database);
  });
  afterAll(async () => {
    await database.close();
  });

  it('seeds every demo account once, with an argon2id hash of the demo password', async () => {
    expect([...actors.keys()].sort()).toEqual([...DEMO_USERNAMES].sort());
    expect((await seedDemoAccounts(database)).created).toEqual([]);
    const row = await database.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(actors.get('gumei.patroller')!.unit).toEqual({
      kind: 'region',
      level: 'grid',
      code: '31011200600101',
    });
    expect(actors.get('gumei.police')!.unit).toEqual({ kind: 'department', id: 'police-310112006' });
  });

  it('logs in, authenticates the token until it expires, and logs out', async () => {
    const result = await login(deps(), {
      username: 'Gumei.Dispatcher',
      password: DEMO_PASSWORD,
      address: '10.0.0.1',
    });
    expect(result.user.username).toBe('gumei.dispatcher');
    expect(result.expiresAt.getTime() - clock.now().getTime()).toBe(12 * 3600_000);
    const stored = await database.db.selectFrom('sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(result.token); // only the hash is stored

    const auth = await authenticate(deps(), result.token);
    expect(auth?.actor).toMatchObject({
      username: 'gumei.dispatcher',
      role: 'dispatcher',
      unit: { code: '310112006' },
    });

    clock.advance(12 * 3600_000 - 1000);
    expect(await authenticate(deps(), result.token)).not.toBeNull();
    clock.advance(1000);
    expect(await authenticate(deps(), result.token)).toBeNull();

    const second = await login(deps(), { username: 'gumei.dispatcher', password: DEMO_PASSWORD });
    await logout(deps(), second.token, second.actor);
    expect(await authenticate(deps(), second.token)).toBeNull();
    expect(await authenticate(deps(), 'not-a-token')).toBeNull();
  });

  it('refuses wrong passwords and unknown users alike, and audits both', async () => {
    await expect(login(deps(), { username: 'citizen', password: 'nope-nope-nope' })).rejects.toMatchObject({
      code: 'unauthenticated',
      message: 'Wrong username or password',
    });
    await expect(login(deps(), { username: 'nobody', password: 'nope-nope-nope' })).rejects.toMatchObject({
      code: 'unauthenticated',
      message: 'Wrong username or password',
    });
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'payload'])
      .where('action', '=', 'auth.login_failed')
      .execute();
    expect(audit.map((a) => (a.payload as { reason: string }).reason).sort()).toEqual([
      'unknown_user',
      'wrong_password',
    ]);
    expect(JSON.stringify(audit)).not.toContain('nope-nope-nope');
  });

  it('after 20 wrong passwords refuses even the right one, and lets it in after the cool-down', async () => {
    clock.set('2026-03-03T02:00:00Z');
    const attempt = (password: string) =>
      login(deps(), { username: 'market.handler', password, address: '10.9.9.9' });
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      outcomes.push(
        await attempt(`wrong-password-${i}`).then(
          () => 'ok',
          (e: { code: string }) => e.code,
        ),
      );
    }
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill('unauthenticated'));
    expect(outcomes.slice(5)).toEqual(Array(15).fill('rate_limited'));
    const refused = await attempt(DEMO_PASSWORD).catch(
      (e: { code: string; details: { retryAfter: number } }) => e,
    );
    expect(refused).toMatchObject({ code: 'rate_limited', details: { retryAfter: 30 } });

    clock.advance(30_000);
    await expect(attempt('still-wrong-1')).rejects.toMatchObject({ code: 'unauthenticated' });
    // the sixth failure doubles the cool-down
    await expect(attempt(DEMO_PASSWORD)).rejects.toMatchObject({
      code: 'rate_limited',
      details: { retryAfter: 60 },
    });
    clock.advance(60_000);
    const ok = await attempt(DEMO_PASSWORD);
    expect(ok.user.username).toBe('market.handler');
    // success clears the account's count
    await expect(attempt('wrong-again-1')).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('throttles one address guessing across many accounts', async () => {
    clock.set('2026-03-04T02:00:00Z');
    const codes: string[] = [];
    for (let i = 0; i < 22; i++) {
      const username = DEMO_USERNAMES[i % DEMO_USERNAMES.length]!;
      codes.push(
        await login(deps(), { username, password: `guess-${i}-xxxx`, address: '10.6.6.6' }).then(
          () => 'ok',
          (e: { code: string }) => e.code,
        ),
      );
    }
    expect(codes.filter((c) => c === 'rate_limited').length).toBeGreaterThan(0);
    // another address is not affected
    const fine = await login(deps(), {
      username: 'district.leader',
      password: DEMO_PASSWORD,
      address: '10.7.7.7',
    });
    expect(fine.user.role).toBe('leader');
  });

  it('lets admins create, re-assign, disable and reset users; nobody else', async () => {
    clock.set('2026-03-05T02:00:00Z');
    await expect(
      createUser(deps(), actors.get('district.dispatcher')!, {
        username: 'x.y',
        role: 'citizen',
        unit: { kind: 'none' },
        password: 'long-enough-pw',
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });

    const { user, generatedPassword } = await createUser(deps(), admin(), {
      username: 'gumei.dispatcher2',
      displayName: '李四',
      role: 'dispatcher',
      unit: parseUnit('310112006'),
    });
    expect(generatedPassword).toHaveLength(16);
    expect(user).toMatchObject({ mustChangePassword: true, unitName: '古美街道', role: 'dispatcher' });

    await expect(
      createUser(deps(), admin(), {
        username: 'GUMEI.dispatcher2',
        role: 'citizen',
        unit: { kind: 'none' },
        password: 'long-enough-pw',
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      createUser(deps(), admin(), {
        username: 'bad.police',
        role: 'police',
        unit: parseUnit('dist-housing'),
        password: 'long-enough-pw',
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      createUser(deps(), admin(), {
        username: 'bad.unit',
        role: 'dispatcher',
        unit: parseUnit('310112099'),
        password: 'long-enough-pw',
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      createUser(deps(), admin(), {
        username: 'short.pw',
        role: 'citizen',
        unit: { kind: 'none' },
        password: 'short',
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });

    // first login with the generated password, then change it
    const first = await login(deps(), { username: 'gumei.dispatcher2', password: generatedPassword! });
    await changePassword(deps(), first.actor, {
      currentPassword: generatedPassword!,
      newPassword: 'a-new-password-1',
      currentToken: first.token,
    });
    expect((await authenticate(deps(), first.token))?.mustChangePassword).toBe(false);

    // re-assign to another street: the next request already has the new scope
    await updateUser(deps(), admin(), user.id, { unit: parseUnit('310112008') });
    expect((await authenticate(deps(), first.token))?.actor.unit).toEqual({
      kind: 'region',
      level: 'street',
      code: '310112008',
    });
    await expect(updateUser(deps(), admin(), user.id, { role: 'coordinator' })).rejects.toMatchObject({
      code: 'validation_failed',
    });

    // disable ends sessions and blocks login
    await setUserDisabled(deps(), admin(), user.id, true);
    expect(await authenticate(deps(), first.token)).toBeNull();
    await expect(
      login(deps(), { username: 'gumei.dispatcher2', password: 'a-new-password-1' }),
    ).rejects.toMatchObject({
      code: 'unauthenticated',
      message: 'This account is disabled',
    });
    await setUserDisabled(deps(), admin(), user.id, false);

    // reset: the old password stops working, the generated one works
    const reset = await resetPassword(deps(), admin(), user.id);
    await expect(
      login(deps(), { username: 'gumei.dispatcher2', password: 'a-new-password-1' }),
    ).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(
      (await login(deps(), { username: 'gumei.dispatcher2', password: reset.generatedPassword! })).user
        .mustChangePassword,
    ).toBe(true);

    const actions = (
      await database.db
        .selectFrom('audit_log')
        .select('action')
        .where('target', '=', `user:${user.id}`)
        .execute()
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'user.create',
        'auth.password_change',
        'user.update',
        'user.disable',
        'user.enable',
        'user.reset_password',
        'auth.login',
      ]),
    );
  });

  it('never disables or demotes the last admin', async () => {
    await expect(setUserDisabled(deps(), admin(), admin().userId, true)).rejects.toMatchObject({
      code: 'conflict',
    });
    const cli = { ...admin(), userId: 'system', role: 'system' as const };
    await expect(setUserDisabled(deps(), cli, admin().userId, true)).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(updateUser(deps(), cli, admin().userId, { role: 'leader' })).rejects.toMatchObject({
      code: 'conflict',
    });
  });
});
