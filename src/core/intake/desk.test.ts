import { describe, expect, it } from 'vitest';
import type { Actor } from '../actor.ts';
import { mayMergeAtDesk, mayUseDesk } from './desk.ts';

const GUMEI = '310112006';
const actor = (role: Actor['role'], unit: Actor['unit']): Pick<Actor, 'role' | 'unit'> => ({ role, unit });
const street = { kind: 'region', level: 'street', code: GUMEI } as const;
const district = { kind: 'region', level: 'district', code: '310112' } as const;

describe('the intake desk', () => {
  it('is for the dispatchers and shift leads of a centre', () => {
    expect(mayUseDesk(actor('dispatcher', street))).toBe(true);
    expect(mayUseDesk(actor('shift_lead', district))).toBe(true);
    expect(mayUseDesk(actor('patroller', street))).toBe(false);
    expect(mayUseDesk(actor('citizen', { kind: 'none' }))).toBe(false);
    expect(mayUseDesk(actor('dispatcher', { kind: 'none' }))).toBe(false);
  });

  it('merges at once only at the desk of the street the report lies in', () => {
    expect(mayMergeAtDesk(actor('dispatcher', street), GUMEI)).toBe(true);
    expect(mayMergeAtDesk(actor('dispatcher', street), '310112005')).toBe(false);
    expect(mayMergeAtDesk(actor('dispatcher', district), GUMEI)).toBe(false);
    expect(mayMergeAtDesk(actor('dispatcher', street), null)).toBe(false);
  });
});
