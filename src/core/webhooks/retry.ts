/** Retries stop this long after the first attempt (or after a manual replay). */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** The wait after the first failure; each further failure doubles it, up to the cap. */
export const FIRST_RETRY_MS = 10_000;
export const MAX_RETRY_MS = 60 * 60 * 1000;
/** Each wait is drawn in ±this fraction around its nominal value, so failing endpoints are not hit in waves. */
export const RETRY_JITTER = 0.2;

/**
 * When to try a delivery again after its `attempts`-th attempt failed (exponential backoff with jitter),
 * or null when the retry window is over and the delivery is `failed`. `random` is in [0, 1).
 */
export function nextRetryAt(attempts: number, windowStart: Date, now: Date, random: number): Date | null {
  const nominal = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
  const wait = Math.round(nominal * (1 + RETRY_JITTER * (2 * random - 1)));
  const at = now.getTime() + wait;
  return at - windowStart.getTime() > RETRY_WINDOW_MS ? null : new Date(at);
}
