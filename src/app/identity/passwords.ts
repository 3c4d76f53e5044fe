import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as languageCommon from '@zxcvbn-ts/language-common';
import { refusal } from '../../core/errors.ts';

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
export const MAX_PASSWORD_LENGTH = 256;
/** zxcvbn's guessability score (0–4) a password needs: 3 = "safely unguessable" (~10^8 guesses or more). */
export const MIN_PASSWORD_SCORE = 3;

// zxcvbn (the Dropbox estimator, maintained as @zxcvbn-ts) with its common-passwords, names and keyboard
// dictionaries. The user's own username and name are added per check.
zxcvbnOptions.setOptions({
  dictionary: { ...languageCommon.dictionary },
  graphs: languageCommon.adjacencyGraphs,
});

const weak = (rule: string, message: string, details: Record<string, unknown> = {}) =>
  refusal('validation_failed', 'weak_password', message, { field: 'password', rule, ...details });

/**
 * The password rules (one place for create, reset and change): 10–256 characters, not the username or
 * name, and hard to guess (zxcvbn score ≥ 3 — it knows common passwords, names, keyboard walks, dates and
 * repeats). A refusal answers `validation_failed` with reason `weak_password` and the `rule` it broke
 * (`length`, `username`, `guessable`), which the web app explains.
 */
export function assertPasswordPolicy(password: string, username: string, displayName?: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw weak('length', `A password needs at least ${MIN_PASSWORD_LENGTH} characters`, {
      min: MIN_PASSWORD_LENGTH,
    });
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw weak('length', `A password has at most ${MAX_PASSWORD_LENGTH} characters`, {
      max: MAX_PASSWORD_LENGTH,
    });
  }
  if (password.toLowerCase() === username.toLowerCase()) {
    throw weak('username', 'The password must not be the username');
  }
  const inputs = [username, ...username.split(/[._-]/), ...(displayName ? [displayName] : [])];
  const { score, feedback } = zxcvbn(
    password,
    inputs.filter((x) => x.length > 1),
  );
  if (score < MIN_PASSWORD_SCORE) {
    throw weak('guessable', 'The password is too easy to guess: use a longer phrase of unrelated words', {
      score,
      minScore: MIN_PASSWORD_SCORE,
      ...(feedback.warning ? { warning: feedback.warning } : {}),
    });
  }
}

/** A random password for a new or reset account (shown once; the user must change it). */
export const generatePassword = (): string => randomBytes(12).toString('base64url');
