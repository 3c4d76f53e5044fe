import { describe, expect, it } from 'vitest';
import { RegionIndex, type IndexedRegion } from './region-index.ts';
import { rect, ring } from './test-shapes.ts';
import type { Ring } from './types.ts';

// district with a lake (hole) and an exclave; street A is a multipolygon (exclave), street B has the hole
const lake = rect(6, 6, 8, 8);
const exclave = rect(20, 0, 22, 2);
const regions: IndexedRegion[] = [
  {
    code: '310112',
    name: 'D',
    level: 'district',
    parentCode: null,
    geometry: { type: 'MultiPolygon', coordinates: [[rect(0, 0, 10, 10), lake], [exclave]] },
  },
  {
    code: '310112001',
    name: 'A',
    level: 'street',
    parentCode: '310112',
    geometry: { type: 'MultiPolygon', coordinates: [[rect(0, 0, 5, 10)], [exclave]] },
  },
  {
    code: '310112002',
    name: 'B',
    level: 'street',
    parentCode: '310112',
    geometry: { type: 'Polygon', coordinates: [rect(5, 0, 10, 10), lake] },
  },
  {
    code: '310112001001',
    name: 'A1',
    level: 'committee',
    parentCode: '310112001',
    geometry: { type: 'Polygon', coordinates: [rect(0, 0, 5, 5)] },
  },
  {
    code: '310112001002',
    name: 'A2',
    level: 'committee',
    parentCode: '310112001',
    geometry: { type: 'MultiPolygon', coordinates: [[rect(0, 5, 5, 10)], [exclave]] },
  },
  {
    code: '310112002001',
    name: 'B1',
    level: 'committee',
    parentCode: '310112002',
    geometry: { type: 'Polygon', coordinates: [rect(5, 0, 10, 10), lake] },
  },
  {
    code: '31011200100101',
    name: 'A1-1',
    level: 'grid',
    parentCode: '310112001001',
    geometry: { type: 'Polygon', coordinates: [rect(0, 0, 2.5, 5)] },
  },
  {
    code: '31011200100102',
    name: 'A1-2',
    level: 'grid',
    parentCode: '310112001001',
    geometry: { type: 'Polygon', coordinates: [rect(2.5, 0, 5, 5)] },
  },
];
const index = RegionIndex.build(regions);
const codes = (lon: number, lat: number) => {
  const p = index.locate(lon, lat);
  return [
    p.inside,
    p.district?.code ?? null,
    p.street?.code ?? null,
    p.committee?.code ?? null,
    p.grid?.code ?? null,
  ];
};

describe('RegionIndex.locate', () => {
  it('places a point in its grid and the grid’s ancestors', () => {
    expect(index.locate(1, 1)).toEqual({
      inside: true,
      district: { code: '310112', name: 'D' },
      street: { code: '310112001', name: 'A' },
      committee: { code: '310112001001', name: 'A1' },
      grid: { code: '31011200100101', name: 'A1-1' },
      snapped: false,
      distanceMetres: null,
    });
    expect(codes(3, 1)).toEqual([true, '310112', '310112001', '310112001001', '31011200100102']);
  });

  it('finds a point in the detached part of a multipolygon', () => {
    expect(codes(21, 1)).toEqual([true, '310112', '310112001', '310112001002', null]);
  });

  it('leaves levels without a containing region null', () => {
    expect(codes(9, 1)).toEqual([true, '310112', '310112002', '310112002001', null]);
  });

  it('treats a hole as outside', () => {
    expect(codes(7, 7)).toEqual([false, null, null, null, null]);
    expect(codes(8.5, 7)).toEqual([true, '310112', '310112002', '310112002001', null]);
  });

  it('answers outside for far-away points', () => {
    expect(index.locate(50, 50)).toEqual({
      inside: false,
      district: null,
      street: null,
      committee: null,
      grid: null,
      snapped: false,
      distanceMetres: null,
    });
    expect(codes(15, 1)).toEqual([false, null, null, null, null]);
  });

  it('gives a point on a shared border to the lower code, whatever the input order', () => {
    expect(codes(2.5, 1)[4]).toBe('31011200100101');
    const reversed = RegionIndex.build([...regions].reverse());
    expect(reversed.locate(2.5, 1).grid?.code).toBe('31011200100101');
    expect(reversed.locate(5, 8).street?.code).toBe('310112001');
  });

  it('takes ancestors from the parent codes, falling back to geometry when a parent is missing', () => {
    const orphan = RegionIndex.build([
      regions[0]!,
      {
        code: '31011200900101',
        name: 'orphan',
        level: 'grid',
        parentCode: '310112009001',
        geometry: { type: 'Polygon', coordinates: [rect(0, 0, 1, 1)] },
      },
    ]);
    expect(orphan.locate(0.5, 0.5)).toMatchObject({
      inside: true,
      district: { code: '310112' },
      street: null,
      committee: null,
      grid: { code: '31011200900101' },
    });
  });

  it('works with an empty territory', () => {
    expect(RegionIndex.build([]).locate(1, 1).inside).toBe(false);
  });

  describe('snapping a point in a sliver', () => {
    // near Shanghai, so degrees are ~95 m (lon) and ~111 m (lat) per 0.001; streets A and B leave a
    // strip between them: 1.9 m wide in the south half, 19 m wide in the north half
    const region = (code: string, level: IndexedRegion['level'], parentCode: string | null, r: Ring) => ({
      code,
      name: code,
      level,
      parentCode,
      geometry: { type: 'Polygon' as const, coordinates: [r] },
    });
    const x0 = 121.4;
    const y0 = 31.1;
    const narrow = 0.00002; // ≈ 1.9 m
    const wide = 0.0002; // ≈ 19 m
    const a = ring([x0, y0], [x0 + 0.005 - narrow, y0], [x0 + 0.005 - wide, y0 + 0.01], [x0, y0 + 0.01]);
    const b = rect(x0 + 0.005, y0, x0 + 0.01, y0 + 0.01);
    const index = RegionIndex.build([
      region('310112', 'district', null, rect(x0, y0, x0 + 0.01, y0 + 0.01)),
      region('310112001', 'street', '310112', a),
      region('310112001001', 'committee', '310112001', a),
      region('31011200100101', 'grid', '310112001001', a),
      region('310112002', 'street', '310112', b),
      region('310112002001', 'committee', '310112002', b),
      region('31011200200101', 'grid', '310112002001', b),
    ]);
    const inNarrowStrip: [number, number] = [x0 + 0.005 - 0.000005, y0 + 0.0001]; // ≈ 0.5 m from B

    it('without snapping, a sliver point is inside the district in no street', () => {
      expect(index.locate(...inNarrowStrip)).toMatchObject({
        inside: true,
        district: { code: '310112' },
        street: null,
        grid: null,
        snapped: false,
        distanceMetres: null,
      });
    });

    it('gives it, down to the grid, to the nearest street within the distance and says how far', () => {
      const placement = index.locate(...inNarrowStrip, { snapMetres: 5 });
      expect(placement).toMatchObject({
        inside: true,
        street: { code: '310112002' },
        committee: { code: '310112002001' },
        grid: { code: '31011200200101' },
        snapped: true,
      });
      expect(placement.distanceMetres).toBeGreaterThan(0.3);
      expect(placement.distanceMetres).toBeLessThan(0.7);
    });

    it('does not snap farther than the distance, nor points inside a region or outside the territory', () => {
      const inWideStrip: [number, number] = [x0 + 0.005 - 0.0001, y0 + 0.0099]; // ≈ 9 m from both
      expect(index.locate(...inWideStrip, { snapMetres: 5 })).toMatchObject({ street: null, snapped: false });
      expect(index.locate(x0 + 0.007, y0 + 0.005, { snapMetres: 5 })).toMatchObject({
        grid: { code: '31011200200101' },
        snapped: false,
        distanceMetres: null,
      });
      expect(index.locate(x0 + 0.01 + 0.00001, y0 + 0.005, { snapMetres: 5 })).toMatchObject({
        inside: false,
        snapped: false,
      });
    });
  });
});
