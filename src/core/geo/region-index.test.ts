import { describe, expect, it } from 'vitest';
import { RegionIndex, type IndexedRegion } from './region-index.ts';
import { rect } from './test-shapes.ts';

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
});
