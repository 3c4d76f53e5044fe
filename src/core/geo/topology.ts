/**
 * Topology of a tiling: that neighbouring regions share their borders vertex for vertex, and how far a
 * set of children is from covering its parent exactly (gaps, overlaps, parts outside).
 */
import Flatbush from 'flatbush';
import { difference, intersection, union } from 'polyclip-ts';
import { areaM2, centroidOf } from './measure.ts';
import { bboxOf, polygonsOf, type AreaGeometry, type Position, type Ring } from './types.ts';

/** Metres per degree of latitude, and of longitude at the equator (WGS84, good to 0.5 % anywhere). */
export const M_PER_DEG_LAT = 110_574;
export const M_PER_DEG_LON = 111_320;

const mapGeometry = (g: AreaGeometry, f: (ring: Ring) => Ring): AreaGeometry =>
  g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map(f) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(f)) };

/**
 * Makes the borders of a tiling identical on both sides: every vertex of any geometry that lies on an
 * edge of another (within `toleranceDeg`, about 0.1 mm by default) is inserted into that edge.
 *
 * Why: clipping a child against its parent puts new vertices on the parent's edges (where a child border
 * meets it). In the lon/lat plane the edge A–B and the path A–C–B are the same line, but on the sphere, or
 * in any projection, they are not: the parent and its neighbour then disagree by a sliver a few
 * centimetres wide and kilometres long (hundreds of m² over a district), and areas do not add up. With
 * the same vertices on both sides, every border is the same curve under any interpretation.
 */
export function shareBoundaryVertices(geometries: AreaGeometry[], toleranceDeg = 1e-9): AreaGeometry[] {
  const seen = new Set<string>();
  const vertices: Position[] = [];
  for (const g of geometries) {
    for (const polygon of polygonsOf(g)) {
      for (const ring of polygon) {
        for (const p of ring) {
          const key = `${p[0]},${p[1]}`;
          if (seen.has(key)) continue;
          seen.add(key);
          vertices.push(p);
        }
      }
    }
  }
  if (vertices.length === 0) return geometries;
  const index = new Flatbush(vertices.length);
  for (const [x, y] of vertices) index.add(x, y, x, y);
  index.finish();
  const tol2 = toleranceDeg * toleranceDeg;

  const densify = (ring: Ring): Ring => {
    // a ring's own vertex near another of its edges is a pinch, not a neighbour's border: leave it
    const own = new Set(ring.map((p) => `${p[0]},${p[1]}`));
    const out: Ring = [];
    for (let i = 0; i < ring.length - 1; i++) {
      const a = ring[i]!;
      const b = ring[i + 1]!;
      out.push(a);
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const len2 = dx * dx + dy * dy;
      if (len2 === 0) continue;
      const hits = index.search(
        Math.min(a[0], b[0]) - toleranceDeg,
        Math.min(a[1], b[1]) - toleranceDeg,
        Math.max(a[0], b[0]) + toleranceDeg,
        Math.max(a[1], b[1]) + toleranceDeg,
      );
      const inserted: { t: number; p: Position }[] = [];
      for (const h of hits) {
        const p = vertices[h]!;
        if (own.has(`${p[0]},${p[1]}`)) continue;
        const t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
        if (t <= 0 || t >= 1) continue;
        const ex = a[0] + t * dx - p[0];
        const ey = a[1] + t * dy - p[1];
        if (ex * ex + ey * ey <= tol2) inserted.push({ t, p });
      }
      if (inserted.length > 1) inserted.sort((u, v) => u.t - v.t);
      for (const { p } of inserted) out.push(p);
    }
    out.push(ring[ring.length - 1]!);
    return out;
  };
  return geometries.map((g) => mapGeometry(g, densify));
}

type Polys = [number, number][][][];
const polys = (g: AreaGeometry): Polys => polygonsOf(g) as Polys;
const areaOf = (pieces: Ring[][]): number =>
  pieces.reduce((s, polygon) => s + areaM2({ type: 'Polygon', coordinates: polygon }), 0);

/** One piece of a coverage problem: its area and a point to look at (its centroid). */
export interface CoverageSpot {
  areaM2: number;
  at: Position;
}

export interface CoverageReport {
  /** Parts of the parent that no child covers, each larger than the tolerance. */
  gaps: CoverageSpot[];
  /** Pairs of children that overlap by more than the tolerance. */
  overlaps: (CoverageSpot & { a: string; b: string })[];
  /** Children reaching outside the parent by more than the tolerance. */
  outside: (CoverageSpot & { code: string })[];
}

/**
 * How exactly `children` tile `parent`: gaps (parent area no child covers), pairwise overlaps between
 * children, and children's area outside the parent — each piece reported only if larger than
 * `toleranceM2` (1 m² by default; the float noise of a clean tiling is far below a square millimetre).
 */
export function coverageReport(
  parent: AreaGeometry,
  children: { code: string; geometry: AreaGeometry }[],
  toleranceM2 = 1,
): CoverageReport {
  const report: CoverageReport = { gaps: [], overlaps: [], outside: [] };
  if (children.length === 0) return report;
  const spot = (pieces: Ring[][]): CoverageSpot[] =>
    pieces
      .map((polygon) => ({
        areaM2: areaM2({ type: 'Polygon', coordinates: polygon }),
        at: centroidOf({ type: 'Polygon', coordinates: polygon }),
      }))
      .filter((s) => s.areaM2 > toleranceM2);

  const boxes = new Flatbush(children.length);
  for (const c of children) boxes.add(...bboxOf(c.geometry));
  boxes.finish();
  children.forEach((c, i) => {
    for (const j of boxes.search(...bboxOf(c.geometry))) {
      if (j <= i) continue;
      const other = children[j]!;
      const overlap = intersection(polys(c.geometry), polys(other.geometry)) as Ring[][];
      if (areaOf(overlap) <= toleranceM2) continue;
      for (const s of spot(overlap)) report.overlaps.push({ ...s, a: c.code, b: other.code });
    }
    const out = difference(polys(c.geometry), polys(parent)) as Ring[][];
    for (const s of spot(out)) report.outside.push({ ...s, code: c.code });
  });
  const covered = union(polys(children[0]!.geometry), ...children.slice(1).map((c) => polys(c.geometry)));
  report.gaps = spot(difference(polys(parent), covered) as Ring[][]);
  return report;
}
