import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { basemapOrigins, resolveBasemap } from '../src/core/geo/basemap.ts';
import { convertGeometry, convertPosition, distanceMetres } from '../src/core/geo/crs.ts';
import type { AreaGeometry, Position } from '../src/core/geo/types.ts';
import { buildTestApp } from './support/compilers.ts';
import { fromDisplayPosition, toDisplayGeoJSON, toDisplayPosition } from '../web/src/map/crs.ts';
import { createTestDatabase } from './support/database.ts';

// 闵行区政府 (Minhang district government), WGS84
const MINHANG: Position = [121.3816, 31.1129];

const square = (lon: number, lat: number, d = 0.01): GeoJSON.Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon, lat],
      [lon + d, lat],
      [lon + d, lat + d],
      [lon, lat + d],
      [lon, lat],
    ],
  ],
});

describe('basemap configuration (src/core/geo/basemap.ts)', () => {
  it('draws nothing by default: the district polygons are the map', () => {
    expect(resolveBasemap({ basemap: 'none' })).toEqual({
      kind: 'none',
      crs: 'wgs84',
      layers: [],
      attribution: null,
    });
  });

  it('天地图: vector and labels in Web Mercator, unshifted, with the key', () => {
    const view = resolveBasemap({ basemap: 'tianditu', tiandituKey: 'abc123abc123abc123' });
    expect(view.crs).toBe('wgs84');
    expect(view.layers.map((l) => l.id)).toEqual(['tianditu-vec', 'tianditu-cva']);
    expect(view.layers[0]!.tiles[0]).toMatch(
      /^https:\/\/t0\.tianditu\.gov\.cn\/vec_w\/wmts\?.*TILEMATRIXSET=w.*TILEMATRIX=\{z\}&TILEROW=\{y\}&TILECOL=\{x\}&tk=abc123abc123abc123$/,
    );
    expect(view.layers[1]!.tiles[7]).toContain('https://t7.tianditu.gov.cn/cva_w/wmts?');
    expect(basemapOrigins(view)).toHaveLength(8);
    // no key: no tiles (config.ts refuses this at start)
    expect(resolveBasemap({ basemap: 'tianditu' }).kind).toBe('none');
  });

  it('高德: road tiles from four hosts, in GCJ-02', () => {
    const view = resolveBasemap({ basemap: 'amap' });
    expect(view.crs).toBe('gcj02');
    expect(view.layers[0]!.tiles).toHaveLength(4);
    expect(view.layers[0]!.tiles[0]).toBe(
      'https://webrd01.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}',
    );
    expect(basemapOrigins(view)).toEqual([1, 2, 3, 4].map((n) => `https://webrd0${n}.is.autonavi.com`));
  });

  it('xyz: the template in its declared CRS (WGS84 unless told)', () => {
    const tileUrl = 'https://tiles.example/{z}/{x}/{y}.png';
    expect(resolveBasemap({ basemap: 'xyz', tileUrl })).toMatchObject({ crs: 'wgs84' });
    expect(resolveBasemap({ basemap: 'xyz', tileUrl, tileCrs: 'gcj02' })).toMatchObject({
      crs: 'gcj02',
      layers: [{ id: 'xyz', tiles: [tileUrl] }],
    });
    expect(basemapOrigins(resolveBasemap({ basemap: 'xyz', tileUrl }))).toEqual(['https://tiles.example']);
  });
});

describe('display shift for a GCJ-02 basemap (web/src/map/crs.ts)', () => {
  it('moves a Minhang point some hundreds of metres, as the server conversion does', () => {
    const shown = toDisplayPosition(MINHANG, 'gcj02');
    const metres = distanceMetres(MINHANG, shown);
    expect(metres).toBeGreaterThan(300);
    expect(metres).toBeLessThan(800);
    // one implementation: the same numbers as src/core/geo/crs.ts
    expect(shown).toEqual(convertPosition(MINHANG, 'wgs84', 'gcj02'));
  });

  it('a point round-trips within 1 m (a map click goes back to WGS84)', () => {
    for (const p of [MINHANG, [121.26, 30.98], [121.56, 31.26], [121.45, 31.05]] as Position[]) {
      const back = fromDisplayPosition(toDisplayPosition(p, 'gcj02'), 'gcj02');
      expect(distanceMetres(p, back)).toBeLessThan(1);
    }
  });

  it('leaves everything alone on a WGS84 basemap', () => {
    const fc: GeoJSON.FeatureCollection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: square(...MINHANG), properties: {} }],
    };
    expect(toDisplayGeoJSON(fc, 'wgs84')).toBe(fc);
    expect(toDisplayPosition(MINHANG, 'wgs84')).toEqual(MINHANG);
    expect(fromDisplayPosition(MINHANG, 'wgs84')).toEqual(MINHANG);
  });

  it('a GCJ-02 basemap config produces shifted features: polygons, label points and case points', () => {
    const { crs } = resolveBasemap({ basemap: 'amap' });
    const polygon = square(...MINHANG);
    const fc: GeoJSON.FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: polygon,
          properties: { code: '310112001', name: '江川路街道', labelLon: MINHANG[0], labelLat: MINHANG[1] },
        },
        { type: 'Feature', geometry: { type: 'Point', coordinates: MINHANG }, properties: { id: 'c1' } },
      ],
    };
    const before = structuredClone(fc);
    const shown = toDisplayGeoJSON(fc, crs);
    expect(fc).toEqual(before); // the input is not changed
    const [area, point] = shown.features;
    expect(area!.geometry).toEqual(convertGeometry(polygon as AreaGeometry, 'wgs84', 'gcj02'));
    const shifted = convertPosition(MINHANG, 'wgs84', 'gcj02');
    expect(area!.properties).toEqual({
      code: '310112001',
      name: '江川路街道',
      labelLon: shifted[0],
      labelLat: shifted[1],
    });
    expect(point!.geometry).toEqual({ type: 'Point', coordinates: shifted });
    expect(point!.properties).toEqual({ id: 'c1' });
    // rings stay closed
    const ring = (area!.geometry as GeoJSON.Polygon).coordinates[0]!;
    expect(ring[0]).toEqual(ring[ring.length - 1]);
  });
});

describe('GET /api/v1/map/config serves the configured basemap', () => {
  const mapConfig = async (env: Record<string, string>) => {
    const database = await createTestDatabase();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'liandong-basemap-'));
    const app = await buildTestApp({
      database,
      config: loadConfig({ DATA_DIR: dataDir, ...env }),
      demo: false,
      now: () => new Date('2026-05-01T02:00:00Z'),
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/v1/map/config' });
      expect(res.statusCode, res.body).toBe(200);
      return { body: res.json<{ basemap: unknown }>(), csp: String(res.headers['content-security-policy']) };
    } finally {
      await app.close();
      await database.close();
    }
  };

  it('none without configuration (offline), 高德 in GCJ-02 with its hosts allowed by the CSP', async () => {
    const plain = await mapConfig({});
    expect(plain.body.basemap).toEqual({ kind: 'none', crs: 'wgs84', layers: [], attribution: null });
    expect(plain.csp).not.toContain('autonavi');

    const amap = await mapConfig({ MAP_BASEMAP: 'amap' });
    expect(amap.body.basemap).toMatchObject({ kind: 'amap', crs: 'gcj02' });
    expect(amap.csp).toMatch(/img-src [^;]*https:\/\/webrd01\.is\.autonavi\.com/);
  });
});
