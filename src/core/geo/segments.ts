import Flatbush from 'flatbush';
import type { Position, Ring } from './types.ts';

/** How two closed segments meet. */
export type Contact = 'none' | 'touch' | 'cross' | 'overlap';

const orient = (a: Position, b: Position, c: Position) =>
  (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);

const within = (a: Position, b: Position, p: Position) =>
  Math.min(a[0], b[0]) <= p[0] &&
  p[0] <= Math.max(a[0], b[0]) &&
  Math.min(a[1], b[1]) <= p[1] &&
  p[1] <= Math.max(a[1], b[1]);

/** Classifies how segments ab and cd meet; `touch` = they share exactly one point without crossing. */
export function contact(
  a: Position,
  b: Position,
  c: Position,
  d: Position,
): { kind: Contact; at?: Position } {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (o1 === 0 && o2 === 0) {
    // collinear: compare the projections on the longer axis
    const axis = Math.abs(b[0] - a[0]) >= Math.abs(b[1] - a[1]) ? 0 : 1;
    const lo = Math.max(Math.min(a[axis], b[axis]), Math.min(c[axis], d[axis]));
    const hi = Math.min(Math.max(a[axis], b[axis]), Math.max(c[axis], d[axis]));
    if (lo < hi) return { kind: 'overlap', at: within(a, b, c) ? c : d };
    if (lo === hi) return { kind: 'touch', at: within(a, b, c) ? c : d };
    return { kind: 'none' };
  }
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) {
    const t = o3 / (o3 - o4);
    return { kind: 'cross', at: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])] };
  }
  if (o1 === 0 && within(a, b, c)) return { kind: 'touch', at: c };
  if (o2 === 0 && within(a, b, d)) return { kind: 'touch', at: d };
  if (o3 === 0 && within(c, d, a)) return { kind: 'touch', at: a };
  if (o4 === 0 && within(c, d, b)) return { kind: 'touch', at: b };
  return { kind: 'none' };
}

export interface RingDefect {
  /** `self`: a ring meets itself (crossing, pinch or spike); `rings`: two rings cross or share an edge. */
  kind: 'self' | 'rings';
  rings: [number, number];
  at: Position;
}

/**
 * Finds where closed rings (without repeated consecutive vertices) intersect themselves or each other.
 * Within a ring, any contact between non-neighbouring segments is a defect, as is a neighbour folding back
 * onto its predecessor (a spike). Between rings, a single touching point is allowed (as in OGC simple
 * features: a hole may touch its shell at a point) but crossings and shared edges are not. Candidate
 * pairs come from a Flatbush index of segment boxes, so this is O(n log n) for ordinary shapes.
 */
export function findRingDefects(rings: Ring[], limit = 10): RingDefect[] {
  const segRing: number[] = [];
  const segIndex: number[] = [];
  let total = 0;
  for (const ring of rings) total += ring.length - 1;
  if (total === 0) return [];
  const index = new Flatbush(total);
  rings.forEach((ring, r) => {
    for (let i = 0; i < ring.length - 1; i++) {
      const [ax, ay] = ring[i]!;
      const [bx, by] = ring[i + 1]!;
      index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
      segRing.push(r);
      segIndex.push(i);
    }
  });
  index.finish();

  const defects: RingDefect[] = [];
  for (let s = 0; s < total && defects.length < limit; s++) {
    const r1 = segRing[s]!;
    const i = segIndex[s]!;
    const ring1 = rings[r1]!;
    const a = ring1[i]!;
    const b = ring1[i + 1]!;
    const candidates = index.search(
      Math.min(a[0], b[0]),
      Math.min(a[1], b[1]),
      Math.max(a[0], b[0]),
      Math.max(a[1], b[1]),
    );
    for (const t of candidates) {
      if (t <= s) continue;
      const r2 = segRing[t]!;
      const j = segIndex[t]!;
      const ring2 = rings[r2]!;
      const c = ring2[j]!;
      const d = ring2[j + 1]!;
      const met = contact(a, b, c, d);
      if (met.kind === 'none') continue;
      if (r1 !== r2) {
        if (met.kind !== 'touch') defects.push({ kind: 'rings', rings: [r1, r2], at: met.at! });
        continue;
      }
      const segments = ring1.length - 1;
      const neighbours = j === i + 1 || (i === 0 && j === segments - 1);
      // neighbours share a vertex; only folding back over each other is a defect
      if (neighbours && met.kind !== 'overlap') continue;
      defects.push({ kind: 'self', rings: [r1, r1], at: met.at! });
    }
  }
  return defects.slice(0, limit);
}
