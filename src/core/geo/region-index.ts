import { booleanPointInPolygon } from '@turf/turf';
import Flatbush from 'flatbush';
import { REGION_LEVELS, type RegionLevel } from './region-code.ts';
import { bboxOf, type AreaGeometry } from './types.ts';

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
}

interface LevelIndex {
  boxes: Flatbush;
  regions: IndexedRegion[];
}

const OUTSIDE: Placement = { inside: false, district: null, street: null, committee: null, grid: null };

/**
 * An in-memory spatial index over the territory: a Flatbush R-tree of bounding boxes per level narrows
 * the candidates, then an exact point-in-polygon test (holes and multipolygons respected) decides.
 * Build it once (it is immutable) and ask it many times.
 */
export class RegionIndex {
  private readonly levels = new Map<RegionLevel, LevelIndex>();
  private readonly byCode = new Map<string, IndexedRegion>();

  private constructor(regions: IndexedRegion[]) {
    // ties on shared borders go to the lowest code, whatever order the regions came in
    const sorted = [...regions].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    for (const region of sorted) this.byCode.set(region.code, region);
    for (const level of REGION_LEVELS) {
      const ofLevel = sorted.filter((r) => r.level === level);
      if (ofLevel.length === 0) continue;
      const boxes = new Flatbush(ofLevel.length);
      for (const region of ofLevel) boxes.add(...bboxOf(region.geometry));
      boxes.finish();
      this.levels.set(level, { boxes, regions: ofLevel });
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
    const hits = index.boxes.search(lon, lat, lon, lat).sort((a, b) => a - b);
    for (const i of hits) {
      const region = index.regions[i]!;
      if (booleanPointInPolygon([lon, lat], region.geometry)) return region;
    }
    return null;
  }

  /**
   * Places a WGS84 point in the territory. The finest level that contains the point decides, and its
   * ancestors come from the parent codes, so the answer is always one consistent branch of the tree
   * even where imported boundaries of different levels do not line up exactly.
   */
  locate(lon: number, lat: number): Placement {
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
    return placement;
  }
}
