import { createHash, randomBytes } from 'node:crypto';

/**
 * Open311 client keys: 32 random bytes from the operating system's CSPRNG, base64url, prefixed `o311_`.
 * Stored as SHA-256 (hex), not argon2: a slow, salted hash protects low-entropy secrets (passwords) from
 * guessing, but a 256-bit random key cannot be guessed from its hash anyway, and an unsalted digest can be
 * looked up by a unique index — one indexed read per request instead of an argon2 run per client.
 */
export const newOpen311Key = (): string => `o311_${randomBytes(32).toString('base64url')}`;

export const hashOpen311Key = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** What lists show to tell keys apart: the first characters only. */
export const open311KeyHint = (key: string): string => `${key.slice(0, 9)}…`;
