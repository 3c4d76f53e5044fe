import { useEffect, useRef, useState } from 'react';
import type { ExpressionSpecification, GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { call, client } from '../api/client';
import { useThrottled } from '../api/hooks';
import { useLiveEvents } from '../api/live';
import type { components } from '../api/schema';
import { useI18n, type MessageKey } from '../i18n';
import { navigate } from '../router';
import { maplibregl } from './base';
import { toDisplay, toMap } from './crs';

type Warning = components['schemas']['Warning'];
type Rule = components['schemas']['WarningRule'];

/** Each rule's marker: a colour and one character (drawn with the browser's fonts, no sprite needed). */
export const WARNING_MARKERS: Record<Rule, { colour: string; glyph: string }> = {
  recurrence: { colour: '#c0392b', glyph: '重' },
  hotspot: { colour: '#d35400', glyph: '热' },
  group_renting: { colour: '#8e44ad', glyph: '群' },
  unlicensed_business: { colour: '#b7950b', glyph: '证' },
  illegal_medical: { colour: '#16a085', glyph: '医' },
  repeated_disputes: { colour: '#2c3e50', glyph: '纠' },
  stability_signal: { colour: '#e91e63', glyph: '稳' },
};

const SOURCE = 'warnings';
const LAYERS = ['warnings-marker', 'warnings-glyph'];
const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
const PAGE = 200;
const MAX = 2000;

const byRule = (key: 'colour' | 'glyph'): ExpressionSpecification =>
  [
    'match',
    ['get', 'rule'],
    ...Object.entries(WARNING_MARKERS).flatMap(([rule, m]) => [rule, m[key]]),
    key === 'colour' ? '#7b8794' : '!',
  ] as unknown as ExpressionSpecification;

/** The open warnings the user's centre sees (the server scopes them), page by page. */
async function loadOpenWarnings(): Promise<Warning[]> {
  const out: Warning[] = [];
  for (let offset = 0; offset < MAX; offset += PAGE) {
    const page = await call(
      client.GET('/api/v1/warnings', { params: { query: { state: 'open', limit: PAGE, offset } } }),
    );
    out.push(...page.items);
    if (page.items.length < PAGE) break;
  }
  return out;
}

/**
 * 预警图层 on the case map (issue 13): the open warnings as markers, one colour and character per rule;
 * a popup gives the rule, the evidence and a link to the warning. Re-read when a warning event arrives.
 * `focus` (a warning id, from the warnings page) centres the map on it and opens its popup.
 */
export function WarningLayer({
  map,
  visible,
  focus,
}: {
  map: MlMap | null;
  visible: boolean;
  focus?: string | null;
}) {
  const { t } = useI18n();
  const tRef = useRef(t);
  tRef.current = t;
  const [warnings, setWarnings] = useState<Warning[] | null>(null);
  const [error, setError] = useState(false);
  const focused = useRef(false);

  const reload = () =>
    loadOpenWarnings().then(
      (w) => {
        setWarnings(w);
        setError(false);
      },
      () => setError(true),
    );
  useEffect(() => {
    void reload();
  }, []);
  const live = useThrottled(() => void reload(), 1500);
  useLiveEvents((e) => {
    if (e.type === 'warning') live();
  });

  const popup = (
    m: MlMap,
    p: { id: string; rule: string; cases: number; records: number },
    at: [number, number],
  ) => {
    const tr = tRef.current;
    const el = document.createElement('div');
    el.className = 'map-popup';
    el.dataset.warningPopup = p.id;
    const title = document.createElement('strong');
    title.textContent = tr(`warnings.rule.${p.rule}` as MessageKey);
    const line = document.createElement('div');
    line.textContent = tr('warnings.evidence', { cases: p.cases, records: p.records });
    const a = document.createElement('a');
    a.href = `/warnings?focus=${p.id}`;
    a.textContent = tr('warnings.map.open');
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      navigate(`/warnings?focus=${p.id}`);
    });
    el.append(title, line, a);
    new maplibregl.Popup({ closeButton: true, offset: 12 }).setLngLat(at).setDOMContent(el).addTo(m);
  };

  // source, layers, popup: once per map
  useEffect(() => {
    if (!map || map.getSource(SOURCE)) return;
    map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'warnings-marker',
      type: 'circle',
      source: SOURCE,
      paint: {
        'circle-color': byRule('colour'),
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 8, 16, 12],
        'circle-stroke-width': 2,
        'circle-stroke-color': '#ffffff',
      },
    });
    map.addLayer({
      id: 'warnings-glyph',
      type: 'symbol',
      source: SOURCE,
      layout: {
        'text-field': byRule('glyph'),
        'text-size': ['interpolate', ['linear'], ['zoom'], 10, 10, 16, 14],
        'text-font': ['Noto Sans CJK SC Bold'],
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': '#ffffff' },
    });
    map.on('click', 'warnings-marker', (e) => {
      const f = e.features?.[0];
      if (!f || f.geometry.type !== 'Point') return;
      popup(
        map,
        f.properties as { id: string; rule: string; cases: number; records: number },
        f.geometry.coordinates as [number, number],
      );
    });
    map.on('mouseenter', 'warnings-marker', () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', 'warnings-marker', () => (map.getCanvas().style.cursor = ''));
  }, [map]);

  useEffect(() => {
    if (!map || !warnings) return;
    const features = warnings.map((w): GeoJSON.Feature<GeoJSON.Point> => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [w.lon, w.lat] },
      properties: { id: w.id, rule: w.rule, cases: w.caseIds.length, records: w.recordIds.length },
    }));
    void map.getSource<GeoJSONSource>(SOURCE)?.setData(toDisplay({ type: 'FeatureCollection', features }));
    const target = focus ? warnings.find((w) => w.id === focus) : undefined;
    if (target && !focused.current) {
      focused.current = true;
      map.jumpTo({ center: toMap([target.lon, target.lat]), zoom: 15 });
      popup(
        map,
        { id: target.id, rule: target.rule, cases: target.caseIds.length, records: target.recordIds.length },
        toMap([target.lon, target.lat]),
      );
    }
  }, [map, warnings, focus]);

  useEffect(() => {
    if (!map || !map.getSource(SOURCE)) return;
    for (const id of LAYERS) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }, [map, visible, warnings]);

  if (!visible) return null;
  return (
    <div
      className="muted small"
      role="status"
      data-testid="warning-layer"
      data-count={warnings?.length ?? ''}
    >
      {error ? '—' : warnings ? t('warnings.map.count', { n: warnings.length }) : '…'}
      {warnings && warnings.length > 0 && (
        <div className="legend-list">
          {(Object.keys(WARNING_MARKERS) as Rule[])
            .filter((r) => warnings.some((w) => w.rule === r))
            .map((r) => (
              <div key={r}>
                <span
                  className="swatch warning-swatch"
                  style={{ background: WARNING_MARKERS[r].colour }}
                  aria-hidden="true"
                >
                  {WARNING_MARKERS[r].glyph}
                </span>
                {t(`warnings.rule.${r}` as MessageKey)}
              </div>
            ))}
        </div>
      )}
    </div>
  );
}
