/**
 * Demo territory for Minhang (闵行区): real names and codes of the district, its 14 streets/towns and 596
 * committees (demo-data/minhang-divisions.csv), with SYNTHETIC geometry — no official street, committee or
 * grid boundaries are public. Streets are a Voronoi split of the real district outline around hand-placed
 * centres; committees and grids are Voronoi splits of random points inside their parent. Every row is
 * marked `synthetic` so the UI can say so. The same seed always gives the same territory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Insertable } from 'kysely';
import { convertGeometry, toWgs84 } from '../core/geo/crs.ts';
import { areaM2, centroidOf } from '../core/geo/measure.ts';
import { repairOutline, splitByVoronoi, spreadSites, type Random } from '../core/geo/partition.ts';
import { gridCode, type RegionLevel } from '../core/geo/region-code.ts';
import { shareBoundaryVertices } from '../core/geo/topology.ts';
import type { AreaGeometry, Position } from '../core/geo/types.ts';
import type { RegionsTable } from '../db/schema/territory.ts';

export const DEMO_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../demo-data');
export const DEFAULT_DEMO_SEED = 20_260_101;

export interface Division {
  code: string;
  name: string;
  level: 'district' | 'street' | 'committee';
  parentCode: string | null;
}

export interface DemoTerritorySource {
  divisions: Division[];
  /** The district outline, WGS84. */
  outline: AreaGeometry;
  /** Approximate centre of each street, WGS84, by street code. */
  streetSeeds: Map<string, Position>;
}

export type RegionRow = Insertable<RegionsTable> & {
  level: RegionLevel;
  geometry: AreaGeometry;
  synthetic: true;
};

const csvRows = (text: string): string[][] =>
  text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(1)
    .map((line) => line.split(',').map((cell) => cell.trim()));

/**
 * Reads the Minhang source files. The outline and the seed points come from a web map and are GCJ-02
 * (see demo-data/ATTRIBUTION.md); they are converted to WGS84 here, and the outline is repaired (the
 * low-resolution source pinches itself in two places).
 */
export function loadMinhangSource(dir = DEMO_DATA_DIR): DemoTerritorySource {
  const divisions = csvRows(fs.readFileSync(path.join(dir, 'minhang-divisions.csv'), 'utf8')).map(
    ([code, name, level, parent]): Division => ({
      code: code!,
      name: name!,
      level: level as Division['level'],
      // the district is the root of our tree; its parent (the city, 310100) is not stored
      parentCode: level === 'district' ? null : parent!,
    }),
  );
  const boundary = JSON.parse(fs.readFileSync(path.join(dir, 'minhang-boundary.geojson'), 'utf8')) as {
    features: { geometry: AreaGeometry }[];
  };
  const outline = repairOutline(convertGeometry(boundary.features[0]!.geometry, 'gcj02', 'wgs84'));
  const streetSeeds = new Map<string, Position>();
  for (const [code, , lon, lat] of csvRows(
    fs.readFileSync(path.join(dir, 'minhang-street-seeds.csv'), 'utf8'),
  )) {
    streetSeeds.set(code!, toWgs84(Number(lon), Number(lat), 'gcj02'));
  }
  return { divisions, outline, streetSeeds };
}

/** mulberry32: a tiny, fast, seedable PRNG; good enough for demo shapes. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const row = (
  code: string,
  name: string,
  level: RegionLevel,
  parentCode: string | null,
  geometry: AreaGeometry,
): RegionRow => {
  const [lon, lat] = centroidOf(geometry);
  return {
    code,
    name,
    level,
    parent_code: parentCode,
    geometry,
    centroid_lon: lon,
    centroid_lat: lat,
    area_m2: areaM2(geometry),
    synthetic: true,
  };
};

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * Generates the demo territory rows, parents before children (district, streets, committees, grids).
 * Each committee gets 2–6 grids (more for larger committees), about 2,000 in all, coded committee code +
 * 2-digit sequence. The levels tile exactly: siblings share their borders vertex for vertex, every child
 * lies inside its parent and the children of a parent cover it (no slivers).
 */
export function generateDemoTerritory(source: DemoTerritorySource, seed = DEFAULT_DEMO_SEED): RegionRow[] {
  const random = seededRandom(seed);
  const district = source.divisions.find((d) => d.level === 'district');
  if (!district) throw new Error('divisions have no district');
  // drafts first; area and centroid once, at the end, on the final (shared-vertex) geometry
  type Draft = {
    code: string;
    name: string;
    level: RegionLevel;
    parentCode: string | null;
    geometry: AreaGeometry;
  };
  const drafts: Draft[] = [
    {
      code: district.code,
      name: district.name,
      level: 'district',
      parentCode: null,
      geometry: source.outline,
    },
  ];

  const streets = source.divisions.filter((d) => d.level === 'street').sort(byCode);
  const streetSites = streets.map((s) => {
    const site = source.streetSeeds.get(s.code);
    if (!site) throw new Error(`no seed point for street ${s.code} ${s.name}`);
    return site;
  });
  // streets keep their hand-placed centres (no relaxation), so each centre stays inside its street
  const streetShapes = splitByVoronoi(source.outline, streetSites);
  const committeeDrafts: (Draft & { area: number })[] = [];
  streets.forEach((street, i) => {
    const shape = streetShapes[i]!;
    drafts.push({
      code: street.code,
      name: street.name,
      level: 'street',
      parentCode: district.code,
      geometry: shape,
    });
    const committees = source.divisions
      .filter((d) => d.level === 'committee' && d.parentCode === street.code)
      .sort(byCode);
    splitByVoronoi(shape, spreadSites(shape, committees.length, random)).forEach((piece, j) => {
      const c = committees[j]!;
      committeeDrafts.push({
        code: c.code,
        name: c.name,
        level: 'committee',
        parentCode: street.code,
        geometry: piece,
        area: areaM2(piece),
      });
    });
  });
  drafts.push(...committeeDrafts);

  const medianArea =
    [...committeeDrafts.map((c) => c.area)].sort((a, b) => a - b)[committeeDrafts.length >> 1] ?? 0;
  for (const committee of committeeDrafts) {
    const larger = committee.area > medianArea ? 1 : 0;
    const count = 2 + Math.floor(random() * 3) + larger; // 2–4, or 3–5 for the larger half; 6 for the largest
    const n = Math.min(6, count + (committee.area > 4 * medianArea ? 1 : 0));
    splitByVoronoi(committee.geometry, spreadSites(committee.geometry, n, random)).forEach((piece, j) => {
      drafts.push({
        code: gridCode(committee.code, j + 1),
        name: `${committee.name}第${j + 1}网格`,
        level: 'grid',
        parentCode: committee.code,
        geometry: piece,
      });
    });
  }
  // clipping put new vertices on parents' edges; give every neighbour (and every level) the same ones,
  // so borders are shared exactly and areas add up on the sphere too, not only in the lon/lat plane
  const shared = shareBoundaryVertices(drafts.map((d) => d.geometry));
  return drafts.map((d, i) => row(d.code, d.name, d.level, d.parentCode, shared[i]!));
}
