import { describe, expect, it } from 'vitest';
import { CROWDED_M2_PER_PERSON, dwellingRisks, unitRisks } from './risk.ts';

const flat = { use: 'residential' as const, areaM2: 50, occupants: 3, residentialNeighbours: 0 };

describe('dwelling risks', () => {
  it('flags 群租 below the area per person, not at it', () => {
    expect(dwellingRisks(flat)).toEqual([]);
    expect(dwellingRisks({ ...flat, occupants: 50 / CROWDED_M2_PER_PERSON })).toEqual([]);
    expect(dwellingRisks({ ...flat, occupants: 11 })).toEqual(['crowded']);
  });
  it('does not guess without an area, occupants or a residential use', () => {
    expect(dwellingRisks({ ...flat, areaM2: null, occupants: 30 })).toEqual([]);
    expect(dwellingRisks({ ...flat, areaM2: 0, occupants: 30 })).toEqual([]);
    expect(dwellingRisks({ ...flat, occupants: null })).toEqual([]);
    expect(dwellingRisks({ ...flat, occupants: 0 })).toEqual([]);
    expect(dwellingRisks({ ...flat, use: 'office', occupants: 30 })).toEqual([]);
  });
  it('flags a workshop only inside a building with homes', () => {
    expect(dwellingRisks({ ...flat, use: 'workshop', residentialNeighbours: 1 })).toEqual([
      'workshop_in_residential',
    ]);
    expect(dwellingRisks({ ...flat, use: 'workshop', residentialNeighbours: 0 })).toEqual([]);
  });
});

describe('unit risks', () => {
  it('flags licensed trades without a valid licence only', () => {
    expect(unitRisks({ industry: 'catering', licenceStatus: 'none' })).toEqual(['unlicensed']);
    expect(unitRisks({ industry: 'clinic', licenceStatus: 'expired' })).toEqual(['unlicensed']);
    expect(unitRisks({ industry: 'clinic', licenceStatus: 'revoked' })).toEqual(['unlicensed']);
    expect(unitRisks({ industry: 'catering', licenceStatus: 'valid' })).toEqual([]);
    expect(unitRisks({ industry: 'retail', licenceStatus: 'none' })).toEqual([]);
  });
});
