import { booleanPointInPolygon } from '@turf/turf';
import { Delaunay } from 'd3-delaunay';
import Flatbush from 'flatbush';
import { intersection, union } from 'polyclip-ts';
import { areaM2 } from './measure.ts';
import { bboxOf, geometryOf, polygonsOf, type AreaGeometry, type Position, type Ring } from './types.ts';

/** A source of uniform numbers in [0, 1); pass a seeded one for reproducible output. */
export type Random = () => number;

const clip = (ring: Ring, parent: AreaGeometry): Ring[][] =>
  intersection([ring], polygonsOf(parent) as [number, number][][][]) as Ring[][];

/**
 * Repairs a low-resolution outline (the demo's district boundary pinches itself and has a spike): the
 * polygon is unioned with itself, which resolves self-contacts into clean rings, and only the largest
 * resulting polygon is kept, dropping the slivers such artefacts leave behind.
 */
export function repairOutline(geometry: AreaGeometry): AreaGeometry {
  const parts = union(polygonsOf(geometry) as [number, number][][][]) as Ring[][];
  if (parts.length === 0) throw new Error('outline has no area');
  const largest = parts
    .map((polygon) => ({ polygon, area: areaM2({ type: 'Polygon', coordinates: polygon }) }))
    .sort((a, b) => b.area - a.area)[0]!;
  return geometryOf([largest.polygon]);
}

/** `n` uniform random points inside a polygon geometry (rejection sampling in its bounding box). */
export function samplePointsInside(geometry: AreaGeometry, n: number, random: Random): Position[] {
  const [minX, minY, maxX, maxY] = bboxOf(geometry);
  const points: Position[] = [];
  for (let tries = 0; points.length < n; tries++) {
    if (tries > 10_000 + n * 1_000) throw new Error('could not sample points inside the polygon');
    const p: Position = [minX + random() * (maxX - minX), minY + random() * (maxY - minY)];
    if (booleanPointInPolygon(p, geometry, { ignoreBoundary: true })) points.push(p);
  }
  return points;
}

/** A Flatbush index of the bounding boxes of every edge of a geometry. */
function edgeIndex(geometry: AreaGeometry): Flatbush {
  const rings = polygonsOf(geometry).flat();
  const index = new Flatbush(
    Math.max(
      1,
      rings.reduce((n, r) => n + r.length - 1, 0),
    ),
  );
  for (const ring of rings) {
    for (let i = 0; i < ring.length - 1; i++) {
      const [ax, ay] = ring[i]!;
      const [bx, by] = ring[i + 1]!;
      index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
    }
  }
  index.finish();
  return index;
}

/** Longitudes scaled by cos(latitude): a locally equal-area plane for distances and Voronoi cells. */
const lonScale = (geometry: AreaGeometry): number => {
  const [, minY, , maxY] = bboxOf(geometry);
  return Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
};

/**
 * `n` well-spread sites inside a polygon geometry: random starting sites, then a few rounds of Lloyd's
 * algorithm on a cloud of sample points (each site moves to the mean of the samples nearest to it, as
 * k-means does). This evens out the cell sizes without clipping a single polygon. Every site returned
 * lies strictly inside the parent, and all are distinct.
 */
export function spreadSites(parent: AreaGeometry, n: number, random: Random, rounds = 3): Position[] {
  const sites = samplePointsInside(parent, n, random);
  if (n < 2 || rounds <= 0) return sites;
  const k = lonScale(parent);
  const cloud = samplePointsInside(parent, n * 40, random);
  for (let round = 0; round < rounds; round++) {
    const delaunay = Delaunay.from(
      sites,
      (p) => p[0] * k,
      (p) => p[1],
    );
    const sum = sites.map(() => ({ x: 0, y: 0, count: 0, first: null as Position | null }));
    let hint = 0;
    for (const p of cloud) {
      hint = delaunay.find(p[0] * k, p[1], hint);
      const s = sum[hint]!;
      s.x += p[0];
      s.y += p[1];
      s.count++;
      s.first ??= p;
    }
    sum.forEach((s, i) => {
      if (s.count === 0) return; // no samples nearby: the site stays where it is
      const mean: Position = [s.x / s.count, s.y / s.count];
      // the mean of a cluster in a concave parent can fall outside it; fall back to one of its samples
      sites[i] = booleanPointInPolygon(mean, parent, { ignoreBoundary: true }) ? mean : s.first!;
    });
  }
  // distinct sites are needed for Voronoi cells; a collision is astronomically unlikely but cheap to fix
  const seen = new Set<string>();
  return sites.map((p) => {
    let q = p;
    while (seen.has(q.join())) q = samplePointsInside(parent, 1, random)[0]!;
    seen.add(q.join());
    return q;
  });
}

/**
 * Splits `parent` into one piece per site: the Voronoi cell of each site, clipped to the parent. The
 * cells tile the plane, so the pieces do not overlap and together cover the parent exactly; a piece can
 * be a MultiPolygon where a concave parent cuts a cell in two. Sites must be distinct and lie strictly
 * inside the parent (so no piece is empty). Cells are computed in a locally equal-area plane, so they
 * look right on a map, and clipped in lon/lat so the pieces share the parent's exact vertices.
 */
export function splitByVoronoi(parent: AreaGeometry, sites: Position[]): AreaGeometry[] {
  if (sites.length === 0) return [];
  if (sites.length === 1) return [parent];
  const [minX, minY, maxX, maxY] = bboxOf(parent);
  const k = lonScale(parent);
  const pad = Math.max(maxX - minX, maxY - minY);
  const voronoi = Delaunay.from(
    sites,
    (p) => p[0] * k,
    (p) => p[1],
  ).voronoi([(minX - pad) * k, minY - pad, (maxX + pad) * k, maxY + pad]);
  const edges = edgeIndex(parent);
  return sites.map((site, i) => {
    const cell = voronoi.cellPolygon(i) as [number, number][] | null;
    if (!cell) throw new Error(`Voronoi split failed: site ${site.join(',')} is a duplicate`);
    // d3 cells run counter-clockwise (y up), as RFC 7946 wants shells to; polyclip's output does too
    const ring = cell.map(([x, y]): Position => [x / k, y]);
    // clipping is the expensive part; a cell that no parent edge comes near is inside (its site is)
    const [x0, y0, x1, y1] = bboxOf({ type: 'Polygon', coordinates: [ring] });
    if (edges.search(x0, y0, x1, y1).length === 0) return geometryOf([[ring]]);
    const pieces = clip(ring, parent);
    if (pieces.length === 0)
      throw new Error(`Voronoi split failed: site ${site.join(',')} is outside the parent`);
    return geometryOf(pieces);
  });
}
