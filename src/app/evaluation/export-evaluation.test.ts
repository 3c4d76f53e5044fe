import { describe, expect, it } from 'vitest';
import { csvField } from './export-evaluation.ts';

describe('CSV fields', () => {
  it('quotes what needs quoting and neutralises formulas', () => {
    expect(csvField('古美街道')).toBe('古美街道');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"\nbye')).toBe('"say ""hi""\nbye"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1+1')).toBe("'-1+1");
    expect(csvField(-12.5)).toBe('-12.5');
    expect(csvField(null)).toBe('');
  });
});
