import { useEffect, useRef, useState } from 'react';
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useI18n } from '../i18n';
import { call, client } from '../api/client';
import { navigate } from '../router';
import { maplibregl } from './base';
import { fromMap, toDisplay } from './crs';
import '../styles/baseui.css';

/** Colours of the base-information layers (legend and map share them). */
export const BASE_LAYER_COLOURS = {
  licensed: '#3a7d44',
  unlicensed: '#c0392b',
  crowded: '#8e44ad',
  workshop: '#d35400',
} as const;

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
const UNIT_LAYER = 'base-units';
const DWELLING_LAYER = 'base-risk-dwellings';

/**
 * 基础信息图层 on the case map (issue 12 §8): businesses coloured by licence (unlicensed trades red) and
 * the dwellings with a risk flag (群租 purple, 住改工 orange), loaded for the visible box when the map
 * stops moving. Its own sources and layers: other layers (warnings…) live in their own components.
 */
export function BaseInfoLayers({
  map,
  units,
  dwellings,
}: {
  map: MlMap | null;
  units: boolean;
  dwellings: boolean;
}) {
  const { t } = useI18n();
  const tRef = useRef(t);
  tRef.current = t;
  const [status, setStatus] = useState<{ units: number; dwellings: number; truncated: boolean } | null>(null);

  // sources, layers, popups: once per map
  useEffect(() => {
    if (!map || map.getSource(UNIT_LAYER)) return;
    map.addSource(UNIT_LAYER, { type: 'geojson', data: EMPTY });
    map.addSource(DWELLING_LAYER, { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: UNIT_LAYER,
      type: 'circle',
      source: UNIT_LAYER,
      layout: { visibility: 'none' },
      paint: {
        'circle-color': [
          'case',
          ['in', 'unlicensed', ['get', 'risks']],
          BASE_LAYER_COLOURS.unlicensed,
          BASE_LAYER_COLOURS.licensed,
        ],
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 3, 17, 7],
        'circle-stroke-width': 1,
        'circle-stroke-color': '#ffffff',
      },
    });
    map.addLayer({
      id: DWELLING_LAYER,
      type: 'circle',
      source: DWELLING_LAYER,
      layout: { visibility: 'none' },
      paint: {
        'circle-color': [
          'case',
          ['in', 'crowded', ['get', 'risks']],
          BASE_LAYER_COLOURS.crowded,
          BASE_LAYER_COLOURS.workshop,
        ],
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 5, 17, 10],
        'circle-stroke-width': 2,
        'circle-stroke-color': '#ffffff',
      },
    });
    const popup = (e: maplibregl.MapLayerMouseEvent) => {
      const f = e.features?.[0];
      if (!f || f.geometry.type !== 'Point') return;
      // maplibre hands properties back flattened: arrays arrive as JSON text
      const p = f.properties as Record<string, string | number | null>;
      const risks = JSON.parse(String(p.risks ?? '[]')) as string[];
      const el = document.createElement('div');
      el.className = 'map-popup';
      const a = document.createElement('a');
      a.href = `/addresses/${encodeURIComponent(String(p.addressId))}`;
      a.textContent = String(p.name ?? p.address ?? '');
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        navigate(a.getAttribute('href')!);
      });
      const line = document.createElement('div');
      const tr = tRef.current;
      line.textContent = [
        p.industry ? tr(`base.industry.${String(p.industry)}` as never) : null,
        p.licenceStatus ? tr(`base.licence.${String(p.licenceStatus)}` as never) : null,
        p.occupants !== undefined && p.occupants !== null && p.areaM2 !== null
          ? tr('baseui.map.occupancy', { n: Number(p.occupants), m2: Number(p.areaM2) })
          : null,
        ...risks.map((r) => tr(`baseui.risk.${r}` as never)),
      ]
        .filter(Boolean)
        .join(' · ');
      el.append(a, line);
      new maplibregl.Popup({ closeButton: true, offset: 8 })
        .setLngLat(f.geometry.coordinates as [number, number])
        .setDOMContent(el)
        .addTo(map);
    };
    for (const id of [UNIT_LAYER, DWELLING_LAYER]) {
      map.on('click', id, popup);
      map.on('mouseenter', id, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', id, () => (map.getCanvas().style.cursor = ''));
    }
  }, [map]);

  // visibility, and the data of the visible box while a layer is on
  useEffect(() => {
    if (!map) return;
    const vis = (on: boolean) => (on ? 'visible' : 'none');
    map.setLayoutProperty(UNIT_LAYER, 'visibility', vis(units));
    map.setLayoutProperty(DWELLING_LAYER, 'visibility', vis(dwellings));
    if (!units && !dwellings) {
      setStatus(null);
      return;
    }
    let controller: AbortController | null = null;
    const load = () => {
      controller?.abort();
      controller = new AbortController();
      const b = map.getBounds();
      // the visible box in WGS84 (the map may be drawn in GCJ-02)
      const [west, south] = fromMap([b.getWest(), b.getSouth()]);
      const [east, north] = fromMap([b.getEast(), b.getNorth()]);
      call(
        client.GET('/api/v1/base/map', {
          params: {
            query: {
              minLon: Math.max(west, -180),
              minLat: Math.max(south, -90),
              maxLon: Math.min(east, 180),
              maxLat: Math.min(north, 90),
            },
          },
          signal: controller.signal,
        }),
      )
        .then((layers) => {
          void map
            .getSource<GeoJSONSource>(UNIT_LAYER)
            ?.setData(toDisplay(layers.units as GeoJSON.FeatureCollection));
          void map
            .getSource<GeoJSONSource>(DWELLING_LAYER)
            ?.setData(toDisplay(layers.dwellings as GeoJSON.FeatureCollection));
          setStatus({
            units: layers.units.features.length,
            dwellings: layers.dwellings.features.length,
            truncated: layers.truncated,
          });
        })
        .catch(() => undefined); // aborted by a newer box, or shown as an empty layer
    };
    load();
    map.on('moveend', load);
    return () => {
      map.off('moveend', load);
      controller?.abort();
    };
  }, [map, units, dwellings]);

  if (!units && !dwellings) return null;
  return (
    <div className="legend-list base-legend" aria-label={t('baseui.map.legend')} data-testid="base-legend">
      {units && (
        <>
          <div>
            <span className="swatch" style={{ background: BASE_LAYER_COLOURS.licensed }} />
            {t('baseui.map.licensed')}
          </div>
          <div>
            <span className="swatch" style={{ background: BASE_LAYER_COLOURS.unlicensed }} />
            {t('baseui.risk.unlicensed')}
          </div>
        </>
      )}
      {dwellings && (
        <>
          <div>
            <span className="swatch" style={{ background: BASE_LAYER_COLOURS.crowded }} />
            {t('baseui.risk.crowded')}
          </div>
          <div>
            <span className="swatch" style={{ background: BASE_LAYER_COLOURS.workshop }} />
            {t('baseui.risk.workshop_in_residential')}
          </div>
        </>
      )}
      {status && (
        <div className="muted small" role="status" data-testid="base-layer-count">
          {t('baseui.map.count', { units: status.units, dwellings: status.dwellings })}
          {status.truncated ? ` · ${t('baseui.map.truncated')}` : ''}
        </div>
      )}
    </div>
  );
}
