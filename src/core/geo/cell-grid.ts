import pointInPolygon from 'point-in-polygon-hao';
import type { BBox, Ring } from './types.ts';

/**
 * A uniform grid of cells over one level's regions, answering "which region contains this point" in
 * constant time for most points. Each cell knows its candidate regions (those whose bounding box meets
 * it, in index order) and, when one region certainly answers for every point of the cell, that region
 * (`sole`): the cell lies wholly inside it, and no candidate before it reaches into the cell. Only points
 * in cells that a boundary crosses need exact point-in-polygon tests, against the cell's few candidates.
 *
 * Answers are those of testing every region in index order (first containing region wins; a point on a
 * boundary is inside), which is what `RegionIndex.find` promises.
 */
const UNKNOWN = -2;
const NONE = -1;

export class CellGrid {
  private readonly minX: number;
  private readonly minY: number;
  private readonly maxX: number;
  private readonly maxY: number;
  private readonly step: number;
  private readonly cols: number;
  private readonly rows: number;
  private readonly sole: Int32Array;
  private readonly offsets: Int32Array;
  private readonly candidates: Int32Array;

  constructor(
    private readonly polygons: Ring[][][],
    boxes: BBox[],
    cellsPerRegion = 64,
  ) {
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x0, y0, x1, y1] of boxes) {
      minX = Math.min(minX, x0);
      minY = Math.min(minY, y0);
      maxX = Math.max(maxX, x1);
      maxY = Math.max(maxY, y1);
    }
    const width = Math.max(maxX - minX, 1e-9);
    const height = Math.max(maxY - minY, 1e-9);
    const cells = Math.min(Math.max(boxes.length * cellsPerRegion, 1), 1 << 18);
    this.step = Math.sqrt((width * height) / cells) || Math.max(width, height);
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;
    this.cols = Math.max(1, Math.ceil(width / this.step));
    this.rows = Math.max(1, Math.ceil(height / this.step));

    // candidates per cell, as CSR arrays (offsets into one list)
    const lists: number[][] = Array.from({ length: this.cols * this.rows }, () => []);
    boxes.forEach(([x0, y0, x1, y1], region) => {
      const [c0, r0] = this.cellOf(x0, y0);
      const [c1, r1] = this.cellOf(x1, y1);
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) lists[r * this.cols + c]!.push(region);
    });
    this.offsets = new Int32Array(lists.length + 1);
    lists.forEach((list, i) => (this.offsets[i + 1] = this.offsets[i]! + list.length));
    this.candidates = new Int32Array(this.offsets[lists.length]!);
    lists.forEach((list, i) => this.candidates.set(list, this.offsets[i]!));

    // classified on a cell's first lookup (a cell costs a pass over its candidates' edges): only the
    // cells where points actually fall are paid for
    this.sole = new Int32Array(lists.length).fill(UNKNOWN);
  }

  /** The index of the first region containing the point, or -1. */
  find(x: number, y: number): number {
    if (!(x >= this.minX && x <= this.maxX && y >= this.minY && y <= this.maxY)) return -1;
    const [c, r] = this.cellOf(x, y);
    const cell = r * this.cols + c;
    let sole = this.sole[cell]!;
    if (sole === UNKNOWN) sole = this.sole[cell] = this.classify(cell);
    if (sole >= 0) return sole;
    const point = [x, y];
    for (let k = this.offsets[cell]!; k < this.offsets[cell + 1]!; k++) {
      const region = this.candidates[k]!;
      if (containsPoint(this.polygons[region]!, point)) return region;
    }
    return -1;
  }

  /**
   * The region that answers for every point of the cell, or -1: the first candidate that reaches into
   * the cell answers for all of it only if the cell lies wholly inside it (earlier candidates do not
   * reach in, later ones lose the tie).
   */
  private classify(cell: number): number {
    const rect = this.rectOf(cell);
    for (let k = this.offsets[cell]!; k < this.offsets[cell + 1]!; k++) {
      const region = this.candidates[k]!;
      const relation = relate(this.polygons[region]!, rect);
      if (relation === 'inside') return region;
      if (relation === 'partial') return NONE;
    }
    return NONE;
  }

  private cellOf(x: number, y: number): [number, number] {
    const c = Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.minX) / this.step)));
    const r = Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.minY) / this.step)));
    return [c, r];
  }

  private rectOf(cell: number): BBox {
    const c = cell % this.cols;
    const r = Math.floor(cell / this.cols);
    const x0 = this.minX + c * this.step;
    const y0 = this.minY + r * this.step;
    return [x0, y0, x0 + this.step, y0 + this.step];
  }
}

/** Whether a point lies in any of the polygons (holes respected; a point on a boundary is inside). */
export function containsPoint(polygons: Ring[][], point: number[]): boolean {
  for (const polygon of polygons) if (pointInPolygon(point, polygon) !== false) return true;
  return false;
}

/**
 * Where a closed rectangle lies against polygons: `partial` when any boundary (shell or hole) meets it,
 * otherwise wholly `inside` or wholly `outside` (decided by its centre).
 */
export function relate(polygons: Ring[][], [x0, y0, x1, y1]: BBox): 'inside' | 'outside' | 'partial' {
  for (const polygon of polygons)
    for (const ring of polygon)
      for (let i = 0; i + 1 < ring.length; i++) {
        const [ax, ay] = ring[i]!;
        const [bx, by] = ring[i + 1]!;
        if (segmentMeetsRect(ax, ay, bx, by, x0, y0, x1, y1)) return 'partial';
      }
  return containsPoint(polygons, [(x0 + x1) / 2, (y0 + y1) / 2]) ? 'inside' : 'outside';
}

/** Whether the segment a–b meets the closed rectangle (Liang–Barsky clipping). */
function segmentMeetsRect(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): boolean {
  const dx = bx - ax;
  const dy = by - ay;
  let t0 = 0;
  let t1 = 1;
  const clip = (p: number, q: number): boolean => {
    if (p === 0) return q >= 0;
    const t = q / p;
    if (p < 0) {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    }
    return true;
  };
  return clip(-dx, ax - x0) && clip(dx, x1 - ax) && clip(-dy, ay - y0) && clip(dy, y1 - ay) && t0 <= t1;
}
