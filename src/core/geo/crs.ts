import { distance } from '@turf/turf';
import gcoordModule from 'gcoord';
import type { AreaGeometry, Position } from './types.ts';

/**
 * Coordinate reference systems met in China (DESIGN §3): phones give WGS84, Chinese web maps use GCJ-02
 * (高德/腾讯) and Baidu uses BD-09. The platform stores WGS84 and converts at the edge.
 */
export const CRS_VALUES = ['wgs84', 'gcj02', 'bd09'] as const;
export type Crs = (typeof CRS_VALUES)[number];

// gcoord's typings declare an ES default export, but the package is CommonJS whose module.exports is the
// API itself — which is what a default import yields at run time. Bridge the two for the type checker.
type Gcoord = (typeof gcoordModule)['default'];
const gcoord: Gcoord =
  'transform' in gcoordModule ? (gcoordModule as unknown as Gcoord) : gcoordModule.default;

const GCOORD_CRS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

export const isCrs = (value: unknown): value is Crs =>
  typeof value === 'string' && (CRS_VALUES as readonly string[]).includes(value);

/**
 * Converts one [lon, lat] position between systems. The GCJ-02/BD-09 offsets are defined only inside
 * China; gcoord returns positions outside China unchanged, which is what we want (they are not shifted).
 */
export function convertPosition(position: Position, from: Crs, to: Crs): Position {
  if (from === to) return [position[0], position[1]];
  const [lon, lat] = gcoord.transform([position[0], position[1]], GCOORD_CRS[from], GCOORD_CRS[to]);
  return [lon, lat];
}

/** Converts a point given in `crs` to WGS84. */
export const toWgs84 = (lon: number, lat: number, crs: Crs): Position =>
  convertPosition([lon, lat], crs, 'wgs84');

/** Converts a WGS84 point to `crs` (e.g. to place a marker on a GCJ-02 base map). */
export const fromWgs84 = (lon: number, lat: number, crs: Crs): Position =>
  convertPosition([lon, lat], 'wgs84', crs);

/**
 * Converts every vertex of a polygon geometry. The datum shifts vary smoothly over hundreds of
 * kilometres, so converting vertex by vertex keeps the shape; rings stay closed because equal input
 * vertices give equal output vertices.
 */
export function convertGeometry<G extends AreaGeometry>(geometry: G, from: Crs, to: Crs): G {
  if (from === to) return geometry;
  const ring = (r: Position[]) => r.map((p) => convertPosition(p, from, to));
  if (geometry.type === 'Polygon') return { ...geometry, coordinates: geometry.coordinates.map(ring) };
  return { ...geometry, coordinates: geometry.coordinates.map((polygon) => polygon.map(ring)) };
}

/** Great-circle distance in metres between two WGS84 positions. */
export const distanceMetres = (a: Position, b: Position): number => distance(a, b, { units: 'meters' });
