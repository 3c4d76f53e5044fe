import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, LngLatBoundsLike, StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre 6 runs its worker from a separate module file; let Vite ship it as a hashed asset
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { call, client } from '../api/client';
import type { MapConfig } from '../api/models';
import { setDisplayCrs, toDisplay, toMap } from './crs';

// The base map is the district's own polygons (streets, committees, grids) from the API: no online tiles
// or glyph server is needed (MapLibre draws label glyphs with the browser's fonts when the style has no
// glyphs URL). A deployment may add an online basemap under them (MAP_BASEMAP on the server: 天地图,
// 高德 or its own tiles, served in /api/v1/map/config with the CRS they are drawn in), or
// window.__LIANDONG__ = { tileUrl } (WGS84 tiles) in a custom index.html. With a GCJ-02 basemap every
// feature is shown shifted (./crs.ts): whatever goes on the map goes through toDisplay/toMap, whatever
// is read from it through fromMap.

export type Feature = GeoJSON.Feature<
  GeoJSON.Polygon | GeoJSON.MultiPolygon,
  { code: string; name: string; level: string; labelLon: number | null; labelLat: number | null }
>;
export type FeatureCollection = GeoJSON.FeatureCollection<
  GeoJSON.Polygon | GeoJSON.MultiPolygon,
  Feature['properties']
>;

declare global {
  interface Window {
    __LIANDONG__?: { tileUrl?: string; tileAttribution?: string };
  }
}

maplibregl.setWorkerUrl(workerUrl);

/** Minhang's rough extent, used before the polygons arrive. */
export const MINHANG_BOUNDS: LngLatBoundsLike = [
  [121.26, 30.98],
  [121.56, 31.26],
];

let configPromise: Promise<MapConfig> | null = null;
export function loadMapConfig(): Promise<MapConfig> {
  // openapi-fetch reads the [lon, lat] tuple as an array: the contract's type says what it is
  configPromise ??= call(client.GET('/api/v1/map/config'), { quiet401: true })
    .then((config) => config as MapConfig)
    .catch(() => ({}) as MapConfig);
  return configPromise.then((c) => ({ ...c, ...(window.__LIANDONG__ ?? {}) }));
}

const featureCache = new Map<string, Promise<FeatureCollection>>();
/**
 * Region polygons of a level, simplified by the server for a map at `zoom` (issue 11 §7; the overview's
 * street and committee polygons are a fraction of their full size). `zoom` defaults by level: the
 * district and street overview (12) for streets and committees, a zoomed-in street (16) for grids.
 */
export function loadRegions(
  level: 'street' | 'committee' | 'grid',
  within?: string,
  zoom: number = level === 'grid' ? 16 : 12,
): Promise<FeatureCollection> {
  const key = `${level}:${within ?? ''}:${zoom}`;
  let p = featureCache.get(key);
  if (!p) {
    p = call(
      client.GET('/api/v1/map/regions', {
        params: { query: { level, zoom, ...(within ? { within } : {}) } },
      }),
      {
        quiet401: true,
      },
    ).then((collection) => collection as FeatureCollection);
    featureCache.set(key, p);
    p.catch(() => featureCache.delete(key));
  }
  return p;
}

/** Zoomed in past 14, the street and committee outlines are re-read in finer detail (once). */
function refineOnZoom(map: maplibregl.Map, committees: boolean) {
  let done = false;
  const update = () => {
    if (done || map.getZoom() < 14) return;
    done = true;
    const sources = committees ? (['street', 'committee'] as const) : (['street'] as const);
    for (const level of sources)
      loadRegions(level, undefined, 16)
        .then(
          (fc) =>
            void map
              .getSource<GeoJSONSource>(level === 'street' ? 'streets' : 'committees')
              ?.setData(toDisplay(fc)),
        )
        .catch(() => {
          done = false;
        });
  };
  map.on('moveend', update);
  update();
}

export function bboxOf(fc: {
  features: { geometry: GeoJSON.Geometry | null }[];
}): [number, number, number, number] | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as [number, number];
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of fc.features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null;
}

const FONT = ['Noto Sans CJK SC Regular'];

/** One label point per region (its centroid), so a region in several parts is named once. */
export function labelPoints(fc: FeatureCollection): GeoJSON.FeatureCollection<GeoJSON.Point> {
  return {
    type: 'FeatureCollection',
    features: fc.features
      .filter((f) => f.properties.labelLon !== null && f.properties.labelLat !== null)
      .map((f) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [f.properties.labelLon!, f.properties.labelLat!] },
        properties: { code: f.properties.code, name: f.properties.name },
      })),
  };
}

/** The raster layers under the polygons: the configured basemap, or a custom index.html's tileUrl. */
export function basemapOf(config: Partial<MapConfig>): NonNullable<MapConfig['basemap']> {
  const override = window.__LIANDONG__?.tileUrl;
  if (override)
    return {
      kind: 'xyz',
      crs: 'wgs84',
      layers: [{ id: 'xyz', tiles: [override] }],
      attribution: window.__LIANDONG__?.tileAttribution ?? null,
    };
  if (config.basemap) return config.basemap;
  // an older server: its MAP_TILE_URL (WGS84)
  if (config.tileUrl)
    return { kind: 'xyz', crs: 'wgs84', layers: [{ id: 'xyz', tiles: [config.tileUrl] }], attribution: null };
  return { kind: 'none', crs: 'wgs84', layers: [], attribution: null };
}

function baseStyle(basemap: MapConfig['basemap']): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#e9edf1' } }],
  };
  for (const layer of basemap.layers) {
    style.sources[layer.id] = {
      type: 'raster',
      tiles: layer.tiles,
      tileSize: 256,
      ...(basemap.attribution ? { attribution: basemap.attribution } : {}),
    };
    style.layers.push({ id: layer.id, type: 'raster', source: layer.id });
  }
  return style;
}

export interface BaseMapOptions {
  container: HTMLElement;
  interactive?: boolean;
  /** Committee boundaries and names (the full map); small maps show streets only. */
  committees?: boolean;
  /** Grid boundaries of the streets in view when zoomed in. */
  grids?: boolean;
  center?: [number, number];
  zoom?: number;
  /** A region code the user works in: the map opens on its street. */
  focus?: string;
  /** Room kept free when fitting (e.g. for a panel over the map). */
  padding?: { top: number; right: number; bottom: number; left: number };
}

/** Creates a map with the territory base layers; resolves once the style and street polygons are in. */
export async function createBaseMap(options: BaseMapOptions): Promise<maplibregl.Map> {
  const config = await loadMapConfig();
  const basemap = basemapOf(config);
  setDisplayCrs(basemap.crs);
  const map = new maplibregl.Map({
    container: options.container,
    style: baseStyle(basemap),
    ...(options.center
      ? { center: toMap(options.center), zoom: options.zoom ?? 15 }
      : { bounds: MINHANG_BOUNDS }),
    interactive: options.interactive ?? true,
    attributionControl: false,
    localIdeographFontFamily:
      '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif',
    maxZoom: 19,
    minZoom: 9,
  });
  map.addControl(
    new maplibregl.AttributionControl({
      compact: true,
      customAttribution: '演示几何为合成数据 · synthetic demo geometry',
    }),
  );
  if (options.interactive ?? true)
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  await new Promise<void>((resolve) => map.once('load', () => resolve()));
  const tiles = basemap.layers.length > 0;

  const streets = toDisplay(await loadRegions('street'));
  map.addSource('streets', { type: 'geojson', data: streets });
  map.addLayer({
    id: 'streets-fill',
    type: 'fill',
    source: 'streets',
    paint: {
      // a calm four-colour wash so neighbouring streets read apart
      'fill-color': [
        'match',
        ['%', ['to-number', ['slice', ['get', 'code'], 6, 9]], 4],
        0,
        '#f7f4ea',
        1,
        '#eef3ee',
        2,
        '#f1eff6',
        '#eaf1f5',
      ],
      'fill-opacity': tiles ? 0.25 : 1,
    },
  });

  if (options.committees) {
    const committees = toDisplay(await loadRegions('committee'));
    map.addSource('committees', { type: 'geojson', data: committees });
    map.addSource('committee-labels', { type: 'geojson', data: labelPoints(committees) });
    map.addLayer({
      id: 'committees-line',
      type: 'line',
      source: 'committees',
      minzoom: 11.5,
      paint: {
        'line-color': '#9fb0bf',
        'line-width': ['interpolate', ['linear'], ['zoom'], 11.5, 0.3, 15, 1],
      },
    });
  }
  if (options.grids) {
    map.addSource('grids', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: 'grids-line',
      type: 'line',
      source: 'grids',
      minzoom: 13.5,
      paint: { 'line-color': '#b9c5cf', 'line-width': 0.8, 'line-dasharray': [3, 2] },
    });
    map.addLayer({
      id: 'grids-label',
      type: 'symbol',
      source: 'grids',
      minzoom: 15,
      layout: { 'text-field': ['get', 'name'], 'text-size': 10, 'text-font': FONT },
      paint: { 'text-color': '#7d8b98', 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
    });
    watchGrids(map, streets);
  }
  map.addLayer({
    id: 'streets-line',
    type: 'line',
    source: 'streets',
    paint: { 'line-color': '#56697c', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1, 15, 2.2] },
  });
  if (options.committees) {
    map.addLayer({
      id: 'committees-label',
      type: 'symbol',
      source: 'committee-labels',
      minzoom: 13,
      maxzoom: 15,
      layout: { 'text-field': ['get', 'name'], 'text-size': 11, 'text-font': FONT, 'text-padding': 4 },
      paint: { 'text-color': '#5d6e7e', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 },
    });
  }
  map.addSource('street-labels', { type: 'geojson', data: labelPoints(streets) });
  map.addLayer({
    id: 'streets-label',
    type: 'symbol',
    source: 'street-labels',
    maxzoom: 13,
    layout: { 'text-field': ['get', 'name'], 'text-size': 13, 'text-font': FONT },
    paint: { 'text-color': '#2d4052', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
  });
  refineOnZoom(map, !!options.committees);
  if (!options.center) {
    const street = options.focus && options.focus.length >= 9 ? options.focus.slice(0, 9) : null;
    const own = street ? streets.features.filter((f) => f.properties.code === street) : [];
    const box = bboxOf(own.length ? { features: own } : streets);
    if (box) map.fitBounds(box, { padding: options.padding ?? (own.length ? 60 : 20), duration: 0 });
  }
  return map;
}

/** Loads the grids of every street in view once the map is zoomed in far enough to show them. */
function watchGrids(map: maplibregl.Map, streets: FeatureCollection) {
  const boxes = streets.features.map((f) => ({ code: f.properties.code, box: bboxOf({ features: [f] }) }));
  const loaded = new Map<string, Feature[]>();
  const update = () => {
    if (map.getZoom() < 13.5) return;
    const b = map.getBounds();
    const wanted = boxes.filter(
      ({ code, box }) =>
        box &&
        !loaded.has(code) &&
        box[0] <= b.getEast() &&
        box[2] >= b.getWest() &&
        box[1] <= b.getNorth() &&
        box[3] >= b.getSouth(),
    );
    for (const { code } of wanted) {
      loaded.set(code, []);
      loadRegions('grid', code)
        .then((fc) => {
          loaded.set(code, toDisplay(fc).features);
          const source = map.getSource<GeoJSONSource>('grids');
          void source?.setData({ type: 'FeatureCollection', features: [...loaded.values()].flat() });
        })
        .catch(() => loaded.delete(code));
    }
  };
  map.on('moveend', update);
  update();
}

export { maplibregl };
