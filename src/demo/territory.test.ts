import { intersection } from 'polyclip-ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { areaM2 } from '../core/geo/measure.ts';
import { samplePointsInside } from '../core/geo/partition.ts';
import { distanceToBoundaryMetres, RegionIndex } from '../core/geo/region-index.ts';
import { coverageReport } from '../core/geo/topology.ts';
import { bboxOf, polygonsOf, type AreaGeometry } from '../core/geo/types.ts';
import { validateAreaGeometry } from '../core/geo/validate.ts';
import { booleanPointInPolygon } from '@turf/turf';
import {
  generateDemoTerritory,
  loadMinhangSource,
  seededRandom,
  type DemoTerritorySource,
  type RegionRow,
} from './territory.ts';

const GUMEI = '310112006';
let source: DemoTerritorySource;
let rows: RegionRow[];
const ofLevel = (level: RegionRow['level']) => rows.filter((r) => r.level === level);
const children = (code: string) => rows.filter((r) => r.parent_code === code);

beforeAll(() => {
  source = loadMinhangSource();
  rows = generateDemoTerritory(source);
});

describe('demo territory generator', () => {
  it('keeps the real names and codes and adds 2–6 grids per committee', () => {
    expect(ofLevel('district').map((r) => [r.code, r.name])).toEqual([['310112', '闵行区']]);
    expect(ofLevel('street')).toHaveLength(14);
    expect(ofLevel('committee')).toHaveLength(596);
    expect(rows.find((r) => r.code === GUMEI)?.name).toBe('古美街道');
    const grids = ofLevel('grid');
    expect(grids.length).toBeGreaterThanOrEqual(1500);
    expect(grids.length).toBeLessThanOrEqual(2500);
    for (const committee of ofLevel('committee')) {
      const own = children(committee.code).map((g) => g.code);
      expect(own.length).toBeGreaterThanOrEqual(2);
      expect(own.length).toBeLessThanOrEqual(6);
      expect(own).toEqual(own.map((_, i) => `${committee.code}${String(i + 1).padStart(2, '0')}`));
    }
  });

  it('emits parents before children, all marked synthetic, with centroid and area', () => {
    const seen = new Set<string>();
    for (const r of rows) {
      if (r.parent_code) expect(seen.has(r.parent_code)).toBe(true);
      seen.add(r.code);
      expect(r.synthetic).toBe(true);
      expect(r.area_m2).toBeGreaterThan(0);
      expect(Number.isFinite(r.centroid_lon) && Number.isFinite(r.centroid_lat)).toBe(true);
    }
  });

  it('produces only valid polygons', () => {
    const invalid = rows.filter((r) => !validateAreaGeometry(r.geometry).ok).map((r) => r.code);
    expect(invalid).toEqual([]);
  });

  it('splits every parent into children whose areas add up to it, on the sphere too', () => {
    // borders are shared vertex for vertex, so the spherical areas add up as exactly as planar ones
    // would; before, a clipped child's new vertex on a long parent edge bent that edge on the sphere and
    // left slivers of hundreds of m² between streets
    for (const parent of rows.filter((r) => r.level !== 'grid')) {
      const sumM2 = children(parent.code).reduce((s, c) => s + c.area_m2!, 0);
      expect(Math.abs(sumM2 - parent.area_m2!)).toBeLessThan(0.01);
    }
    expect(ofLevel('district')[0]!.area_m2! / 1e6).toBeGreaterThan(350); // the real outline: ~370 km²
  });

  it('tiles exactly: no gap, overlap or part outside the parent (district → streets, 古美 down to grids)', () => {
    // the full check of all 611 parents takes seconds; the district and one street cover every kind of edge
    const gumeiCommittees = children(GUMEI);
    const parents = [ofLevel('district')[0]!, rows.find((r) => r.code === GUMEI)!, ...gumeiCommittees];
    for (const parent of parents) {
      const report = coverageReport(parent.geometry, children(parent.code), 0.01);
      expect({ code: parent.code, ...report }).toEqual({
        code: parent.code,
        gaps: [],
        overlaps: [],
        outside: [],
      });
    }
  });

  it('gives a shared border the same vertices on both sides (street and committees)', () => {
    // a committee vertex on its street's border (within 1 mm) must be a vertex of the street too;
    // before, the clipping's new vertices on a street edge were the committees' only
    const missing: string[] = [];
    for (const street of ofLevel('street')) {
      const own = new Set(
        polygonsOf(street.geometry)
          .flat(2)
          .map((p) => p.join()),
      );
      for (const committee of children(street.code)) {
        for (const p of polygonsOf(committee.geometry).flat(2)) {
          if (own.has(p.join())) continue;
          if (distanceToBoundaryMetres(street.geometry, p[0], p[1]) < 0.001)
            missing.push(`${committee.code} ${p.join()}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('covers the district without overlaps: every sample point is in exactly one region per level, on one branch', () => {
    const points = samplePointsInside(source.outline, 3000, seededRandom(7));
    // each level's regions with their boxes, built once (the box test skips most polygons cheaply)
    const levels = new Map(
      (['street', 'committee', 'grid'] as const).map((level) => [
        level,
        ofLevel(level).map((r) => ({ r, box: bboxOf(r.geometry) })),
      ]),
    );
    const containing = (level: 'street' | 'committee' | 'grid', [x, y]: [number, number]) =>
      levels
        .get(level)!
        .filter(({ r, box: [x0, y0, x1, y1] }) => {
          return x >= x0 && x <= x1 && y >= y0 && y <= y1 && booleanPointInPolygon([x, y], r.geometry);
        })
        .map(({ r }) => r);
    for (const p of points) {
      const streets = containing('street', p);
      const [street] = streets;
      const committees = containing('committee', p);
      const grids = containing('grid', p);
      expect([streets.length, committees.length, grids.length]).toEqual([1, 1, 1]);
      expect(committees[0]!.parent_code).toBe(street!.code);
      expect(grids[0]!.parent_code).toBe(committees[0]!.code);
    }
  });

  it('gives streets no overlapping area', () => {
    const streets = ofLevel('street');
    const polys = (g: AreaGeometry) => polygonsOf(g) as [number, number][][][];
    for (let i = 0; i < streets.length; i++) {
      for (let j = i + 1; j < streets.length; j++) {
        const overlap = intersection(polys(streets[i]!.geometry), polys(streets[j]!.geometry));
        const area = overlap.reduce((s, polygon) => s + areaM2({ type: 'Polygon', coordinates: polygon }), 0);
        expect(area).toBeLessThan(1); // square metres: shared borders only
      }
    }
  });

  it('puts each street’s hand-placed centre inside that street (古美 included)', () => {
    const index = RegionIndex.build(rows.map((r) => ({ ...r, parentCode: r.parent_code ?? null })));
    for (const [code, seed] of source.streetSeeds) expect(index.locate(...seed).street?.code).toBe(code);
    const gumei = index.locate(...source.streetSeeds.get(GUMEI)!);
    expect(gumei.grid?.code.slice(0, 9)).toBe(GUMEI);
    expect(gumei.grid?.code.slice(0, 12)).toBe(gumei.committee?.code);
  });

  it('leaves central Xuhui and the sea outside the district', () => {
    const index = RegionIndex.build(rows.map((r) => ({ ...r, parentCode: r.parent_code ?? null })));
    expect(index.locate(121.437, 31.188).inside).toBe(false);
    expect(index.locate(122.2, 30.9).inside).toBe(false);
  });

  it('is deterministic for a seed and varies with it', () => {
    // a one-street slice (新虹, 19 committees) keeps this quick; the full run above uses the same code path
    const keep = new Set(['310112', '310112008']);
    const slice: DemoTerritorySource = {
      ...source,
      divisions: source.divisions.filter((d) => keep.has(d.code) || keep.has(d.parentCode ?? '')),
    };
    const a = generateDemoTerritory(slice, 42);
    expect(generateDemoTerritory(slice, 42)).toEqual(a);
    expect(generateDemoTerritory(slice, 43)).not.toEqual(a);
    expect(a.filter((r) => r.level === 'committee')).toHaveLength(19);
  });
});
