import { simplify } from '@turf/turf';
import type { AreaGeometry } from './types.ts';

/** The zoom levels the map asks geometry for (web-map zoom, 256-pixel tiles). */
export const GEOMETRY_MIN_ZOOM = 8;
export const GEOMETRY_MAX_ZOOM = 18;

/**
 * Degrees of longitude that half a screen pixel covers at `zoom` (256-pixel tiles): what a map at that
 * zoom cannot show anyway. At zoom 12 about 19 m, at 16 about 1.2 m (at the equator; less in Shanghai).
 */
export const toleranceForZoom = (zoom: number): number => 360 / (256 * 2 ** zoom) / 2;

const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

/**
 * A polygon simplified for display at `zoom` (issue 11 §7): Douglas–Peucker (turf `simplify`) at half a
 * pixel's tolerance, then coordinates rounded to a tenth of it. Every ring keeps at least four positions
 * and stays closed (turf lowers the tolerance for a ring that would collapse). Display only: the stored
 * geometry (locate, coverage, validation) is never simplified.
 */
export function geometryForZoom(geometry: AreaGeometry, zoom: number): AreaGeometry {
  const tolerance = toleranceForZoom(Math.min(GEOMETRY_MAX_ZOOM, Math.max(GEOMETRY_MIN_ZOOM, zoom)));
  const simplified = simplify(
    { type: 'Feature', geometry, properties: {} },
    { tolerance, highQuality: false, mutate: false },
  ).geometry as AreaGeometry;
  const decimals = Math.max(0, Math.ceil(-Math.log10(tolerance / 10)));
  const ring = (r: number[][]) => {
    const out: number[][] = [];
    for (const p of r) {
      const q = [round(p[0]!, decimals), round(p[1]!, decimals)];
      const last = out[out.length - 1];
      if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
    }
    // rounding may merge neighbours; a ring that would fall below four positions keeps its simplified form
    return out.length >= 4 ? out : r;
  };
  return simplified.type === 'Polygon'
    ? ({ type: 'Polygon', coordinates: simplified.coordinates.map(ring) } as AreaGeometry)
    : ({
        type: 'MultiPolygon',
        coordinates: simplified.coordinates.map((poly) => poly.map(ring)),
      } as AreaGeometry);
}
