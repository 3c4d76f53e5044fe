import { describe, expect, it } from 'vitest';
import { validateCreditCode, validateMobile, validateResidentId } from '../core/baseinfo/validate.ts';
import type { AreaGeometry } from '../core/geo/types.ts';
import { DEMO_BASEINFO_DATE, DEMO_ID_REGION, generateDemoBaseInfo } from './base-info.ts';

const box = (w: number, s: number, e: number, n: number): AreaGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});
// six committees side by side, two grids each
const committees = Array.from({ length: 6 }, (_, i) => ({
  code: `310112006${String(i + 1).padStart(3, '0')}`,
  name: `居委会${i + 1}`,
  geometry: box(121.38 + i * 0.01, 31.14, 121.39 + i * 0.01, 31.15),
}));
const grids = committees.flatMap((c, i) =>
  [0, 1].map((j) => ({
    code: `${c.code}0${j + 1}`,
    name: `${c.name}网格${j + 1}`,
    geometry: box(121.38 + i * 0.01 + j * 0.005, 31.14, 121.385 + i * 0.01 + j * 0.005, 31.15),
    parent: c.code,
  })),
);

describe('demo base information', () => {
  const data = generateDemoBaseInfo(committees, grids);

  it('is deterministic', () => {
    const again = generateDemoBaseInfo(committees, grids);
    expect(again.people.slice(0, 50)).toEqual(data.people.slice(0, 50));
    expect(again.addresses.length).toBe(data.addresses.length);
    expect(again.units.map((u) => u.creditCode)).toEqual(data.units.map((u) => u.creditCode));
  });

  it('uses ID numbers no real person can have, which the validator still accepts', () => {
    const residents = data.people.filter((p) => p.idType === 'resident_id');
    expect(residents.length).toBeGreaterThan(100);
    for (const p of residents) {
      expect(p.idNumber.startsWith(DEMO_ID_REGION)).toBe(true);
      expect(validateResidentId(p.idNumber, DEMO_BASEINFO_DATE).ok, p.idNumber).toBe(true);
    }
    expect(new Set(residents.map((p) => p.idNumber)).size).toBe(residents.length);
    for (const p of data.people)
      if (p.phone) expect(validateMobile(p.phone).ok && p.phone.startsWith('140')).toBe(true);
    for (const u of data.units)
      if (u.creditCode) expect(validateCreditCode(u.creditCode).ok, u.creditCode).toBe(true);
  });

  it('places every address inside its committee, with codes unique', () => {
    expect(new Set(data.addresses.map((a) => a.code)).size).toBe(data.addresses.length);
    for (const a of data.addresses) {
      expect(committees.map((c) => c.code)).toContain(a.committee_code);
      expect(a.grid_code?.startsWith(a.committee_code!)).toBe(true);
    }
  });

  it('plants crowded flats, unlicensed catering and clinics, and workshops in residential buildings', () => {
    const occupants = new Map<string, number>();
    for (const p of data.people)
      if (p.dwellingId) occupants.set(p.dwellingId, (occupants.get(p.dwellingId) ?? 0) + 1);
    const dwellings = new Map(data.dwellings.map((d) => [d.id, d]));
    // the generator is deterministic: these six committees hold some of each
    expect(data.anomalies.crowded.length).toBeGreaterThan(0);
    expect(data.anomalies.workshops.length).toBeGreaterThan(0);
    for (const id of data.anomalies.crowded) {
      expect(occupants.get(id)).toBeGreaterThanOrEqual(12);
      expect(dwellings.get(id)!.area_m2).toBeLessThanOrEqual(55);
    }
    const unlicensed = data.units.filter((u) => data.anomalies.unlicensed.includes(u.id));
    expect(
      unlicensed.every((u) => u.licenceStatus === 'none' && ['catering', 'clinic'].includes(u.industry)),
    ).toBe(true);
    expect(unlicensed.some((u) => u.industry === 'catering')).toBe(true);
    for (const id of data.anomalies.workshops) expect(dwellings.get(id)!.use).toBe('workshop');
  });
});
