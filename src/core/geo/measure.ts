import { area } from '@turf/turf';
import { polygonsOf, type AreaGeometry, type Position, type Ring } from './types.ts';

/** Area in square metres on the WGS84 sphere (holes subtracted). */
export const areaM2 = (geometry: AreaGeometry): number => area(geometry);

/** Twice the signed planar area of a ring (shoelace); positive when counter-clockwise. */
function signedArea2(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    sum += xj * yi - xi * yj;
  }
  return sum;
}

/**
 * Area-weighted centre of mass of a polygon geometry, holes and all parts included. Computed in the
 * lon/lat plane, which at district scale is indistinguishable from a projected centroid. (Turf's
 * `centroid` averages vertices, and its `centerOfMass` falls back to the convex hull for multipolygons.)
 * Like any centroid it can fall outside a concave shape.
 */
export function centroidOf(geometry: AreaGeometry): Position {
  // shift to a local origin so the products stay small and precise
  const polygons = polygonsOf(geometry);
  const origin = polygons[0]?.[0]?.[0] ?? [0, 0];
  let a2 = 0;
  let cx = 0;
  let cy = 0;
  for (const polygon of polygons) {
    polygon.forEach((ring, index) => {
      const local: Ring = ring.map(([x, y]) => [x - origin[0], y - origin[1]]);
      // shells add, holes subtract, whatever the winding order of the input
      const sign = index === 0 ? 1 : -1;
      const s = signedArea2(local);
      const orient = Math.sign(s) || 1;
      for (let i = 0, j = local.length - 1; i < local.length; j = i++) {
        const [xi, yi] = local[i]!;
        const [xj, yj] = local[j]!;
        const cross = (xj * yi - xi * yj) * orient * sign;
        cx += (xi + xj) * cross;
        cy += (yi + yj) * cross;
      }
      a2 += Math.abs(s) * sign;
    });
  }
  if (a2 === 0) return [origin[0], origin[1]];
  return [origin[0] + cx / (3 * a2), origin[1] + cy / (3 * a2)];
}
