import { CellGrid, containsPoint } from './cell-grid.ts';
import { REGION_LEVELS, type RegionLevel } from './region-code.ts';
import { M_PER_DEG_LAT, M_PER_DEG_LON } from './topology.ts';
import { bboxOf, polygonsOf, type AreaGeometry, type Ring } from './types.ts';

export interface IndexedRegion {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  geometry: AreaGeometry;
}

export interface RegionRef {
  code: string;
  name: string;
}

/** Where a point lies: one region per level (null where no region of that level contains it). */
export interface Placement {
  inside: boolean;
  district: RegionRef | null;
  street: RegionRef | null;
  committee: RegionRef | null;
  grid: RegionRef | null;
  /**
   * The point lay in a sliver between the regions of a level (inside the parent, in none of its
   * children) and was given to the nearest child within the snapping distance.
   */
  snapped: boolean;
  /** How far the point was from the region it was snapped to, in metres; null when not snapped. */
  distanceMetres: number | null;
}

interface LevelIndex {
  regions: IndexedRegion[];
  polygons: Ring[][][];
  /** Built on the level's first lookup (a territory that is only listed never pays for it). */
  cells?: CellGrid;
}

const OUTSIDE: Placement = {
  inside: false,
  district: null,
  street: null,
  committee: null,
  grid: null,
  snapped: false,
  distanceMetres: null,
};

/** Distance in metres from a point to the boundary of a geometry (local equirectangular plane). */
export function distanceToBoundaryMetres(geometry: AreaGeometry, lon: number, lat: number): number {
  const kx = M_PER_DEG_LON * Math.cos((lat * Math.PI) / 180);
  const ky = M_PER_DEG_LAT;
  let best = Infinity;
  for (const ring of polygonsOf(geometry).flat()) {
    for (let i = 0; i < ring.length - 1; i++) {
      const ax = (ring[i]![0] - lon) * kx;
      const ay = (ring[i]![1] - lat) * ky;
      const bx = (ring[i + 1]![0] - lon) * kx;
      const by = (ring[i + 1]![1] - lat) * ky;
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
      const d = Math.hypot(ax + t * dx, ay + t * dy);
      if (d < best) best = d;
    }
  }
  return best;
}

/**
 * An in-memory spatial index over the territory: per level, a uniform grid of cells (`CellGrid`) answers
 * at once for points in cells wholly inside one region and narrows the others to the few regions that
 * reach into their cell, where an exact point-in-polygon test (holes and multipolygons respected) decides.
 * Build it once (it is immutable) and ask it many times.
 */
export class RegionIndex {
  private readonly levels = new Map<RegionLevel, LevelIndex>();
  private readonly byCode = new Map<string, IndexedRegion>();
  private readonly children = new Map<string, IndexedRegion[]>();

  private constructor(regions: IndexedRegion[]) {
    // ties on shared borders go to the lowest code, whatever order the regions came in
    const sorted = [...regions].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    for (const region of sorted) {
      this.byCode.set(region.code, region);
      if (region.parentCode === null) continue;
      const siblings = this.children.get(region.parentCode) ?? [];
      siblings.push(region);
      this.children.set(region.parentCode, siblings);
    }
    for (const level of REGION_LEVELS) {
      const ofLevel = sorted.filter((r) => r.level === level);
      if (ofLevel.length === 0) continue;
      this.levels.set(level, { regions: ofLevel, polygons: ofLevel.map((r) => polygonsOf(r.geometry)) });
    }
  }

  static build(regions: IndexedRegion[]): RegionIndex {
    return new RegionIndex(regions);
  }

  get size(): number {
    return this.byCode.size;
  }

  get(code: string): IndexedRegion | undefined {
    return this.byCode.get(code);
  }

  /** The region of `level` containing the WGS84 point (a point on a shared border goes to the lower code). */
  find(level: RegionLevel, lon: number, lat: number): IndexedRegion | null {
    const index = this.levels.get(level);
    if (!index) return null;
    index.cells ??= new CellGrid(
      index.polygons,
      index.regions.map((r) => bboxOf(r.geometry)),
    );
    const i = index.cells.find(lon, lat);
    return i < 0 ? null : index.regions[i]!;
  }

  /**
   * Places a WGS84 point in the territory. The finest level that contains the point decides, and its
   * ancestors come from the parent codes, so the answer is always one consistent branch of the tree
   * even where imported boundaries of different levels do not line up exactly.
   *
   * With `snapMetres`, a point inside a region but in none of its children (a sliver between imported
   * boundaries) goes to the nearest child within that distance, level by level down to the grid, and
   * the answer says so (`snapped`, `distanceMetres`). A point outside the territory is never snapped.
   */
  locate(lon: number, lat: number, options: { snapMetres?: number } = {}): Placement {
    const placement: Placement = { ...OUTSIDE };
    for (let l = REGION_LEVELS.length - 1; l >= 0; l--) {
      const level = REGION_LEVELS[l]!;
      if (placement[level]) continue;
      const found = this.find(level, lon, lat);
      if (!found) continue;
      placement.inside = true;
      for (let region: IndexedRegion | undefined = found; region;) {
        placement[region.level] = { code: region.code, name: region.name };
        region = region.parentCode ? this.byCode.get(region.parentCode) : undefined;
      }
    }
    const snapMetres = options.snapMetres ?? 0;
    if (!placement.inside || snapMetres <= 0) return placement;
    const deepest = [...REGION_LEVELS].reverse().find((level) => placement[level] !== null);
    let current = deepest ? this.byCode.get(placement[deepest]!.code) : undefined;
    while (current) {
      const kids = this.children.get(current.code) ?? [];
      if (kids.length === 0) break;
      let next = kids.find((k) => containsPoint(polygonsOf(k.geometry), [lon, lat]));
      if (!next) {
        let best = Infinity;
        for (const k of kids) {
          const d = distanceToBoundaryMetres(k.geometry, lon, lat);
          if (d < best) {
            best = d;
            next = k;
          }
        }
        if (!next || best > snapMetres) break;
        placement.snapped = true;
        placement.distanceMetres = Math.max(placement.distanceMetres ?? 0, Math.round(best * 100) / 100);
      }
      placement[next.level] = { code: next.code, name: next.name };
      current = next;
    }
    return placement;
  }
}
