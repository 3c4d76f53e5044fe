import { randomInt } from 'node:crypto';

/**
 * 查询码 (issue 9 §8): the random code a reporter needs, with the case number, to follow a case on the
 * public page. 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), easy to read out on
 * the phone: 31^8 ≈ 8.5 × 10^11 codes, against 60 guesses a minute per address.
 */
export const FOLLOW_UP_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const FOLLOW_UP_LENGTH = 8;

/** A new follow-up code from the operating system's CSPRNG. */
export function newFollowUpCode(): string {
  let code = '';
  for (let i = 0; i < FOLLOW_UP_LENGTH; i++) code += FOLLOW_UP_ALPHABET[randomInt(FOLLOW_UP_ALPHABET.length)];
  return code;
}

/** What a person typed, as stored: upper case, without spaces or dashes ("abcd-efgh" → "ABCDEFGH"). */
export const normalizeFollowUpCode = (typed: string): string => typed.replace(/[\s-]+/g, '').toUpperCase();
