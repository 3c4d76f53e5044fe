import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../core/errors.ts';

// @node-rs/argon2 defaults to argon2id (m = 19 MiB, t = 2, p = 1: the OWASP baseline); the parameters
// travel inside the PHC string, so raising them later keeps old hashes verifiable.

/** Hashes a password with argon2id (PHC string `$argon2id$v=19$m=…`). */
export const hashPassword = (password: string): Promise<string> => hash(password);

// Verifying against this when the account does not exist keeps the answer time the same, so response
// times do not tell which usernames exist.
let dummyHash: Promise<string> | undefined;

/** Checks a password against a stored hash (or against a dummy hash when there is no account). */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  const target = stored ?? (await (dummyHash ??= hash(randomBytes(16).toString('hex'))));
  try {
    const okay = await verify(target, password);
    return stored !== null && okay;
  } catch {
    return false; // a malformed stored hash never logs anyone in
  }
}

export const MIN_PASSWORD_LENGTH = 10;

/** Rejects passwords that are too short, too long (hashing cost) or equal to the username. */
export function assertPasswordPolicy(password: string, username: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('validation_failed', `A password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > 256) throw new AppError('validation_failed', 'A password has at most 256 characters');
  if (password.toLowerCase() === username.toLowerCase()) {
    throw new AppError('validation_failed', 'The password must not be the username');
  }
}

/** A random password for a new or reset account (shown once; the user must change it). */
export const generatePassword = (): string => randomBytes(12).toString('base64url');
