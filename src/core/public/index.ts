import { createHash } from 'node:crypto';

/**
 * The rules of anonymous reporting on the public page (issue 15): what a contact looks like, the proof
 * of work a browser pays before sending, and how far the "already reported nearby" look-up may reach.
 * Pure: no I/O, no clock (the caller passes `now`).
 */

// ---- contact ------------------------------------------------------------------------------------------

export type PublicContact = { kind: 'phone'; value: string } | { kind: 'email'; value: string };

const MOBILE = /^1[3-9][0-9]{9}$/; // 中国大陆手机号
const FIXED = /^0[1-9][0-9]{1,2}[0-9]{7,8}$/; // 区号 + 号码 (021 64561234)
const LOCAL = /^[2-9][0-9]{7}$/; // a Shanghai number without the area code
const EMAIL =
  /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * A contact as typed, checked and normalised: a phone number (mobile, or fixed line with or without the
 * area code; spaces, dashes, brackets and a +86 prefix dropped) or an e-mail address (lower-cased).
 * Returns null when it is neither.
 */
export function parsePublicContact(typed: string): PublicContact | null {
  const text = typed.trim();
  if (text.length === 0 || text.length > 254) return null;
  if (text.includes('@')) {
    if (!EMAIL.test(text)) return null;
    return { kind: 'email', value: text.toLowerCase() };
  }
  let digits = text.replace(/[\s()-]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  if (!/^[0-9]+$/.test(digits)) return null;
  if (MOBILE.test(digits) || FIXED.test(digits) || LOCAL.test(digits))
    return { kind: 'phone', value: digits };
  return null;
}

/** A contact as shown to staff without the right to see it (138****5678, w***@example.com). */
export function maskPublicContact(contact: PublicContact): string {
  if (contact.kind === 'email') {
    const at = contact.value.indexOf('@');
    return `${contact.value.slice(0, 1)}***${contact.value.slice(at)}`;
  }
  const d = contact.value;
  return d.length >= 11 ? `${d.slice(0, 3)}${'*'.repeat(d.length - 7)}${d.slice(-4)}` : `****${d.slice(-4)}`;
}

// ---- proof of work ------------------------------------------------------------------------------------

/**
 * Instead of a CAPTCHA service (offline, no third party): the server hands out a signed challenge, the
 * browser searches a nonce such that SHA-256(challenge ":" nonce) starts with `bits` zero bits (about
 * 2^bits hashes: a fraction of a second on a phone, a real cost for a flood), and sends it with the report.
 */
export const POW_BITS = 14;
/** How long a challenge may be used, from its issue. */
export const POW_TTL_MS = 15 * 60_000;

/** Number of leading zero bits of a byte string. */
export function leadingZeroBits(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) {
    if (b === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(b) - 24;
  }
  return n;
}

export const powDigest = (challenge: string, nonce: string): Uint8Array =>
  createHash('sha256').update(`${challenge}:${nonce}`).digest();

/** Whether the nonce solves the challenge at the given difficulty. */
export const solvesChallenge = (challenge: string, nonce: string, bits: number): boolean =>
  /^[0-9a-zA-Z]{1,32}$/.test(nonce) && leadingZeroBits(powDigest(challenge, nonce)) >= bits;

/** The challenge's parts: `<issued ms>.<random>.<signature>` (the signature is the caller's business). */
export function challengeParts(
  challenge: string,
): { issuedAt: number; random: string; signature: string; signed: string } | null {
  const m = /^([0-9]{13})\.([0-9a-f]{32})\.([0-9a-f]{64})$/.exec(challenge);
  if (!m) return null;
  return { issuedAt: Number(m[1]), random: m[2]!, signature: m[3]!, signed: `${m[1]}.${m[2]}` };
}

/** A challenge issued at `issuedAt` is fresh at `now` (not from the future, not older than the TTL). */
export const isChallengeFresh = (issuedAt: number, now: Date): boolean =>
  issuedAt <= now.getTime() + 60_000 && now.getTime() - issuedAt <= POW_TTL_MS;

/** For tests and other clients: searches the nonce (2^bits tries on average). */
export function solveChallenge(challenge: string, bits: number): string {
  for (let i = 0; ; i++) {
    const nonce = i.toString(36);
    if (solvesChallenge(challenge, nonce, bits)) return nonce;
  }
}

// ---- nearby -------------------------------------------------------------------------------------------

/**
 * "Already reported nearby": at most this many open cases of the category, within this radius, their
 * distance rounded to `NEARBY_ROUND_M` — enough to recognise one's problem, too little to map cases.
 */
export const NEARBY_RADIUS_M = 150;
export const NEARBY_MAX = 5;
export const NEARBY_ROUND_M = 10;
export const roundDistance = (metres: number): number =>
  Math.max(NEARBY_ROUND_M, Math.round(metres / NEARBY_ROUND_M) * NEARBY_ROUND_M);
