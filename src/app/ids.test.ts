import { describe, expect, it } from 'vitest';
import { newRecordId } from './ids.ts';

describe('record keys', () => {
  it('are UUIDv7: time first, so each new key sorts after the ones before it', () => {
    const ids = Array.from({ length: 2000 }, newRecordId);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
