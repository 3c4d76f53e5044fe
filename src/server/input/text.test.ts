import { describe, expect, it } from 'vitest';
import { isDateKey } from './schemas.ts';
import { findInputFault, isStorableText } from './text.ts';

describe('isStorableText', () => {
  it('refuses NUL and unpaired surrogates, keeps pairs, Chinese and emoji', () => {
    for (const bad of ['\u0000', 'a\u0000', '\ud800', 'x\udc00', '\udc00\ud800', 'ok\ud83c'])
      expect(isStorableText(bad), JSON.stringify(bad)).toBe(false);
    for (const good of ['', '联动', '🏙️', '\ud83c\udfd9', 'tab\tnew\nline', '\u200b'])
      expect(isStorableText(good), JSON.stringify(good)).toBe(true);
  });
});

describe('findInputFault', () => {
  it('names the path of the first bad string, key or number', () => {
    expect(findInputFault({ a: [{ b: 'x\u0000' }] }, '/body')?.path).toBe('/body/a/0/b');
    expect(findInputFault({ 'a/\ud800': 1 }, '/body')?.path).toBe('/body/a~1\ud800');
    expect(findInputFault({ n: Infinity }, '/query', { numbers: true })?.path).toBe('/query/n');
    expect(findInputFault({ n: 1e30 }, '/query', { numbers: true })?.path).toBe('/query/n');
    expect(findInputFault({ n: 1e30 }, '/query')).toBeNull();
    expect(findInputFault({ n: 12.5, s: '群租', b: true, z: null }, '/body', { numbers: true })).toBeNull();
  });

  it('walks a deeply nested value without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}"\\u0000"${']'.repeat(100_000)}`) as unknown;
    expect(findInputFault(deep, '/body')?.message).toMatch(/NUL/);
  });
});

describe('isDateKey', () => {
  it('accepts real dates in the supported years only', () => {
    expect(isDateKey('2028-02-29')).toBe(true);
    for (const bad of ['2026-02-30', '2026-13-01', '0000-01-01', '2026-2-1', '1969-12-31', '2200-01-01'])
      expect(isDateKey(bad), bad).toBe(false);
  });
});
