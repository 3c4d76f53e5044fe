import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new session token: 256 random bits, URL-safe. Given to the client once, stored only as a hash. */
export const newSessionToken = (): string => randomBytes(32).toString('base64url');

/** What the sessions table stores for a token. */
export const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * The CSRF token that goes with a session (double-submit: the web app reads it from the non-HttpOnly
 * `ld_csrf` cookie or the login response and echoes it in `X-CSRF-Token`). Derived from the secret
 * session token, so the server needs no storage for it and another site cannot compute it.
 */
export const csrfTokenFor = (sessionToken: string): string =>
  createHash('sha256').update(`csrf:${sessionToken}`, 'utf8').digest('base64url');

/** Constant-time string comparison. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
