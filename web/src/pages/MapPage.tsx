import { useEffect, useRef, useState } from 'react';
import type { ExpressionSpecification, GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useI18n } from '../i18n';
import { call, client } from '../api/client';
import { useThrottled } from '../api/hooks';
import { useLiveEvents } from '../api/live';
import { OPEN_STATES, type CaseSummary } from '../api/models';
import { navigate } from '../router';
import { useMe, useReference } from '../session';
import { caseLonLat, deadlineColour } from '../lib/format';
import { stateLabel } from '../lib/labels';
import { DEADLINE_COLOURS, STATE_COLOURS } from '../lib/colours';
import { createBaseMap, maplibregl } from '../map/base';
import { toDisplay } from '../map/crs';
import { ErrorBox } from '../components/ui';
import { categoryName } from '../components/CaseTable';
import { BaseInfoLayers } from '../map/BaseInfoLayers';
import { WarningLayer } from '../map/WarningLayer';
import { seesWarnings } from '../components/Layout';
import { useLocation } from '../router';

type ColourBy = 'state' | 'deadline';

const MAX_CASES = 5000;

/** All open cases the user may see (the server scopes the list), page by page. */
async function loadOpenCases(): Promise<CaseSummary[]> {
  const out: CaseSummary[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await call(
      client.GET('/api/v1/cases', {
        params: { query: { state: OPEN_STATES, limit: 200, cursor: cursor ?? undefined } },
      }),
    );
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < MAX_CASES);
  return out;
}

function toFeatures(
  cases: CaseSummary[],
  name: (c: CaseSummary) => string,
): GeoJSON.FeatureCollection<GeoJSON.Point> {
  const now = Date.now();
  const features: GeoJSON.Feature<GeoJSON.Point>[] = [];
  for (const c of cases) {
    const p = caseLonLat(c);
    if (!p) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: p },
      properties: {
        id: c.id,
        number: c.caseNo,
        state: c.state,
        colour: deadlineColour(c, now) ?? 'none',
        category: name(c),
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

const stateColour: ExpressionSpecification = [
  'match',
  ['get', 'state'],
  ...Object.entries(STATE_COLOURS).flat(),
  '#5f7388',
] as unknown as ExpressionSpecification;
const deadlineColourExpr: ExpressionSpecification = [
  'match',
  ['get', 'colour'],
  ...Object.entries(DEADLINE_COLOURS).flat(),
  '#7b8794',
] as unknown as ExpressionSpecification;

/** 案件地图: territory boundaries with names, open cases clustered and coloured, a heat layer. */
export default function MapPage() {
  const { t, pick } = useI18n();
  const ref = useReference();
  const me = useMe();
  const { search } = useLocation();
  const focusWarning = search.get('warning');
  const warningsAllowed = seesWarnings(me);
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MlMap | null>(null);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [cases, setCases] = useState<CaseSummary[] | null>(null);
  const [colourBy, setColourBy] = useState<ColourBy>('deadline');
  const [layers, setLayers] = useState({
    committees: true,
    grids: true,
    cases: true,
    heat: false,
    baseUnits: false,
    baseDwellings: false,
    warnings: true,
  });
  const refRef = useRef(ref);
  refRef.current = ref;
  const tRef = useRef(t);
  tRef.current = t;

  const reload = () =>
    loadOpenCases()
      .then(setCases)
      .catch((e: unknown) => setError(e));
  useEffect(() => {
    void reload();
  }, []);
  const live = useThrottled(() => void reload(), 2000);
  useLiveEvents(() => live());

  useEffect(() => {
    let disposed = false;
    let map: MlMap | null = null;
    const focus = me.unit.kind === 'region' ? me.unit.code : undefined;
    createBaseMap({
      container: container.current!,
      committees: true,
      grids: true,
      padding: { top: 30, right: 50, bottom: 30, left: 270 },
      ...(focus ? { focus } : {}),
    })
      .then((m) => {
        map = m;
        if (disposed) return m.remove();
        mapRef.current = m;
        const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
        m.addSource('cases', {
          type: 'geojson',
          data: empty,
          cluster: true,
          clusterMaxZoom: 14,
          clusterRadius: 42,
        });
        m.addSource('cases-heat', { type: 'geojson', data: empty });
        m.addLayer({
          id: 'heat',
          type: 'heatmap',
          source: 'cases-heat',
          layout: { visibility: 'none' },
          paint: {
            'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 9, 16, 15, 34],
            'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 10, 0.8, 15, 2],
            'heatmap-opacity': 0.75,
          },
        });
        m.addLayer({
          id: 'clusters',
          type: 'circle',
          source: 'cases',
          filter: ['has', 'point_count'],
          paint: {
            'circle-color': '#24465f',
            'circle-opacity': 0.85,
            'circle-radius': ['step', ['get', 'point_count'], 13, 10, 17, 50, 22, 200, 28],
            'circle-stroke-width': 2,
            'circle-stroke-color': '#ffffff',
          },
        });
        m.addLayer({
          id: 'cluster-count',
          type: 'symbol',
          source: 'cases',
          filter: ['has', 'point_count'],
          layout: {
            'text-field': ['get', 'point_count_abbreviated'],
            'text-size': 12,
            'text-font': ['Noto Sans CJK SC Bold'],
          },
          paint: { 'text-color': '#ffffff' },
        });
        m.addLayer({
          id: 'case-points',
          type: 'circle',
          source: 'cases',
          filter: ['!', ['has', 'point_count']],
          paint: {
            'circle-color': deadlineColourExpr,
            'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 5, 16, 8],
            'circle-stroke-width': 1.5,
            'circle-stroke-color': '#ffffff',
          },
        });
        m.on('click', 'clusters', (e) => {
          const f = e.features?.[0];
          const clusterId = f?.properties?.cluster_id as number | undefined;
          if (clusterId === undefined || f?.geometry.type !== 'Point') return;
          void m
            .getSource<GeoJSONSource>('cases')
            ?.getClusterExpansionZoom(clusterId)
            .then((zoom) =>
              m.easeTo({ center: (f.geometry as GeoJSON.Point).coordinates as [number, number], zoom }),
            );
        });
        m.on('click', 'case-points', (e) => {
          const f = e.features?.[0];
          if (!f || f.geometry.type !== 'Point') return;
          const p = f.properties as { id: string; number: string; state: string; category: string };
          const el = document.createElement('div');
          el.className = 'map-popup';
          const a = document.createElement('a');
          a.href = `/cases/${p.id}`;
          a.textContent = p.number;
          a.className = 'mono';
          a.addEventListener('click', (ev) => {
            ev.preventDefault();
            navigate(`/cases/${p.id}`);
          });
          const line = document.createElement('div');
          line.textContent = `${p.category} · ${stateLabel(tRef.current, p.state)}`;
          el.append(a, line);
          new maplibregl.Popup({ closeButton: true, offset: 10 })
            .setLngLat(f.geometry.coordinates as [number, number])
            .setDOMContent(el)
            .addTo(m);
        });
        for (const id of ['clusters', 'case-points']) {
          m.on('mouseenter', id, () => (m.getCanvas().style.cursor = 'pointer'));
          m.on('mouseleave', id, () => (m.getCanvas().style.cursor = ''));
        }
        setReady(true);
      })
      .catch((e: unknown) => setError(e));
    return () => {
      disposed = true;
      mapRef.current = null;
      map?.remove();
    };
  }, []);

  // data
  useEffect(() => {
    const m = mapRef.current;
    if (!ready || !m || !cases) return;
    const name = (c: CaseSummary) => categoryName(c, pick, refRef.current?.categoryByCode);
    // WGS84 from the API; drawn in the basemap's system (map/crs.ts)
    const fc = toDisplay(toFeatures(cases, name));
    void m.getSource<GeoJSONSource>('cases')?.setData(fc);
    void m.getSource<GeoJSONSource>('cases-heat')?.setData(fc);
    // the case layer is on the screen once the map is idle again: a marker for the page bench (bench/pages.ts)
    m.once('idle', () => container.current?.setAttribute('data-drawn', 'true'));
  }, [ready, cases, pick, ref]);

  // styling and visibility
  useEffect(() => {
    const m = mapRef.current;
    if (!ready || !m) return;
    m.setPaintProperty(
      'case-points',
      'circle-color',
      colourBy === 'state' ? stateColour : deadlineColourExpr,
    );
    const vis = (on: boolean) => (on ? 'visible' : 'none');
    m.setLayoutProperty('committees-line', 'visibility', vis(layers.committees));
    m.setLayoutProperty('committees-label', 'visibility', vis(layers.committees));
    m.setLayoutProperty('grids-line', 'visibility', vis(layers.grids));
    m.setLayoutProperty('grids-label', 'visibility', vis(layers.grids));
    for (const id of ['clusters', 'cluster-count', 'case-points'])
      m.setLayoutProperty(id, 'visibility', vis(layers.cases));
    m.setLayoutProperty('heat', 'visibility', vis(layers.heat));
  }, [ready, colourBy, layers]);

  const toggle = (k: keyof typeof layers) => setLayers((l) => ({ ...l, [k]: !l[k] }));
  const count = cases?.filter((c) => caseLonLat(c)).length ?? 0;

  return (
    <div className="map-page">
      <div
        ref={container}
        className="map-canvas"
        role="region"
        aria-label={t('map.title')}
        data-ready={ready && cases ? 'true' : 'false'}
        data-case-count={count}
      />
      <aside className="map-panel" aria-label={t('map.layers')}>
        <h1>{t('map.title')}</h1>
        <div className="muted small" role="status">
          {cases ? t('map.caseCount', { n: count }) : t('map.loadingCases')}
        </div>
        {error ? <ErrorBox error={error} /> : null}
        <fieldset>
          <legend>{t('map.layers')}</legend>
          {(
            [
              ['committees', 'map.committees'],
              ['grids', 'map.grids'],
              ['cases', 'map.cases'],
              ['heat', 'map.heat'],
              ['baseUnits', 'baseui.map.units'],
              ['baseDwellings', 'baseui.map.dwellings'],
              ...(warningsAllowed ? ([['warnings', 'warnings.map.layer']] as const) : []),
            ] as const
          ).map(([k, label]) => (
            <label key={k} className="check">
              <input type="checkbox" checked={layers[k]} onChange={() => toggle(k)} />
              {t(label)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('map.colourBy')}</legend>
          {(
            [
              ['deadline', 'map.byDeadline'],
              ['state', 'map.byState'],
            ] as const
          ).map(([k, label]) => (
            <label key={k} className="radio">
              <input type="radio" name="colourBy" checked={colourBy === k} onChange={() => setColourBy(k)} />
              {t(label)}
            </label>
          ))}
        </fieldset>
        <div className="legend-list" aria-label={t('map.legend')}>
          {colourBy === 'deadline'
            ? (['green', 'yellow', 'red'] as const).map((c) => (
                <div key={c}>
                  <span className="swatch" style={{ background: DEADLINE_COLOURS[c] }} />
                  {t(`colour.${c}`)}
                </div>
              ))
            : OPEN_STATES.map((s) => (
                <div key={s}>
                  <span className="swatch" style={{ background: STATE_COLOURS[s] }} />
                  {stateLabel(t, s)}
                </div>
              ))}
        </div>
        {warningsAllowed && (
          <WarningLayer map={ready ? mapRef.current : null} visible={layers.warnings} focus={focusWarning} />
        )}
        <BaseInfoLayers
          map={ready ? mapRef.current : null}
          units={layers.baseUnits}
          dwellings={layers.baseDwellings}
        />
        <p className="muted small">{t('map.zoomHint')}</p>
        <p className="muted small">{t('footer.synthetic')}</p>
      </aside>
    </div>
  );
}
