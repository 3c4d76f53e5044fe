import { booleanPointInPolygon } from '@turf/turf';
import { err, ok, type Result } from '../errors.ts';
import { findRingDefects } from './segments.ts';
import { geometryOf, type AreaGeometry, type Position, type Ring } from './types.ts';

export type GeometryProblemReason =
  | 'not_polygon' // missing, or not a Polygon/MultiPolygon
  | 'bad_coordinates' // not arrays of finite numbers
  | 'out_of_range' // lon outside [-180, 180] or lat outside [-90, 90]
  | 'ring_not_closed'
  | 'too_few_points' // a ring needs at least 3 distinct corners
  | 'self_intersection' // a ring crosses or touches itself
  | 'rings_cross' // a hole crosses its shell, or two rings share an edge
  | 'hole_outside_shell'
  | 'parts_overlap'; // two polygons of a MultiPolygon overlap

export interface GeometryProblem {
  reason: GeometryProblemReason;
  message: string;
  /** Where, when the problem has a place ([lon, lat]). */
  at?: Position;
}

const problem = (reason: GeometryProblemReason, message: string, at?: Position): GeometryProblem =>
  at ? { reason, message, at } : { reason, message };

const fmt = (p: Position) => `[${p[0]}, ${p[1]}]`;

/**
 * Checks that `input` is a usable region shape: a GeoJSON Polygon or MultiPolygon with finite lon/lat in
 * range, closed rings of at least three distinct corners, no self-intersections (crossings, pinches,
 * spikes), holes inside their shells and no overlapping parts. Returns a normalised copy (2D positions,
 * repeated consecutive vertices dropped) or every problem found.
 */
export function validateAreaGeometry(input: unknown): Result<AreaGeometry, GeometryProblem[]> {
  if (typeof input !== 'object' || input === null)
    return err([problem('not_polygon', 'geometry is missing')]);
  const { type, coordinates } = input as { type?: unknown; coordinates?: unknown };
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    return err([
      problem('not_polygon', `geometry type must be Polygon or MultiPolygon, got ${String(type)}`),
    ]);
  }
  const rawPolygons = type === 'Polygon' ? [coordinates] : coordinates;
  if (!Array.isArray(rawPolygons) || rawPolygons.length === 0) {
    return err([problem('bad_coordinates', 'coordinates must be a non-empty array')]);
  }
  const problems: GeometryProblem[] = [];
  const polygons: Ring[][] = [];
  rawPolygons.forEach((rawPolygon: unknown, p) => {
    const where = type === 'MultiPolygon' ? `polygon ${p}, ` : '';
    if (!Array.isArray(rawPolygon) || rawPolygon.length === 0) {
      problems.push(problem('bad_coordinates', `${where}a polygon must be a non-empty array of rings`));
      return;
    }
    const rings: Ring[] = [];
    rawPolygon.forEach((rawRing: unknown, r) => {
      const ring = parseRing(rawRing, `${where}ring ${r}`, problems);
      if (ring) rings.push(ring);
    });
    if (rings.length === rawPolygon.length) polygons.push(rings);
  });
  if (problems.length > 0) return err(problems);

  polygons.forEach((rings, p) =>
    problems.push(...topologyProblems(rings, type === 'MultiPolygon' ? `polygon ${p}, ` : '')),
  );
  if (problems.length === 0 && polygons.length > 1) problems.push(...overlappingParts(polygons));
  return problems.length > 0
    ? err(problems)
    : ok(type === 'Polygon' ? geometryOf(polygons) : { type, coordinates: polygons });
}

function parseRing(raw: unknown, where: string, problems: GeometryProblem[]): Ring | null {
  if (!Array.isArray(raw)) {
    problems.push(problem('bad_coordinates', `${where} is not an array of positions`));
    return null;
  }
  const ring: Ring = [];
  for (const position of raw as unknown[]) {
    if (
      !Array.isArray(position) ||
      position.length < 2 ||
      !Number.isFinite(position[0]) ||
      !Number.isFinite(position[1])
    ) {
      problems.push(problem('bad_coordinates', `${where} has a position that is not [lon, lat] numbers`));
      return null;
    }
    const [lon, lat] = position as [number, number];
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      problems.push(
        problem('out_of_range', `${where} has ${fmt([lon, lat])} outside lon [-180, 180] / lat [-90, 90]`, [
          lon,
          lat,
        ]),
      );
      return null;
    }
    const last = ring[ring.length - 1];
    if (!last || last[0] !== lon || last[1] !== lat) ring.push([lon, lat]);
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
    problems.push(
      problem('ring_not_closed', `${where} is not closed (its last position must repeat the first)`),
    );
    return null;
  }
  if (ring.length < 4) {
    problems.push(problem('too_few_points', `${where} needs at least 3 distinct corners`));
    return null;
  }
  return ring;
}

function topologyProblems(rings: Ring[], where: string): GeometryProblem[] {
  const problems: GeometryProblem[] = [];
  for (const d of findRingDefects(rings, 5)) {
    if (d.kind === 'self') {
      problems.push(
        problem('self_intersection', `${where}ring ${d.rings[0]} intersects itself at ${fmt(d.at)}`, d.at),
      );
    } else {
      problems.push(
        problem('rings_cross', `${where}rings ${d.rings[0]} and ${d.rings[1]} cross at ${fmt(d.at)}`, d.at),
      );
    }
  }
  if (problems.length > 0) return problems;
  const shell = { type: 'Polygon' as const, coordinates: [rings[0]!] };
  rings.slice(1).forEach((hole, h) => {
    // without crossings a hole is wholly inside or wholly outside: one clear vertex decides
    const outside = hole.find((v) => !booleanPointInPolygon(v, shell));
    if (outside)
      problems.push(problem('hole_outside_shell', `${where}hole ${h + 1} lies outside the shell`, outside));
  });
  return problems;
}

function overlappingParts(polygons: Ring[][]): GeometryProblem[] {
  const problems: GeometryProblem[] = [];
  const rings = polygons.flat();
  const [crossing] = findRingDefects(rings, 1);
  if (crossing)
    return [
      problem('parts_overlap', `polygons of the MultiPolygon cross at ${fmt(crossing.at)}`, crossing.at),
    ];
  for (let i = 0; i < polygons.length; i++) {
    for (let j = 0; j < polygons.length; j++) {
      if (i === j) continue;
      const inside = polygons[j]![0]!.find((v) =>
        booleanPointInPolygon(v, { type: 'Polygon', coordinates: polygons[i]! }, { ignoreBoundary: true }),
      );
      if (inside) {
        problems.push(
          problem('parts_overlap', `polygon ${j} of the MultiPolygon lies inside polygon ${i}`, inside),
        );
        return problems;
      }
    }
  }
  return problems;
}
