import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { refusal } from '../../core/errors.ts';
import {
  challengeParts,
  isChallengeFresh,
  POW_BITS,
  POW_TTL_MS,
  solvesChallenge,
} from '../../core/public/index.ts';
import type { PiiKeyring } from '../baseinfo/pii.ts';

/**
 * The proof of work of anonymous reports (src/core/public): challenges are signed, not stored, so any
 * server process can check one another issued. The signing key is derived from the PII master key
 * (present in every process, never in the database); after a key rotation, challenges of the last
 * 15 minutes simply fail and the page asks for a new one. A challenge buys one report:
 * `public_reports.challenge` is unique.
 */
const signingKey = (keyring: PiiKeyring): Buffer =>
  createHmac('sha256', keyring.current.hashKey).update('public report challenge v1').digest();

const sign = (keyring: PiiKeyring, signed: string): string =>
  createHmac('sha256', signingKey(keyring)).update(signed).digest('hex');

export interface PublicChallenge {
  challenge: string;
  /** Leading zero bits SHA-256(challenge ":" nonce) must have. */
  bits: number;
  expiresAt: string;
}

export function issueChallenge(keyring: PiiKeyring, now: Date): PublicChallenge {
  const signed = `${now.getTime()}.${randomBytes(16).toString('hex')}`;
  return {
    challenge: `${signed}.${sign(keyring, signed)}`,
    bits: POW_BITS,
    expiresAt: new Date(now.getTime() + POW_TTL_MS).toISOString(),
  };
}

/** Throws `validation_failed` / `proof_of_work_failed` unless the challenge is ours, fresh and solved. */
export function checkProofOfWork(keyring: PiiKeyring, challenge: string, nonce: string, now: Date): void {
  const parts = challengeParts(challenge);
  const expected = parts ? Buffer.from(sign(keyring, parts.signed), 'hex') : Buffer.alloc(32);
  const given = Buffer.from(parts?.signature ?? '', 'hex');
  const signedOk = given.length === expected.length && timingSafeEqual(given, expected);
  if (
    !parts ||
    !signedOk ||
    !isChallengeFresh(parts.issuedAt, now) ||
    !solvesChallenge(challenge, nonce, POW_BITS)
  )
    throw refusal(
      'validation_failed',
      'proof_of_work_failed',
      'The challenge is unknown, expired or not solved',
      {
        problems: [{ path: '/nonce', message: 'ask for a new challenge and solve it' }],
      },
    );
}
