import { describe, expect, it } from 'vitest';
import { convertGeometry, convertPosition, distanceMetres, fromWgs84, isCrs, toWgs84 } from './crs.ts';

describe('coordinate systems', () => {
  const gumei: [number, number] = [121.4, 31.15];

  it('shifts GCJ-02 and BD-09 by a few hundred metres around Shanghai', () => {
    const fromGcj = toWgs84(...gumei, 'gcj02');
    const fromBd = toWgs84(...gumei, 'bd09');
    expect(distanceMetres(gumei, fromGcj)).toBeGreaterThan(300);
    expect(distanceMetres(gumei, fromGcj)).toBeLessThan(800);
    expect(distanceMetres(gumei, fromBd)).toBeGreaterThan(800);
    expect(distanceMetres(gumei, fromBd)).toBeLessThan(2000);
  });

  it('round-trips to within a metre', () => {
    for (const crs of ['gcj02', 'bd09'] as const) {
      const there = fromWgs84(...gumei, crs);
      expect(distanceMetres(toWgs84(...there, crs), gumei)).toBeLessThan(1);
    }
    expect(toWgs84(...gumei, 'wgs84')).toEqual(gumei);
  });

  it('leaves points outside China unshifted', () => {
    expect(convertPosition([2.35, 48.85], 'wgs84', 'gcj02')).toEqual([2.35, 48.85]);
  });

  it('converts every vertex of a geometry and keeps rings closed', () => {
    const square = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [121.4, 31.1],
          [121.41, 31.1],
          [121.41, 31.11],
          [121.4, 31.11],
          [121.4, 31.1],
        ] as [number, number][],
      ],
    };
    const converted = convertGeometry(square, 'gcj02', 'wgs84');
    const ring = converted.coordinates[0]!;
    expect(ring).toHaveLength(5);
    expect(ring[0]).toEqual(ring[4]);
    expect(ring[0]).toEqual(toWgs84(121.4, 31.1, 'gcj02'));
    expect(square.coordinates[0]![0]).toEqual([121.4, 31.1]); // input untouched
  });

  it('recognises the supported names', () => {
    expect(isCrs('gcj02')).toBe(true);
    expect(isCrs('GCJ02')).toBe(false);
    expect(isCrs(undefined)).toBe(false);
  });
});
