import { describe, expect, it } from 'vitest';
import {
  challengeParts,
  isChallengeFresh,
  leadingZeroBits,
  maskPublicContact,
  parsePublicContact,
  POW_TTL_MS,
  roundDistance,
  solveChallenge,
  solvesChallenge,
} from './index.ts';

describe('public contact', () => {
  it('accepts mobile, fixed-line and e-mail contacts, normalised', () => {
    expect(parsePublicContact(' 138 0000 1111 ')).toEqual({ kind: 'phone', value: '13800001111' });
    expect(parsePublicContact('+86 138-0000-1111')).toEqual({ kind: 'phone', value: '13800001111' });
    expect(parsePublicContact('021-64561234')).toEqual({ kind: 'phone', value: '02164561234' });
    expect(parsePublicContact('64561234')).toEqual({ kind: 'phone', value: '64561234' });
    expect(parsePublicContact('Wang.Li@Example.COM')).toEqual({
      kind: 'email',
      value: 'wang.li@example.com',
    });
  });
  it('refuses what is neither', () => {
    for (const bad of [
      '',
      '12345',
      '1380000111',
      '23800001111',
      'wang@',
      '@example.com',
      'a b@c.d',
      'wang@localhost',
      'x'.repeat(300),
    ])
      expect(parsePublicContact(bad), bad).toBeNull();
  });
  it('masks like reporter contacts', () => {
    expect(maskPublicContact({ kind: 'phone', value: '13800001111' })).toBe('138****1111');
    expect(maskPublicContact({ kind: 'phone', value: '64561234' })).toBe('****1234');
    expect(maskPublicContact({ kind: 'email', value: 'wang.li@example.com' })).toBe('w***@example.com');
  });
});

describe('proof of work', () => {
  it('counts leading zero bits', () => {
    expect(leadingZeroBits(Uint8Array.from([0, 0, 0x80]))).toBe(16);
    expect(leadingZeroBits(Uint8Array.from([0, 0x01]))).toBe(15);
    expect(leadingZeroBits(Uint8Array.from([0xff]))).toBe(0);
    expect(leadingZeroBits(Uint8Array.from([0, 0]))).toBe(16);
  });
  it('a solved challenge verifies at its difficulty, not at a harder one', () => {
    const challenge = `1764640000000.${'a'.repeat(32)}.${'b'.repeat(64)}`;
    const nonce = solveChallenge(challenge, 8);
    expect(solvesChallenge(challenge, nonce, 8)).toBe(true);
    // another challenge: the same nonce is (almost surely) no solution at 8 bits; never at 64
    expect(solvesChallenge(challenge, nonce, 64)).toBe(false);
    expect(solvesChallenge(challenge, 'not a nonce!', 0)).toBe(false);
  });
  it('parses challenges and checks their age', () => {
    const issued = Date.parse('2026-03-02T08:00:00Z');
    const parts = challengeParts(`${issued}.${'0'.repeat(32)}.${'f'.repeat(64)}`);
    expect(parts?.issuedAt).toBe(issued);
    expect(challengeParts('123.abc.def')).toBeNull();
    expect(isChallengeFresh(issued, new Date(issued + 1000))).toBe(true);
    expect(isChallengeFresh(issued, new Date(issued + POW_TTL_MS + 1))).toBe(false);
    expect(isChallengeFresh(issued, new Date(issued - 120_000))).toBe(false);
  });
});

describe('nearby', () => {
  it('rounds distances to 10 m, never to zero', () => {
    expect(roundDistance(3)).toBe(10);
    expect(roundDistance(44)).toBe(40);
    expect(roundDistance(146)).toBe(150);
  });
});
