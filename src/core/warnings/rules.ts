import { latLngToCell } from 'h3-js';
import { MS_PER_DAY } from '../calendar/time.ts';
import { distanceMetres } from '../geo/crs.ts';
import type { WarningPolicy } from './policy.ts';
import { poissonUpperTail } from './poisson.ts';

/** The rules (预警规则); each draft names one. */
export const WARNING_RULES = [
  'recurrence', // 同类案件重复发生
  'hotspot', // 热点
  'group_renting', // 疑似群租
  'unlicensed_business', // 疑似无证经营
  'illegal_medical', // 疑似非法行医
  'repeated_disputes', // 矛盾纠纷反复
  'stability_signal', // 不稳定因素苗头
] as const;
export type WarningRule = (typeof WARNING_RULES)[number];

/** A case as the rules see it (the app reads only the window the policy needs). */
export interface WarningCase {
  id: string;
  categoryCode: string | null;
  /** the category is stability/dispute information (矛盾纠纷, 不稳定因素) */
  stability: boolean;
  lat: number;
  lon: number;
  addressId: string | null;
  reportedAt: Date;
}

export interface WarningDwelling {
  id: string;
  addressId: string;
  lat: number;
  lon: number;
  areaM2: number | null;
  /** registered occupants present (status 'present') */
  occupants: number;
}

export interface WarningUnit {
  id: string;
  addressId: string | null;
  lat: number | null;
  lon: number | null;
  industry: string;
  licenceStatus: 'valid' | 'expired' | 'none' | 'revoked';
  /** 'YYYY-MM-DD' or null */
  licenceExpiresOn: string | null;
  status: 'active' | 'closed';
}

/** What a rule found: the app adds the owning centre (from the place) and stores it once. */
export interface WarningDraft {
  rule: WarningRule;
  /** The same situation has the same key; an open warning with this key is not raised again. */
  dedupKey: string;
  /** The category the rule was about (recurrence), else null. */
  categoryCode: string | null;
  caseIds: string[];
  /** base-information records: 'dwelling:<id>' / 'unit:<id>' */
  recordIds: string[];
  lat: number;
  lon: number;
  addressId: string | null;
  /** rule-specific figures for the UI (counts, p-value, baseline…) */
  facts: Record<string, number | string>;
}

/** The H3 cell a point lies in at a resolution (hot spots, and the key of spatial clusters). */
export const cellOf = (lat: number, lon: number, resolution: number): string =>
  latLngToCell(lat, lon, resolution);

const inWindow = (c: WarningCase, now: Date, days: number) =>
  c.reportedAt.getTime() <= now.getTime() && c.reportedAt.getTime() > now.getTime() - days * MS_PER_DAY;

const byTimeThenId = (a: WarningCase, b: WarningCase) =>
  a.reportedAt.getTime() - b.reportedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Greedy spatial clusters: the cases (oldest first) each take every not-yet-taken case within
 * `radius` metres of them (a case exactly at the radius counts); a cluster of at least `min` is kept.
 * The seed is the oldest case, so the key (the seed's H3 cell) is stable while the cluster lasts.
 *
 * Scale: the cases are bucketed in a grid of cells at least `radius` wide (degrees, sized for the
 * highest latitude in the input), so a seed compares only with the cases of its 3×3 neighbourhood —
 * O(n·k) for k cases per neighbourhood instead of O(n²), with exactly the result of comparing all pairs.
 */
export function clusters(cases: WarningCase[], radius: number, min: number): WarningCase[][] {
  const sorted = [...cases].sort(byTimeThenId);
  if (sorted.length < min) return [];
  // 110 km per degree is less than a degree of latitude (≈111.2 km): cells are never narrower than the radius
  const maxLat = Math.min(89, Math.max(...sorted.map((c) => Math.abs(c.lat))));
  const cellLat = Math.max(radius, 1) / 110_000;
  const cellLon = cellLat / Math.cos((maxLat * Math.PI) / 180);
  const key = (x: number, y: number) => `${x}:${y}`;
  const grid = new Map<string, number[]>();
  const cellOfCase = sorted.map((c, i) => {
    const x = Math.floor(c.lon / cellLon);
    const y = Math.floor(c.lat / cellLat);
    const k = key(x, y);
    const bucket = grid.get(k);
    if (bucket) bucket.push(i);
    else grid.set(k, [i]);
    return [x, y] as const;
  });
  const taken = new Uint8Array(sorted.length);
  const found: WarningCase[][] = [];
  for (let s = 0; s < sorted.length; s++) {
    if (taken[s]) continue;
    const seed = sorted[s]!;
    const [x, y] = cellOfCase[s]!;
    const near: number[] = [];
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (const i of grid.get(key(x + dx, y + dy)) ?? []) {
          const c = sorted[i]!;
          // on the boundary counts (to the centimetre)
          if (!taken[i] && distanceMetres([seed.lon, seed.lat], [c.lon, c.lat]) <= radius + 0.01)
            near.push(i);
        }
    if (near.length < min) continue;
    near.sort((a, b) => a - b);
    for (const i of near) taken[i] = 1;
    found.push(near.map((i) => sorted[i]!));
  }
  return found;
}

const centre = (members: WarningCase[]) => ({
  lat: members.reduce((s, c) => s + c.lat, 0) / members.length,
  lon: members.reduce((s, c) => s + c.lon, 0) / members.length,
});

const ids = (members: { id: string }[]) => members.map((m) => m.id).sort();

/** 同类重复: ≥ k cases of one category within r metres within t days. */
export function recurrenceWarnings(cases: WarningCase[], now: Date, p: WarningPolicy): WarningDraft[] {
  const byCategory = new Map<string, WarningCase[]>();
  for (const c of cases) {
    if (!c.categoryCode || !inWindow(c, now, p.recurrenceDays)) continue;
    const list = byCategory.get(c.categoryCode);
    if (list) list.push(c);
    else byCategory.set(c.categoryCode, [c]);
  }
  const drafts: WarningDraft[] = [];
  for (const [category, list] of [...byCategory].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const members of clusters(list, p.recurrenceRadiusM, p.recurrenceMinCases)) {
      const seed = members[0]!;
      drafts.push({
        rule: 'recurrence',
        dedupKey: `recurrence:${category}:${cellOf(seed.lat, seed.lon, 9)}`,
        categoryCode: category,
        caseIds: ids(members),
        recordIds: [],
        ...centre(members),
        addressId: seed.addressId,
        facts: { cases: members.length, days: p.recurrenceDays, radiusM: p.recurrenceRadiusM },
      });
    }
  }
  return drafts;
}

/**
 * 热点: an H3 cell whose count in the last 7 days is at least `hotspotMinCount` and improbable under
 * its own trailing baseline: P(X ≥ count | λ) < alpha with X ~ Poisson(λ), λ = max(mean weekly count
 * of the cell over the `hotspotBaselineWeeks` weeks before, `hotspotMinBaseline`).
 */
export function hotspotWarnings(cases: WarningCase[], now: Date, p: WarningPolicy): WarningDraft[] {
  const week = 7 * MS_PER_DAY;
  const start = now.getTime() - week;
  const baselineStart = start - p.hotspotBaselineWeeks * week;
  const cells = new Map<string, { current: WarningCase[]; baseline: number }>();
  for (const c of cases) {
    const t = c.reportedAt.getTime();
    if (t > now.getTime() || t <= baselineStart) continue;
    const cell = cellOf(c.lat, c.lon, p.hotspotResolution);
    const entry = cells.get(cell) ?? { current: [], baseline: 0 };
    if (t > start) entry.current.push(c);
    else entry.baseline++;
    cells.set(cell, entry);
  }
  const drafts: WarningDraft[] = [];
  for (const [cell, { current, baseline }] of [...cells].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (current.length < p.hotspotMinCount) continue;
    const lambda = Math.max(baseline / p.hotspotBaselineWeeks, p.hotspotMinBaseline);
    const pValue = poissonUpperTail(current.length, lambda);
    if (!(pValue < p.hotspotAlpha)) continue;
    drafts.push({
      rule: 'hotspot',
      dedupKey: `hotspot:${cell}`,
      categoryCode: null,
      caseIds: ids(current),
      recordIds: [],
      ...centre(current),
      addressId: null,
      facts: { cell, count: current.length, baseline: Math.round(lambda * 100) / 100, pValue },
    });
  }
  return drafts;
}

/** 疑似群租: too many registered occupants for one dwelling, or too little area per occupant. */
export function groupRentingWarnings(dwellings: WarningDwelling[], p: WarningPolicy): WarningDraft[] {
  const drafts: WarningDraft[] = [];
  for (const d of dwellings) {
    const tooMany = d.occupants >= p.groupRentingOccupants;
    const perPerson = d.areaM2 !== null && d.occupants > 0 ? d.areaM2 / d.occupants : null;
    const tooSmall = perPerson !== null && d.occupants >= 2 && perPerson < p.groupRentingMinAreaPerPersonM2;
    if (!tooMany && !tooSmall) continue;
    drafts.push({
      rule: 'group_renting',
      dedupKey: `group_renting:${d.id}`,
      categoryCode: null,
      caseIds: [],
      recordIds: [`dwelling:${d.id}`],
      lat: d.lat,
      lon: d.lon,
      addressId: d.addressId,
      facts: {
        occupants: d.occupants,
        ...(perPerson !== null ? { areaPerPersonM2: Math.round(perPerson * 10) / 10 } : {}),
      },
    });
  }
  return drafts.sort((a, b) => (a.dedupKey < b.dedupKey ? -1 : 1));
}

/** Industries that need a licence the rule checks, and the warning each raises without one. */
const LICENSED: Record<string, WarningRule> = {
  catering: 'unlicensed_business',
  food_workshop: 'unlicensed_business',
  clinic: 'illegal_medical',
};

/** A licence is valid when its status says so and it has not expired before `today` (it is valid on its last day). */
export const licenceValid = (
  u: Pick<WarningUnit, 'licenceStatus' | 'licenceExpiresOn'>,
  today: string,
): boolean => u.licenceStatus === 'valid' && (u.licenceExpiresOn === null || u.licenceExpiresOn >= today);

/** 疑似无证经营 / 疑似非法行医: an active catering, food-workshop or clinic unit without a valid licence. */
export function licenceWarnings(units: WarningUnit[], today: string): WarningDraft[] {
  const drafts: WarningDraft[] = [];
  for (const u of units) {
    const rule = LICENSED[u.industry];
    if (!rule || u.status !== 'active' || licenceValid(u, today) || u.lat === null || u.lon === null)
      continue;
    drafts.push({
      rule,
      dedupKey: `${rule}:${u.id}`,
      categoryCode: null,
      caseIds: [],
      recordIds: [`unit:${u.id}`],
      lat: u.lat,
      lon: u.lon,
      addressId: u.addressId,
      facts: { industry: u.industry, licence: u.licenceStatus === 'valid' ? 'expired' : u.licenceStatus },
    });
  }
  return drafts.sort((a, b) => (a.dedupKey < b.dedupKey ? -1 : 1));
}

/** 矛盾纠纷反复: ≥ n dispute/stability cases at one standard address within the window. */
export function repeatedDisputeWarnings(cases: WarningCase[], now: Date, p: WarningPolicy): WarningDraft[] {
  const byAddress = new Map<string, WarningCase[]>();
  for (const c of cases) {
    if (!c.stability || !c.addressId || !inWindow(c, now, p.disputeDays)) continue;
    const list = byAddress.get(c.addressId);
    if (list) list.push(c);
    else byAddress.set(c.addressId, [c]);
  }
  const drafts: WarningDraft[] = [];
  for (const [addressId, list] of [...byAddress].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (list.length < p.disputeMinCases) continue;
    drafts.push({
      rule: 'repeated_disputes',
      dedupKey: `repeated_disputes:${addressId}`,
      categoryCode: null,
      caseIds: ids(list),
      recordIds: [],
      ...centre(list),
      addressId,
      facts: { cases: list.length, days: p.disputeDays },
    });
  }
  return drafts;
}

/** 不稳定因素苗头: several dispute/stability reports about one place (within r metres) within days. */
export function stabilityWarnings(cases: WarningCase[], now: Date, p: WarningPolicy): WarningDraft[] {
  const recent = cases.filter((c) => c.stability && inWindow(c, now, p.stabilityDays));
  return clusters(recent, p.stabilityRadiusM, p.stabilityMinCases).map((members) => {
    const seed = members[0]!;
    return {
      rule: 'stability_signal' as const,
      dedupKey: `stability_signal:${cellOf(seed.lat, seed.lon, 9)}`,
      categoryCode: null,
      caseIds: ids(members),
      recordIds: [],
      ...centre(members),
      addressId: seed.addressId,
      facts: { cases: members.length, days: p.stabilityDays, radiusM: p.stabilityRadiusM },
    };
  });
}

/** An open warning as the dedup check sees it. */
export interface OpenWarning {
  rule: WarningRule;
  dedupKey: string;
  categoryCode: string | null;
  caseIds: string[];
  recordIds: string[];
}

/**
 * The same situation is not warned twice while a warning is open: a draft is dropped when an open
 * warning has its key, or has the same rule (and category) and shares a piece of evidence with it
 * (a cluster whose oldest case left the window has a new key but is the same situation). Drafts of
 * one run that overlap are deduplicated the same way, first one wins.
 */
export function newWarnings(drafts: WarningDraft[], open: OpenWarning[]): WarningDraft[] {
  // indexed: a key, and each piece of evidence under its rule and category (O(evidence), not O(open²))
  const keys = new Set<string>();
  const evidence = new Set<string>();
  const scoped = (w: { rule: string; categoryCode: string | null }, e: string) =>
    `${w.rule}\u0000${w.categoryCode ?? ''}\u0000${e}`;
  const keep = (w: OpenWarning) => {
    keys.add(w.dedupKey);
    for (const e of [...w.caseIds, ...w.recordIds]) evidence.add(scoped(w, e));
  };
  for (const o of open) keep(o);
  const result: WarningDraft[] = [];
  for (const d of drafts) {
    const duplicate =
      keys.has(d.dedupKey) || [...d.caseIds, ...d.recordIds].some((e) => evidence.has(scoped(d, e)));
    if (duplicate) continue;
    keep(d);
    result.push(d);
  }
  return result;
}

export interface WarningInputs {
  cases: WarningCase[];
  dwellings: WarningDwelling[];
  units: WarningUnit[];
  now: Date;
  /** today in Asia/Shanghai ('YYYY-MM-DD') */
  today: string;
}

/** Every rule over the inputs, in a fixed order (deterministic output). */
export function evaluateWarnings(inputs: WarningInputs, p: WarningPolicy): WarningDraft[] {
  return [
    ...recurrenceWarnings(inputs.cases, inputs.now, p),
    ...hotspotWarnings(inputs.cases, inputs.now, p),
    ...groupRentingWarnings(inputs.dwellings, p),
    ...licenceWarnings(inputs.units, inputs.today),
    ...repeatedDisputeWarnings(inputs.cases, inputs.now, p),
    ...stabilityWarnings(inputs.cases, inputs.now, p),
  ];
}

/** How far back the app must read cases for the rules (days). */
export const caseWindowDays = (p: WarningPolicy): number =>
  Math.max(p.recurrenceDays, 7 * (p.hotspotBaselineWeeks + 1), p.disputeDays, p.stabilityDays);
