/**
 * The GeoJSON shapes the territory uses (RFC 7946), kept local so the core depends on no typing package.
 * Coordinates are [lon, lat] in WGS84 unless a function says otherwise.
 */
export type Position = [number, number];
export type Ring = Position[];

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Ring[];
}

export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Ring[][];
}

/** A region's shape: one polygon (with holes) or several. */
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

/** The polygons of a geometry, each as [shell, ...holes]. */
export const polygonsOf = (geometry: AreaGeometry): Ring[][] =>
  geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;

/** The smallest geometry for a list of polygons: a Polygon for one, a MultiPolygon for several. */
export const geometryOf = (polygons: Ring[][]): AreaGeometry =>
  polygons.length === 1
    ? { type: 'Polygon', coordinates: polygons[0]! }
    : { type: 'MultiPolygon', coordinates: polygons };

export function bboxOf(geometry: AreaGeometry): BBox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of polygonsOf(geometry)) {
    // holes lie inside the shell, so the shell alone bounds the polygon
    for (const [x, y] of polygon[0] ?? []) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  }
  return [minX, minY, maxX, maxY];
}
