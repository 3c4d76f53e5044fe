import { describe, expect, it } from 'vitest';
import type { Actor, Role, Unit } from '../actor.ts';
import { baseInfoAccess, placeInRegions, placeOfAddress } from './base-info.ts';

const actor = (role: Role, unit: Unit): Actor => ({
  userId: 'u',
  username: 'u',
  displayName: 'u',
  role,
  unit,
});
const grid = (code: string): Unit => ({ kind: 'region', level: 'grid', code });
const region = (level: 'district' | 'street' | 'committee', code: string): Unit => ({
  kind: 'region',
  level,
  code,
});
const dept: Unit = { kind: 'department', id: 'd' };

describe('base information access (一标三实 slices)', () => {
  it('grid staff see addresses, dwellings and masked people in their grid, and may not unmask', () => {
    const a = baseInfoAccess(actor('patroller', grid('31011200600101')), null);
    expect(a.regions).toEqual(['31011200600101']);
    expect(a.slice).toMatchObject({
      addresses: true,
      dwellings: true,
      people: 'masked',
      units: 'basic',
      unmaskPeople: false,
    });
  });
  it('the community police see households of their coverage and may unmask a person', () => {
    const a = baseInfoAccess(actor('police', dept), {
      type: 'police',
      coverage: ['310112006001', '310112006002'],
    });
    expect(a.regions).toEqual(['310112006001', '310112006002']);
    expect(a.slice).toMatchObject({ people: 'household', unmaskPeople: true, unmaskUnits: false });
  });
  it('market regulation sees units and licences, no people; housing sees dwellings and counts', () => {
    expect(
      baseInfoAccess(actor('dept_handler', dept), { type: 'market_regulation', coverage: ['310112006'] })
        .slice,
    ).toMatchObject({
      people: 'none',
      units: 'licences',
      unmaskUnits: true,
      dwellings: false,
    });
    expect(
      baseInfoAccess(actor('dept_lead', dept), { type: 'housing', coverage: ['310112006'] }).slice,
    ).toMatchObject({
      people: 'count',
      units: 'none',
      dwellings: true,
    });
  });
  it('a non-police role in a police department, an unknown department type, and a missing department', () => {
    expect(
      baseInfoAccess(actor('dept_handler', dept), { type: 'police', coverage: ['310112006'] }).slice.people,
    ).toBe('none');
    expect(
      baseInfoAccess(actor('dept_handler', dept), { type: 'greening', coverage: ['310112'] }).slice,
    ).toMatchObject({
      addresses: true,
      dwellings: false,
      people: 'none',
      units: 'none',
    });
    expect(baseInfoAccess(actor('police', dept), null)).toMatchObject({
      regions: [],
      slice: { addresses: false },
    });
  });
  it('citizens and roles bound to the wrong kind of unit see nothing', () => {
    expect(baseInfoAccess(actor('citizen', { kind: 'none' }), null).regions).toEqual([]);
    expect(baseInfoAccess(actor('dispatcher', dept), null).regions).toEqual([]);
  });
  it('admins and leaders see what the tables hold but never unmask', () => {
    for (const role of ['admin', 'leader'] as const) {
      const a = baseInfoAccess(actor(role, region('district', '310112')), null);
      expect(a.slice).toMatchObject({ people: 'masked', unmaskPeople: false, unmaskUnits: false });
    }
  });
  it('places nest by code prefix', () => {
    const place = placeOfAddress({
      grid_code: null,
      committee_code: '310112006001',
      street_code: '310112006',
    });
    expect(place).toBe('310112006001');
    expect(placeInRegions(['310112006'], place)).toBe(true);
    expect(placeInRegions(['310112'], place)).toBe(true);
    expect(placeInRegions(['31011200600101'], place)).toBe(false);
    expect(placeInRegions(['310112008'], place)).toBe(false);
    expect(placeInRegions([''], place)).toBe(false);
    expect(placeInRegions([], place)).toBe(false);
  });
});
