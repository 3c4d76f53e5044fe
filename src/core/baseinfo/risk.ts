import { LICENSED_INDUSTRIES, type DwellingUse, type Industry, type LicenceStatus } from './types.ts';

/**
 * Risk flags of the base information (issue 12 §8, the map layers; the early warnings build on them):
 * what a centre looks for before anyone complains. Pure; one place for the thresholds.
 */

/**
 * 群租 (group renting): fewer square metres per registered occupant than this. Shanghai's rule on
 * rented housing (上海市居住房屋租赁管理办法) sets at least 5 m² of living area per person.
 */
export const CROWDED_M2_PER_PERSON = 5;

export const DWELLING_RISKS = ['crowded', 'workshop_in_residential'] as const;
export type DwellingRisk = (typeof DWELLING_RISKS)[number];

export const UNIT_RISKS = ['unlicensed'] as const;
export type UnitRisk = (typeof UNIT_RISKS)[number];

export interface DwellingFacts {
  use: DwellingUse;
  areaM2: number | null;
  /** Registered occupants present; null when the viewer may not count people. */
  occupants: number | null;
  /** Residential dwellings in the same building (siblings under the same parent address). */
  residentialNeighbours: number;
}

/** The risk flags of one dwelling: crowded (群租) and a workshop inside a residential building (住改工). */
export function dwellingRisks(d: DwellingFacts): DwellingRisk[] {
  const risks: DwellingRisk[] = [];
  if (
    d.use === 'residential' &&
    d.occupants !== null &&
    d.occupants > 0 &&
    d.areaM2 !== null &&
    d.areaM2 > 0 &&
    d.areaM2 / d.occupants < CROWDED_M2_PER_PERSON
  )
    risks.push('crowded');
  if (d.use === 'workshop' && d.residentialNeighbours > 0) risks.push('workshop_in_residential');
  return risks;
}

/** The risk flags of one unit: a licensed trade (`LICENSED_INDUSTRIES`) without a valid licence (无证经营). */
export function unitRisks(u: { industry: Industry; licenceStatus: LicenceStatus }): UnitRisk[] {
  return LICENSED_INDUSTRIES.has(u.industry) && u.licenceStatus !== 'valid' ? ['unlicensed'] : [];
}
