/**
 * Login throttling (issues 4 and 9). Three counters, each a key in the database:
 *
 * - **per (account, address)** — `PAIR_THROTTLE`: 5 free tries, then a cool-down that doubles each
 *   time (30 s … 15 min). It locks only that account *from that address*.
 * - **per account** — `ACCOUNT_SLOWDOWN`: after 10 failures from anywhere, a short cool-down (2 s …
 *   60 s) for addresses that already failed on this account. An address with no recent failure on the
 *   account ("clean") is never held back by it, so an attack from elsewhere cannot lock out someone
 *   who knows the password.
 * - **per address** — `ADDRESS_THROTTLE`: after 20 failures from one address, a cool-down (30 s … 1 h)
 *   for guesses at unknown accounts and for accounts this address already failed on; a first, clean try
 *   at a real account still goes through, so a shared office address cannot be locked out.
 *
 * Every attempt is counted *before* the password is checked (an admission), in one database
 * transaction that holds the rows; a success then forgets its (account, address) failures. So N
 * concurrent guesses get at most the free tries evaluated, on any number of server instances.
 */
export interface ThrottleRule {
  threshold: number;
  baseSeconds: number;
  maxSeconds: number;
  resetAfterSeconds: number;
}

/** Per (account, address): 5 free tries, then 30 s, 60 s, 2 min … up to 15 min. */
export const PAIR_THROTTLE: ThrottleRule = {
  threshold: 5,
  baseSeconds: 30,
  maxSeconds: 15 * 60,
  resetAfterSeconds: 3600,
};

/** Per account, all addresses together: a slow-down for addresses that already failed on it. */
export const ACCOUNT_SLOWDOWN: ThrottleRule = {
  threshold: 10,
  baseSeconds: 2,
  maxSeconds: 60,
  resetAfterSeconds: 3600,
};

/** Per client address: looser (an office shares one address), for guessing across many accounts. */
export const ADDRESS_THROTTLE: ThrottleRule = {
  threshold: 20,
  baseSeconds: 30,
  maxSeconds: 60 * 60,
  resetAfterSeconds: 3600,
};

/** The cool-down (seconds) that starts with the `failures`-th consecutive failure; 0 below the threshold. */
export function coolDownSeconds(failures: number, rule: ThrottleRule): number {
  if (failures < rule.threshold) return 0;
  const exponent = Math.min(failures - rule.threshold, 30);
  return Math.min(rule.baseSeconds * 2 ** exponent, rule.maxSeconds);
}

/** The failure count to continue from, given when the last failure happened. */
export function carriedFailures(
  failures: number,
  lastFailureAt: Date,
  now: Date,
  rule: ThrottleRule,
): number {
  return now.getTime() - lastFailureAt.getTime() >= rule.resetAfterSeconds * 1000 ? 0 : failures;
}

/** Seconds until the lock ends (rounded up), or 0 when not locked. */
export function secondsLocked(lockedUntil: Date | null, now: Date): number {
  if (!lockedUntil) return 0;
  const ms = lockedUntil.getTime() - now.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/** One throttle counter as stored. */
export interface ThrottleState {
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

export interface Admission {
  /** Whether this counter lets the attempt through. */
  allowed: boolean;
  /** When refused: seconds until it would be let through. */
  wait: number;
  /** Failures counted before this attempt (0 = the counter is clean). */
  prior: number;
  /** The counter after this attempt, or null when it does not change (a refused attempt is not counted). */
  next: ThrottleState | null;
}

/**
 * Admits (or refuses) one login attempt against one counter. An admitted attempt is counted as a failure
 * in advance — a success forgets it afterwards — and starts the cool-down the count calls for. With
 * `enforce: false` the attempt is counted but never refused (e.g. a clean address on the per-account
 * slow-down: its try still makes the account hotter for addresses that are not clean).
 */
export function admitAttempt(
  state: ThrottleState | null,
  now: Date,
  rule: ThrottleRule,
  enforce: boolean,
): Admission {
  const prior = state ? carriedFailures(state.failures, state.lastFailureAt, now, rule) : 0;
  const wait = state && prior > 0 ? secondsLocked(state.lockedUntil, now) : 0;
  if (enforce && wait > 0) return { allowed: false, wait, prior, next: null };
  const failures = prior + 1;
  const coolDown = coolDownSeconds(failures, rule);
  const ownLock = coolDown > 0 ? new Date(now.getTime() + coolDown * 1000) : null;
  // counting without enforcing must not shorten a lock that is running
  const running = wait > 0 ? state!.lockedUntil : null;
  const lockedUntil = running && (!ownLock || running > ownLock) ? running : ownLock;
  return { allowed: true, wait: 0, prior, next: { failures, lastFailureAt: now, lockedUntil } };
}
