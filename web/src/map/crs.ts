import gcoordModule from 'gcoord';

/**
 * The display shift for a GCJ-02 basemap (issue 11 §8). The API speaks WGS84 everywhere; 高德 tiles (and
 * an xyz basemap declared MAP_TILE_CRS=gcj02) are drawn in GCJ-02, so the web map shows every feature
 * shifted to GCJ-02 and shifts every position it reads back from the map (a click, a dragged pin, the
 * visible box) to WGS84 before it is sent. With a WGS84 basemap (none, 天地图, xyz) nothing moves.
 *
 * One implementation: the conversion is the gcoord library, the same one src/core/geo/crs.ts uses on
 * the server (the web app cannot import src); test/web-map-crs.test.ts checks the two agree.
 */
export type DisplayCrs = 'wgs84' | 'gcj02';
type Position = [number, number];

// gcoord is CommonJS (its module.exports is the API) with an ES build for bundlers; the two type
// checkers (web: bundler resolution, test: node) read its typings differently. Take what is there.
interface Gcoord {
  transform(input: [number, number], from: unknown, to: unknown): [number, number];
  WGS84: unknown;
  GCJ02: unknown;
}
const loaded = gcoordModule as unknown as Gcoord & { default?: Gcoord };
const gcoord: Gcoord = typeof loaded.transform === 'function' ? loaded : loaded.default!;

/** WGS84 [lon, lat] → the basemap's system. */
export function toDisplayPosition(p: readonly number[], crs: DisplayCrs): Position {
  if (crs === 'wgs84') return [p[0]!, p[1]!];
  const [lon, lat] = gcoord.transform([p[0]!, p[1]!], gcoord.WGS84, gcoord.GCJ02);
  return [lon, lat];
}

/** A position read from the map (the basemap's system) → WGS84 [lon, lat]. */
export function fromDisplayPosition(p: readonly number[], crs: DisplayCrs): Position {
  if (crs === 'wgs84') return [p[0]!, p[1]!];
  const [lon, lat] = gcoord.transform([p[0]!, p[1]!], gcoord.GCJ02, gcoord.WGS84);
  return [lon, lat];
}

const shiftCoordinates = (c: unknown, crs: DisplayCrs): unknown =>
  Array.isArray(c) && typeof c[0] === 'number'
    ? [...toDisplayPosition(c as number[], crs), ...(c as number[]).slice(2)]
    : Array.isArray(c)
      ? c.map((x) => shiftCoordinates(x, crs))
      : c;

function shiftGeometry<G extends GeoJSON.Geometry | null>(g: G, crs: DisplayCrs): G {
  if (!g) return g;
  if (g.type === 'GeometryCollection')
    return { ...g, geometries: g.geometries.map((x) => shiftGeometry(x, crs)) };
  return { ...g, coordinates: shiftCoordinates(g.coordinates, crs) } as G;
}

/**
 * WGS84 GeoJSON → the basemap's system (a new object; the input is left as it is). Region features'
 * label points (labelLon/labelLat) move with them.
 */
export function toDisplayGeoJSON<T extends GeoJSON.GeoJSON>(data: T, crs: DisplayCrs): T {
  if (crs === 'wgs84') return data;
  if (data.type === 'FeatureCollection')
    return { ...data, features: data.features.map((f) => toDisplayGeoJSON(f, crs)) };
  if (data.type === 'Feature') {
    const props = data.properties as { labelLon?: unknown; labelLat?: unknown } | null;
    const label =
      props && typeof props.labelLon === 'number' && typeof props.labelLat === 'number'
        ? toDisplayPosition([props.labelLon, props.labelLat], crs)
        : null;
    return {
      ...data,
      geometry: shiftGeometry(data.geometry, crs),
      ...(label ? { properties: { ...props, labelLon: label[0], labelLat: label[1] } } : {}),
    };
  }
  return shiftGeometry(data as GeoJSON.Geometry, crs) as T;
}

// The system of the basemap in use: set once by createBaseMap from /api/v1/map/config (one basemap per
// deployment), read by every layer that puts WGS84 data on the map or reads a position from it.
let current: DisplayCrs = 'wgs84';
export const setDisplayCrs = (crs: DisplayCrs): void => {
  current = crs;
};
export const displayCrs = (): DisplayCrs => current;

/** WGS84 → the map (the current basemap's system). */
export const toDisplay = <T extends GeoJSON.GeoJSON>(data: T): T => toDisplayGeoJSON(data, current);
export const toMap = (p: readonly number[]): Position => toDisplayPosition(p, current);
/** The map → WGS84 (a click, a dragged pin, a corner of the visible box). */
export const fromMap = (p: { lng: number; lat: number } | readonly number[]): Position =>
  fromDisplayPosition('lng' in p ? [p.lng, p.lat] : p, current);
