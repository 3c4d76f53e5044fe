/**
 * The web map's basemap (issue 11 §8): which online raster tiles lie under the district's own polygons,
 * and in which coordinate system they are drawn. Pure: the server resolves the settings (MAP_BASEMAP,
 * TIANDITU_KEY, MAP_TILE_URL, MAP_TILE_CRS) into this view once and serves it in /api/v1/map/config.
 *
 * - `none` (default): no tiles; the district's polygons are the map (works offline).
 * - `tianditu` 天地图: vector `vec_w` + labels `cva_w`, Web Mercator. CGCS2000 differs from WGS84 by
 *   centimetres, so our WGS84 features are drawn unshifted.
 * - `amap` 高德: road map (style 8), GCJ-02: our WGS84 features must be shifted to GCJ-02 for display
 *   (and map clicks shifted back), or they sit some 500 m off its streets.
 * - `xyz`: a deployment's own {z}/{x}/{y} template, in the declared CRS.
 */
export const BASEMAPS = ['none', 'tianditu', 'amap', 'xyz'] as const;
export type Basemap = (typeof BASEMAPS)[number];

/** The systems a basemap may be drawn in (BD-09 basemaps need their own tile scheme: not supported). */
export const TILE_CRS_VALUES = ['wgs84', 'gcj02'] as const;
export type TileCrs = (typeof TILE_CRS_VALUES)[number];

export interface BasemapSettings {
  basemap: Basemap;
  tiandituKey?: string | undefined;
  tileUrl?: string | undefined;
  tileCrs?: TileCrs | undefined;
}

export interface BasemapLayer {
  id: string;
  /** URL templates with {x} {y} {z}; several = the same tiles from several hosts (load spreading). */
  tiles: string[];
}

export interface BasemapView {
  kind: Basemap;
  /** The system the tiles are drawn in: the web map shows every feature in it. */
  crs: TileCrs;
  /** Drawn bottom to top. Empty for `none`. */
  layers: BasemapLayer[];
  /** Shown in the map's attribution (the providers' terms ask for it). */
  attribution: string | null;
}

const tianditu = (layer: 'vec' | 'cva', key: string): string[] =>
  [0, 1, 2, 3, 4, 5, 6, 7].map(
    (n) =>
      `https://t${n}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0` +
      `&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles` +
      `&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`,
  );

const amap = (): string[] =>
  [1, 2, 3, 4].map(
    (n) =>
      `https://webrd0${n}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}`,
  );

/**
 * Resolves the settings into what the web map draws. The settings are validated at start
 * (src/config.ts); a basemap whose key or URL is missing here falls back to `none`.
 */
export function resolveBasemap(settings: BasemapSettings): BasemapView {
  const none: BasemapView = { kind: 'none', crs: 'wgs84', layers: [], attribution: null };
  switch (settings.basemap) {
    case 'tianditu':
      if (!settings.tiandituKey) return none;
      return {
        kind: 'tianditu',
        crs: 'wgs84',
        layers: [
          { id: 'tianditu-vec', tiles: tianditu('vec', settings.tiandituKey) },
          { id: 'tianditu-cva', tiles: tianditu('cva', settings.tiandituKey) },
        ],
        attribution: '© 天地图 国家地理信息公共服务平台',
      };
    case 'amap':
      return {
        kind: 'amap',
        crs: 'gcj02',
        layers: [{ id: 'amap', tiles: amap() }],
        attribution: '© 高德地图 AutoNavi',
      };
    case 'xyz':
      if (!settings.tileUrl) return none;
      return {
        kind: 'xyz',
        crs: settings.tileCrs ?? 'wgs84',
        layers: [{ id: 'xyz', tiles: [settings.tileUrl] }],
        attribution: null,
      };
    default:
      return none;
  }
}

/** The origins the browser must be allowed to load tiles from (Content-Security-Policy). */
export function basemapOrigins(view: BasemapView): string[] {
  const origins = new Set<string>();
  for (const layer of view.layers)
    for (const template of layer.tiles) {
      try {
        origins.add(new URL(template.replace(/[{}]/g, '')).origin);
      } catch {
        // validated at start; a template that is no URL adds no origin
      }
    }
  return [...origins];
}
