import { describe, expect, it } from 'vitest';
import { geometryForZoom, toleranceForZoom } from './simplify.ts';
import type { AreaGeometry } from './types.ts';

// a wobbly circle of 2,000 positions, ~1 km across, around 古美
const circle = (n: number): AreaGeometry => {
  const ring: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const r = 0.005 * (1 + 0.002 * Math.sin(i * 7));
    ring.push([121.38 + r * Math.cos(a), 31.15 + r * Math.sin(a)]);
  }
  ring.push(ring[0]!);
  return { type: 'Polygon', coordinates: [ring] };
};
const positions = (g: AreaGeometry) =>
  g.type === 'Polygon' ? g.coordinates.flat().length : g.coordinates.flat(2).length;

describe('geometryForZoom', () => {
  it('keeps fewer positions the further out the map is, closed rings of at least four', () => {
    const g = circle(2000);
    const counts = [10, 12, 14, 16, 18].map((z) => positions(geometryForZoom(g, z)));
    expect(counts[0]!).toBeLessThan(counts[2]!);
    expect(counts[2]!).toBeLessThanOrEqual(counts[4]!);
    expect(counts[0]!).toBeLessThan(100);
    for (const z of [8, 12, 18]) {
      const s = geometryForZoom(g, z);
      if (s.type !== 'Polygon') throw new Error('a polygon stays a polygon');
      const ring = s.coordinates[0]!;
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
    }
  });

  it('moves no position by more than the tolerance of its zoom (plus rounding)', () => {
    const g = circle(400);
    const s = geometryForZoom(g, 13);
    if (s.type !== 'Polygon') throw new Error('polygon');
    const tol = toleranceForZoom(13);
    // every kept position lies on (near) the original ring: within tolerance of its radius band
    for (const [x, y] of s.coordinates[0]!) {
      const r = Math.hypot(x! - 121.38, y! - 31.15);
      expect(r).toBeGreaterThan(0.005 * 0.998 - tol);
      expect(r).toBeLessThan(0.005 * 1.002 + tol);
    }
  });

  it('keeps a tiny triangle (nothing to drop) and a multipolygon’s parts', () => {
    const tri: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [121.38, 31.15],
          [121.3801, 31.15],
          [121.38, 31.1501],
          [121.38, 31.15],
        ],
      ],
    };
    expect(positions(geometryForZoom(tri, 9))).toBe(4);
    const multi: AreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [
        (circle(300) as { coordinates: number[][][] }).coordinates as [number, number][][],
        tri.coordinates as [number, number][][],
      ],
    };
    const s = geometryForZoom(multi, 12);
    expect(s.type).toBe('MultiPolygon');
    expect((s as { coordinates: unknown[] }).coordinates).toHaveLength(2);
  });
});
