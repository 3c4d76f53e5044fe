import type { Kysely } from 'kysely';
import {
  ACCOUNT_SLOWDOWN,
  ADDRESS_THROTTLE,
  PAIR_THROTTLE,
  admitAttempt,
  type ThrottleRule,
} from '../../core/policy/login-throttle.ts';
import type { DB } from '../../db/schema/index.ts';

const pairKey = (username: string, address: string | null) => `pair:${username}|${address ?? ''}`;
const accountKey = (username: string) => `account:${username}`;
const addressKey = (address: string) => `address:${address}`;

export type LoginAdmission = { allowed: true } | { allowed: false; wait: number };

/**
 * Admits one login attempt before its password is checked (policy: src/core/policy/login-throttle.ts).
 * Check and count are one step: one transaction creates the attempt's counters if missing, locks them
 * (`for update`, in key order so concurrent attempts cannot deadlock), decides, and writes the counts —
 * so concurrent guesses queue on the rows and at most the free tries get through, across instances on
 * PostgreSQL and on PGlite (one connection: transactions run one at a time).
 */
export async function admitLogin(
  db: Kysely<DB>,
  input: { username: string; address: string | null; knownUser: boolean },
  now: Date,
): Promise<LoginAdmission> {
  const { username, address, knownUser } = input;
  const pair = pairKey(username, address);
  const keys = [pair, accountKey(username), ...(address ? [addressKey(address)] : [])].sort();
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('login_throttle')
      .values(keys.map((key) => ({ key, failures: 0, last_failure_at: now, locked_until: null })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const rows = await trx
      .selectFrom('login_throttle')
      .selectAll()
      .where('key', 'in', keys)
      .orderBy('key')
      .forUpdate()
      .execute();
    const state = (key: string) => {
      const row = rows.find((r) => r.key === key);
      return row
        ? { failures: row.failures, lastFailureAt: row.last_failure_at, lockedUntil: row.locked_until }
        : null;
    };
    const pairAdmission = admitAttempt(state(pair), now, PAIR_THROTTLE, true);
    const clean = pairAdmission.prior === 0;
    const decisions: [string, ReturnType<typeof admitAttempt>][] = [[pair, pairAdmission]];
    const gate = (key: string, rule: ThrottleRule, enforce: boolean) =>
      decisions.push([key, admitAttempt(state(key), now, rule, enforce)]);
    gate(accountKey(username), ACCOUNT_SLOWDOWN, !clean);
    if (address) gate(addressKey(address), ADDRESS_THROTTLE, !clean || !knownUser);

    const wait = Math.max(0, ...decisions.map(([, d]) => (d.allowed ? 0 : d.wait)));
    if (wait > 0) return { allowed: false, wait }; // refused: nothing is counted
    for (const [key, d] of decisions) {
      await trx
        .updateTable('login_throttle')
        .set({ failures: d.next!.failures, last_failure_at: now, locked_until: d.next!.lockedUntil })
        .where('key', '=', key)
        .execute();
    }
    return { allowed: true };
  });
}

/**
 * After a success (or the right password on a disabled account, which is no guess): forgets the
 * attempt's (account, address) failures. The per-account and per-address counts stay: a success must not
 * reset an attack that others run against the same account.
 */
export async function forgetPairFailures(
  db: Kysely<DB>,
  username: string,
  address: string | null,
): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', pairKey(username, address)).execute();
}

/** Forgets every failure of an account (after an administrator resets its password). */
export async function clearAccountThrottle(db: Kysely<DB>, username: string): Promise<void> {
  await db
    .deleteFrom('login_throttle')
    .where((eb) =>
      eb.or([eb('key', '=', accountKey(username)), eb('key', 'like', `pair:${escapeLike(username)}|%`)]),
    )
    .execute();
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Forgets counters that no longer matter: no failure for longer than every rule's reset period and no
 * cool-down running. Keeps the table from growing with every (name, address) ever tried. One statement,
 * so it is safe on several processes at once.
 */
export async function pruneLoginThrottle(db: Kysely<DB>, now: Date): Promise<number> {
  const quiet = Math.max(
    PAIR_THROTTLE.resetAfterSeconds,
    ACCOUNT_SLOWDOWN.resetAfterSeconds,
    ADDRESS_THROTTLE.resetAfterSeconds,
  );
  const result = await db
    .deleteFrom('login_throttle')
    .where('last_failure_at', '<', new Date(now.getTime() - quiet * 1000))
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
