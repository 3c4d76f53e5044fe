import { describe, expect, it } from 'vitest';
import type { Actor, Role, Unit } from '../actor.ts';
import { canImportInto, importScope } from './policy.ts';

const actor = (role: Role, unit: Unit): Actor => ({
  userId: 'u',
  username: 'u',
  displayName: 'u',
  role,
  unit,
});
const street = (code: string): Unit => ({ kind: 'region', level: 'street', code });
const district: Unit = { kind: 'region', level: 'district', code: '310112' };

describe('import policy', () => {
  it('lets district admins import anywhere, with or without a street', () => {
    const admin = actor('admin', district);
    expect(importScope(admin)).toEqual({ kind: 'district' });
    expect(canImportInto(admin, null)).toBe(true);
    expect(canImportInto(admin, '310112006')).toBe(true);
  });

  it('lets a street dispatcher or shift lead import into their own street only', () => {
    for (const role of ['dispatcher', 'shift_lead'] as const) {
      const a = actor(role, street('310112006'));
      expect(canImportInto(a, '310112006')).toBe(true);
      expect(canImportInto(a, '310112007')).toBe(false);
      expect(canImportInto(a, null)).toBe(false);
    }
  });

  it('refuses everybody else', () => {
    const others: Actor[] = [
      actor('dispatcher', district),
      actor('leader', street('310112006')),
      actor('station_operator', { kind: 'region', level: 'committee', code: '310112006001' }),
      actor('patroller', { kind: 'region', level: 'grid', code: '31011200600101' }),
      actor('police', { kind: 'department', id: 'police-310112006' }),
      actor('dept_lead', { kind: 'department', id: 'x' }),
      actor('citizen', { kind: 'none' }),
    ];
    for (const a of others) {
      expect(importScope(a)).toBeNull();
      expect(canImportInto(a, '310112006')).toBe(false);
    }
  });
});
