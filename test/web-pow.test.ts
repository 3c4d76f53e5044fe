import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { solvesChallenge } from '../src/core/public/index.ts';
import { sha256FirstWord, solveChallenge } from '../web/src/lib/pow.ts';

/** The browser's proof of work (web/src/lib/pow.ts, plain-JS SHA-256) agrees with the server's check. */
describe('web proof of work', () => {
  it('hashes like node:crypto, for short and multi-block inputs, ASCII and not', () => {
    for (const text of [
      '',
      'abc',
      'x'.repeat(55),
      'y'.repeat(56),
      'z'.repeat(64),
      'w'.repeat(200),
      '中文:1',
    ]) {
      expect(sha256FirstWord(text), text).toBe(createHash('sha256').update(text).digest().readUInt32BE(0));
    }
  });
  it('finds nonces the server accepts', async () => {
    const challenge = `1764640000000.${'a'.repeat(32)}.${'b'.repeat(64)}`;
    const nonce = await solveChallenge(challenge, 10);
    expect(solvesChallenge(challenge, nonce, 10)).toBe(true);
  });
});
