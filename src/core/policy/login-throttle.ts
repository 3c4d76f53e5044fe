/**
 * Login throttling (issue 4): after `threshold` consecutive failures for one key (an account, or a
 * client address), every further failure starts a cool-down that doubles each time, up to a cap.
 * During a cool-down every attempt is refused, even with the right password, and does not count; once
 * it is over the right password works again. A quiet period of `resetAfterSeconds` forgets old failures.
 */
export interface ThrottleRule {
  threshold: number;
  baseSeconds: number;
  maxSeconds: number;
  resetAfterSeconds: number;
}

/** Per account: 5 free tries, then 30 s, 60 s, 2 min … up to 15 min. */
export const ACCOUNT_THROTTLE: ThrottleRule = {
  threshold: 5,
  baseSeconds: 30,
  maxSeconds: 15 * 60,
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
