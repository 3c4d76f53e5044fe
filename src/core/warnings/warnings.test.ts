import { describe, expect, it } from 'vitest';
import { MS_PER_DAY } from '../calendar/time.ts';
import { distanceMetres } from '../geo/crs.ts';
import {
  clusters,
  DEFAULT_WARNING_POLICY as P,
  evaluateWarnings,
  groupRentingWarnings,
  hotspotWarnings,
  licenceValid,
  licenceWarnings,
  newWarnings,
  nextWarningState,
  parseWarningPolicy,
  poissonUpperTail,
  recurrenceWarnings,
  repeatedDisputeWarnings,
  stabilityWarnings,
  warningActions,
  type WarningCase,
  type WarningDwelling,
  type WarningUnit,
} from './index.ts';

const NOW = new Date('2026-03-20T04:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * MS_PER_DAY);
// 1 m north ≈ 1 / 111_195 ° of latitude
const north = (m: number) => 31.15 + m / 111_195;
let n = 0;
const kase = (over: Partial<WarningCase> & { m?: number; ago?: number } = {}): WarningCase => ({
  id: over.id ?? `c${String(++n).padStart(4, '0')}`,
  categoryCode: over.categoryCode === undefined ? '0101' : over.categoryCode,
  stability: over.stability ?? false,
  lat: over.lat ?? north(over.m ?? 0),
  lon: over.lon ?? 121.38,
  addressId: over.addressId ?? null,
  reportedAt: over.reportedAt ?? daysAgo(over.ago ?? 1),
});

describe('parseWarningPolicy', () => {
  it('keeps valid values, rounds counts and defaults the rest', () => {
    const p = parseWarningPolicy({ recurrenceMinCases: 4.4, hotspotAlpha: 2, recurrenceRadiusM: 'x' });
    expect(p.recurrenceMinCases).toBe(4);
    expect(p.hotspotAlpha).toBe(P.hotspotAlpha);
    expect(p.recurrenceRadiusM).toBe(P.recurrenceRadiusM);
    expect(parseWarningPolicy(null)).toEqual(P);
  });
});

describe('recurrence', () => {
  it('warns at k cases of one category within r metres in t days, not below', () => {
    const two = [kase({ m: 0 }), kase({ m: 50 })];
    expect(recurrenceWarnings(two, NOW, P)).toEqual([]);
    const three = [...two, kase({ m: 99 })];
    const [w, ...rest] = recurrenceWarnings(three, NOW, P);
    expect(rest).toEqual([]);
    expect(w!.rule).toBe('recurrence');
    expect(w!.caseIds).toEqual(three.map((c) => c.id).sort());
    expect(w!.categoryCode).toBe('0101');
  });

  it('counts a case exactly at the radius, not one beyond it', () => {
    // the oldest case (first by id on a tie) gathers the cases within r of it
    const base = [kase({ m: 0 }), kase({ m: -10 })];
    expect(recurrenceWarnings([...base, kase({ m: 100 })], NOW, P)).toHaveLength(1);
    expect(recurrenceWarnings([...base, kase({ m: 101 })], NOW, P)).toHaveLength(0);
  });

  it('ignores cases outside the window, of another category, or uncategorised', () => {
    const base = [kase({ m: 0 }), kase({ m: 10 })];
    expect(recurrenceWarnings([...base, kase({ ago: 14 })], NOW, P)).toHaveLength(0);
    expect(recurrenceWarnings([...base, kase({ ago: 13.99 })], NOW, P)).toHaveLength(1);
    expect(recurrenceWarnings([...base, kase({ categoryCode: '0102' })], NOW, P)).toHaveLength(0);
    expect(recurrenceWarnings([...base, kase({ categoryCode: null })], NOW, P)).toHaveLength(0);
    // reported after `now` (clock skew) does not count either
    expect(recurrenceWarnings([...base, kase({ ago: -1 })], NOW, P)).toHaveLength(0);
  });

  it('gives the same key while the cluster lasts, whatever the order of the input', () => {
    const cs = [kase({ m: 0, ago: 5 }), kase({ m: 30, ago: 3 }), kase({ m: 60, ago: 2 })];
    const a = recurrenceWarnings(cs, NOW, P);
    const b = recurrenceWarnings([...cs].reverse(), NOW, P);
    expect(a).toEqual(b);
    const later = recurrenceWarnings([...cs, kase({ m: 20, ago: 0.5 })], NOW, P);
    expect(later[0]!.dedupKey).toBe(a[0]!.dedupKey);
  });
});

describe('hotspot', () => {
  it('computes the Poisson upper tail', () => {
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    // P(X ≥ 2 | 1) = 1 − e^-1 (1 + 1)
    expect(poissonUpperTail(2, 1)).toBeCloseTo(1 - 2 * Math.exp(-1), 12);
    expect(poissonUpperTail(3, 0)).toBe(0);
  });

  const week = (count: number, agoFrom: number) =>
    Array.from({ length: count }, (_, i) => kase({ m: i, ago: agoFrom + (i % 6) * 0.1 }));

  it('warns for a cell far above its own baseline, with the minimum count', () => {
    // baseline: 8 cases over 8 weeks = 1/week; this week 6 → P(X ≥ 6 | 1) ≈ 0.0006
    const baseline = Array.from({ length: 8 }, (_, w) => kase({ ago: 8 + w * 7 }));
    const ws = hotspotWarnings([...baseline, ...week(6, 1)], NOW, P);
    expect(ws).toHaveLength(1);
    expect(ws[0]!.facts.count).toBe(6);
    expect(ws[0]!.facts.baseline).toBe(1);
    expect(Number(ws[0]!.facts.pValue)).toBeLessThan(0.01);
  });

  it('does not warn below the minimum count, even from a zero baseline', () => {
    expect(hotspotWarnings(week(4, 1), NOW, P)).toEqual([]);
    expect(hotspotWarnings(week(5, 1), NOW, P)).toHaveLength(1);
  });

  it('does not warn for a cell that is always this busy', () => {
    const busy = Array.from({ length: 8 * 6 }, (_, i) => kase({ m: i % 10, ago: 8 + (i % 50) }));
    expect(hotspotWarnings([...busy, ...week(6, 1)], NOW, P)).toEqual([]);
  });

  it('counts the week as the last 7 days: a case 7 days ago belongs to the baseline', () => {
    const ws = hotspotWarnings([...week(4, 1), kase({ ago: 7 })], NOW, P);
    expect(ws).toEqual([]);
  });
});

describe('base-information risks', () => {
  const dwelling = (over: Partial<WarningDwelling>): WarningDwelling => ({
    id: 'd1',
    addressId: 'a1',
    lat: 31.15,
    lon: 121.38,
    areaM2: 90,
    occupants: 2,
    ...over,
  });

  it('suspects group renting at the occupant threshold or below the area per person', () => {
    expect(groupRentingWarnings([dwelling({ occupants: 5 })], P)).toEqual([]);
    expect(groupRentingWarnings([dwelling({ occupants: 6 })], P)).toHaveLength(1);
    // 20 m² for 4 = 5 m² each: on the boundary, allowed; 19 m² is not
    expect(groupRentingWarnings([dwelling({ areaM2: 20, occupants: 4 })], P)).toEqual([]);
    const [w] = groupRentingWarnings([dwelling({ areaM2: 19, occupants: 4 })], P);
    expect(w!.recordIds).toEqual(['dwelling:d1']);
    // a single occupant of a tiny room, or an unknown area, is not group renting
    expect(groupRentingWarnings([dwelling({ areaM2: 3, occupants: 1 })], P)).toEqual([]);
    expect(groupRentingWarnings([dwelling({ areaM2: null, occupants: 5 })], P)).toEqual([]);
  });

  const unit = (over: Partial<WarningUnit>): WarningUnit => ({
    id: 'u1',
    addressId: 'a1',
    lat: 31.15,
    lon: 121.38,
    industry: 'catering',
    licenceStatus: 'valid',
    licenceExpiresOn: '2026-12-31',
    status: 'active',
    ...over,
  });

  it('suspects unlicensed catering/food workshops and illegal clinics, a licence valid on its last day', () => {
    expect(licenceValid({ licenceStatus: 'valid', licenceExpiresOn: '2026-03-20' }, '2026-03-20')).toBe(true);
    expect(licenceValid({ licenceStatus: 'valid', licenceExpiresOn: '2026-03-19' }, '2026-03-20')).toBe(
      false,
    );
    expect(licenceWarnings([unit({})], '2026-03-20')).toEqual([]);
    expect(licenceWarnings([unit({ licenceStatus: 'none' })], '2026-03-20')[0]!.rule).toBe(
      'unlicensed_business',
    );
    expect(
      licenceWarnings([unit({ industry: 'food_workshop', licenceStatus: 'revoked' })], '2026-03-20'),
    ).toHaveLength(1);
    const clinic = licenceWarnings(
      [unit({ industry: 'clinic', licenceExpiresOn: '2026-03-01' })],
      '2026-03-20',
    );
    expect(clinic[0]!.rule).toBe('illegal_medical');
    expect(clinic[0]!.facts.licence).toBe('expired');
    // other industries, closed units and units without a place raise nothing
    expect(licenceWarnings([unit({ industry: 'retail', licenceStatus: 'none' })], '2026-03-20')).toEqual([]);
    expect(licenceWarnings([unit({ licenceStatus: 'none', status: 'closed' })], '2026-03-20')).toEqual([]);
    expect(licenceWarnings([unit({ licenceStatus: 'none', lat: null, lon: null })], '2026-03-20')).toEqual(
      [],
    );
  });

  it('warns of repeated disputes at one address within the window', () => {
    const at = (ago: number, addressId = 'a1') => kase({ stability: true, addressId, ago });
    expect(repeatedDisputeWarnings([at(1), at(30)], NOW, P)).toEqual([]);
    expect(repeatedDisputeWarnings([at(1), at(30), at(89)], NOW, P)).toHaveLength(1);
    expect(repeatedDisputeWarnings([at(1), at(30), at(90)], NOW, P)).toEqual([]);
    expect(repeatedDisputeWarnings([at(1), at(30), at(60, 'a2')], NOW, P)).toEqual([]);
    expect(repeatedDisputeWarnings([at(1), at(30), { ...at(60), stability: false }], NOW, P)).toEqual([]);
  });
});

describe('stability signals', () => {
  it('warns for several dispute reports about one place within days', () => {
    const s = (m: number, ago: number) => kase({ stability: true, m, ago, categoryCode: null });
    expect(stabilityWarnings([s(0, 0.5), s(100, 1)], NOW, P)).toEqual([]);
    expect(stabilityWarnings([s(0, 0.5), s(100, 1), s(200, 2)], NOW, P)).toHaveLength(1);
    // the oldest report gathers those within r of it; the next one those left within r of it
    expect(stabilityWarnings([s(0, 0.5), s(10, 1), s(211, 2)], NOW, P)).toEqual([]);
    expect(stabilityWarnings([s(0, 0.5), s(100, 1), s(50, 3)], NOW, P)).toEqual([]);
    expect(stabilityWarnings([s(0, 0.5), s(100, 1), { ...s(50, 2), stability: false }], NOW, P)).toEqual([]);
  });
});

describe('dedup and life', () => {
  const cs = [kase({ m: 0, ago: 5 }), kase({ m: 30, ago: 3 }), kase({ m: 60, ago: 2 })];

  it('does not warn twice while a warning for the same situation is open', () => {
    const drafts = recurrenceWarnings(cs, NOW, P);
    expect(newWarnings(drafts, [])).toHaveLength(1);
    expect(newWarnings(drafts, drafts)).toEqual([]);
    // the oldest case left the window: a new key, but it shares evidence with the open warning
    const shifted = recurrenceWarnings([...cs.slice(1), kase({ m: 45, ago: 1 })], NOW, P);
    expect(newWarnings(shifted, [{ ...drafts[0]!, dedupKey: 'recurrence:0101:elsewhere' }])).toEqual([]);
    // a duplicate inside one run is dropped too
    expect(newWarnings([...drafts, ...drafts], [])).toHaveLength(1);
    // another rule on the same cases is another situation
    expect(newWarnings(drafts, [{ ...drafts[0]!, rule: 'hotspot', dedupKey: 'x' }])).toHaveLength(1);
  });

  it('runs every rule deterministically', () => {
    const inputs = { cases: cs, dwellings: [], units: [], now: NOW, today: '2026-03-20' };
    expect(evaluateWarnings(inputs, P)).toEqual(evaluateWarnings({ ...inputs, cases: [...cs].reverse() }, P));
  });

  it('moves new → acknowledged → converted | dismissed, never back', () => {
    expect(nextWarningState('new', 'acknowledge')).toBe('acknowledged');
    expect(nextWarningState('acknowledged', 'convert')).toBe('converted');
    expect(nextWarningState('new', 'dismiss')).toBe('dismissed');
    expect(nextWarningState('acknowledged', 'acknowledge')).toBeNull();
    expect(nextWarningState('converted', 'dismiss')).toBeNull();
    expect(nextWarningState('dismissed', 'convert')).toBeNull();
    expect(warningActions('dismissed')).toEqual([]);
    expect(warningActions('new')).toEqual(['acknowledge', 'convert', 'dismiss']);
  });
});

describe('clusters (grid-bucketed)', () => {
  /** The reference: every seed compared with every case (the O(n²) definition). */
  function bruteForce(cases: WarningCase[], radius: number, min: number): string[][] {
    const sorted = [...cases].sort(
      (a, b) => a.reportedAt.getTime() - b.reportedAt.getTime() || (a.id < b.id ? -1 : 1),
    );
    const taken = new Set<string>();
    const out: string[][] = [];
    for (const seed of sorted) {
      if (taken.has(seed.id)) continue;
      const members = sorted.filter(
        (c) => !taken.has(c.id) && distanceMetres([seed.lon, seed.lat], [c.lon, c.lat]) <= radius + 0.01,
      );
      if (members.length < min) continue;
      for (const m of members) taken.add(m.id);
      out.push(members.map((m) => m.id));
    }
    return out;
  }

  it('finds exactly the clusters of the all-pairs definition, across cell edges', () => {
    // a deterministic scatter over ~2 km, dense enough for many clusters that straddle grid cells
    let seed = 7;
    const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const cases = Array.from({ length: 1500 }, (_, i) =>
      kase({ id: `g${i}`, lat: 31.15 + rnd() * 0.02, lon: 121.38 + rnd() * 0.02, ago: rnd() * 10 }),
    );
    for (const [radius, min] of [
      [100, 3],
      [200, 3],
      [37, 2],
    ] as const) {
      const fast = clusters(cases, radius, min).map((m) => m.map((c) => c.id));
      expect(fast).toEqual(bruteForce(cases, radius, min));
      expect(fast.length).toBeGreaterThan(0);
    }
  });
});
