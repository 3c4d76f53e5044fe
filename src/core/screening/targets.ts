import { DWELLING_USES, INDUSTRIES } from '../baseinfo/types.ts';
import { THEMES, type ScreeningTheme, type TargetKind, type TargetRuleSpec } from './themes.ts';

/** Where a target is: the region codes of its standard address. */
export interface TargetPlace {
  streetCode: string;
  committeeCode: string | null;
  gridCode: string | null;
}

export interface DwellingFacts extends TargetPlace {
  id: string;
  addressId: string;
  use: string;
  occupancy: string;
  /** registered occupants present (base_people) */
  registered: number;
  /** counted on the last visit, if any */
  counted: number | null;
  lon: number | null;
  lat: number | null;
}

export interface UnitFacts extends TargetPlace {
  id: string;
  addressId: string;
  industry: string;
  licenceStatus: string;
  licenceExpiresOn: string | null;
  status: string;
  lon: number | null;
  lat: number | null;
}

export interface Target extends TargetPlace {
  kind: TargetKind;
  id: string;
  addressId: string;
  lon: number | null;
  lat: number | null;
  /** why it matched, e.g. { occupants: 7 } */
  facts: Record<string, number | string>;
}

export interface RuleProblem {
  path: string;
  message: string;
}

/** A campaign's target rule checked against its theme: the rule must be one of the theme's, parameters in range. */
export function validateTargetRule(theme: ScreeningTheme, spec: TargetRuleSpec): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (!THEMES[theme].rules.includes(spec.rule))
    problems.push({ path: '/target/rule', message: `not a rule of the theme ${theme}` });
  if (spec.rule === 'rented_dwellings') {
    const n = spec.minOccupants;
    if (n === undefined || !Number.isInteger(n) || n < 1 || n > 100)
      problems.push({ path: '/target/minOccupants', message: 'a whole number from 1 to 100' });
  }
  if (spec.rule === 'licence_invalid' || spec.rule === 'units_by_industry') {
    const list = spec.industries ?? [];
    if (list.length === 0) problems.push({ path: '/target/industries', message: 'at least one industry' });
    for (const i of list as readonly string[])
      if (!(INDUSTRIES as readonly string[]).includes(i))
        problems.push({ path: '/target/industries', message: `unknown industry ${i}` });
  }
  if (spec.rule === 'dwellings_by_use') {
    const list = spec.uses ?? [];
    if (list.length === 0) problems.push({ path: '/target/uses', message: 'at least one use' });
    for (const u of list as readonly string[])
      if (!(DWELLING_USES as readonly string[]).includes(u))
        problems.push({ path: '/target/uses', message: `unknown use ${u}` });
  }
  return problems;
}

/** Whether a place lies in the campaign's territory (region codes: street, committee or grid). */
export const inTerritory = (territory: readonly string[], p: TargetPlace): boolean => {
  const place = p.gridCode ?? p.committeeCode ?? p.streetCode;
  return territory.some((code) => code.length > 0 && place.startsWith(code));
};

/**
 * A licence is valid on `today` when its status is valid and it has not expired: an expiry date before
 * today makes it invalid, the expiry day itself still counts as valid.
 */
export const licenceValid = (
  u: Pick<UnitFacts, 'licenceStatus' | 'licenceExpiresOn'>,
  today: string,
): boolean => u.licenceStatus === 'valid' && (u.licenceExpiresOn === null || u.licenceExpiresOn >= today);

/**
 * The targets of a rule over the base information in the territory (pure; `today` is a Beijing date key).
 * - rented_dwellings: rented dwellings whose occupants — the larger of registered and last counted —
 *   are at least minOccupants (a count below that threshold does not match);
 * - licence_invalid: active businesses of the industries whose licence is not valid today;
 * - units_by_industry: active businesses of the industries;
 * - dwellings_by_use: dwellings of the uses;
 * - all_addresses: every dwelling and every active business.
 * Sorted by kind and id, so generation is deterministic.
 */
export function selectTargets(
  spec: TargetRuleSpec,
  territory: readonly string[],
  data: { dwellings: readonly DwellingFacts[]; units: readonly UnitFacts[] },
  today: string,
): Target[] {
  const out: Target[] = [];
  const dwelling = (d: DwellingFacts, facts: Target['facts']): Target => ({
    kind: 'dwelling',
    id: d.id,
    addressId: d.addressId,
    streetCode: d.streetCode,
    committeeCode: d.committeeCode,
    gridCode: d.gridCode,
    lon: d.lon,
    lat: d.lat,
    facts,
  });
  const unit = (u: UnitFacts, facts: Target['facts']): Target => ({
    kind: 'unit',
    id: u.id,
    addressId: u.addressId,
    streetCode: u.streetCode,
    committeeCode: u.committeeCode,
    gridCode: u.gridCode,
    lon: u.lon,
    lat: u.lat,
    facts,
  });
  const dwellings = data.dwellings.filter((d) => inTerritory(territory, d));
  const units = data.units.filter((u) => inTerritory(territory, u) && u.status === 'active');
  switch (spec.rule) {
    case 'rented_dwellings': {
      const min = spec.minOccupants ?? 1;
      for (const d of dwellings) {
        const occupants = Math.max(d.registered, d.counted ?? 0);
        if (d.occupancy === 'rented' && occupants >= min) out.push(dwelling(d, { occupants }));
      }
      break;
    }
    case 'licence_invalid':
      for (const u of units)
        if (
          ((spec.industries as readonly string[] | undefined) ?? []).includes(u.industry) &&
          !licenceValid(u, today)
        )
          out.push(unit(u, { licence: u.licenceStatus, expires: u.licenceExpiresOn ?? '' }));
      break;
    case 'units_by_industry':
      for (const u of units)
        if (((spec.industries as readonly string[] | undefined) ?? []).includes(u.industry))
          out.push(unit(u, { industry: u.industry }));
      break;
    case 'dwellings_by_use':
      for (const d of dwellings)
        if (((spec.uses as readonly string[] | undefined) ?? []).includes(d.use))
          out.push(dwelling(d, { use: d.use }));
      break;
    case 'all_addresses':
      for (const d of dwellings) out.push(dwelling(d, {}));
      for (const u of units) out.push(unit(u, {}));
      break;
  }
  return out.sort((a, b) =>
    a.kind === b.kind ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.kind < b.kind ? -1 : 1,
  );
}

export const targetKey = (t: { kind: TargetKind; id: string }): string => `${t.kind}:${t.id}`;

/** A target's standing against the previous round. */
export type RoundStanding = 'new' | 'again' | 'again_after_problem';

export interface RoundComparison {
  /** targets of this round */
  targets: number;
  /** not in the previous round */
  added: number;
  /** in both rounds */
  continuing: number;
  /** in both, and the previous round found a problem there */
  problemStillMatching: number;
  /** in the previous round, no longer matching the rule */
  dropped: number;
  /** per target key of this round */
  standing: Map<string, RoundStanding>;
}

/**
 * The next round regenerates tasks for the targets still matching; this compares it with the last round
 * (by target key: kind and record id). `previous` maps each previous target's key to its task status.
 */
export function compareRounds(
  current: readonly { kind: TargetKind; id: string }[],
  previous: ReadonlyMap<string, string>,
): RoundComparison {
  const standing = new Map<string, RoundStanding>();
  let continuing = 0;
  let problemStillMatching = 0;
  for (const t of current) {
    const key = targetKey(t);
    const before = previous.get(key);
    if (before === undefined) standing.set(key, 'new');
    else {
      continuing++;
      if (before === 'problem_found') {
        problemStillMatching++;
        standing.set(key, 'again_after_problem');
      } else standing.set(key, 'again');
    }
  }
  const currentKeys = new Set(current.map(targetKey));
  const dropped = [...previous.keys()].filter((k) => !currentKeys.has(k)).length;
  return {
    targets: current.length,
    added: current.length - continuing,
    continuing,
    problemStillMatching,
    dropped,
    standing,
  };
}
