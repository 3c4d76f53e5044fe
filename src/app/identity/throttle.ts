import type { Kysely } from 'kysely';
import {
  ACCOUNT_THROTTLE,
  ADDRESS_THROTTLE,
  carriedFailures,
  coolDownSeconds,
  secondsLocked,
  type ThrottleRule,
} from '../../core/policy/login-throttle.ts';
import type { DB } from '../../db/schema/index.ts';

/** The throttle keys of one login attempt, each with its rule. */
export function throttleKeys(username: string, address: string | null | undefined): [string, ThrottleRule][] {
  const keys: [string, ThrottleRule][] = [[`account:${username}`, ACCOUNT_THROTTLE]];
  if (address) keys.push([`address:${address}`, ADDRESS_THROTTLE]);
  return keys;
}

/** Seconds the attempt must wait (the longest lock among its keys), 0 when it may go ahead. */
export async function throttleWait(
  db: Kysely<DB>,
  keys: [string, ThrottleRule][],
  now: Date,
): Promise<number> {
  const rows = await db
    .selectFrom('login_throttle')
    .select(['key', 'locked_until'])
    .where(
      'key',
      'in',
      keys.map(([k]) => k),
    )
    .execute();
  return Math.max(0, ...rows.map((r) => secondsLocked(r.locked_until, now)));
}

/** Counts a failure on every key and starts a cool-down where a threshold is passed. */
export async function registerFailure(
  db: Kysely<DB>,
  keys: [string, ThrottleRule][],
  now: Date,
): Promise<void> {
  for (const [key, rule] of keys) {
    // row lock: two concurrent failures both count
    const row = await db
      .selectFrom('login_throttle')
      .select(['failures', 'last_failure_at'])
      .where('key', '=', key)
      .forUpdate()
      .executeTakeFirst();
    const failures = (row ? carriedFailures(row.failures, row.last_failure_at, now, rule) : 0) + 1;
    const coolDown = coolDownSeconds(failures, rule);
    const lockedUntil = coolDown > 0 ? new Date(now.getTime() + coolDown * 1000) : null;
    await db
      .insertInto('login_throttle')
      .values({ key, failures, last_failure_at: now, locked_until: lockedUntil })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({ failures, last_failure_at: now, locked_until: lockedUntil }),
      )
      .execute();
  }
}

/** Forgets an account's failures (after a successful login or a password reset). */
export async function clearAccountThrottle(db: Kysely<DB>, username: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', `account:${username}`).execute();
}
