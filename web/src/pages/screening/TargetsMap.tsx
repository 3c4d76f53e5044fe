import { useEffect, useRef, useState } from 'react';
import type { GeoJSONSource } from 'maplibre-gl';
import type { components } from '../../api/schema';
import { useI18n, type MessageKey } from '../../i18n';
import { createBaseMap, type maplibregl } from '../../map/base';
import { toDisplay, toMap } from '../../map/crs';

type Point = components['schemas']['ScreeningTargetPoints']['items'][number];
type Status = Point['status'];

export const STATUS_COLOURS: Record<Status, string> = {
  pending: '#8a96a3',
  revisit: '#e0a31b',
  normal: '#3f9a5b',
  problem_found: '#d0452f',
  refused: '#7a3fa0',
  unreachable: '#333d47',
};

/** The round's targets as dots coloured by status, with a legend. */
export default function TargetsMap({ points, focus }: { points: Point[]; focus: string }) {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let disposed = false;
    let created: maplibregl.Map | null = null;
    createBaseMap({ container: container.current!, committees: true, focus })
      .then((m) => {
        created = m;
        if (disposed) return m.remove();
        m.addSource('targets', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        m.addLayer({
          id: 'targets',
          type: 'circle',
          source: 'targets',
          paint: {
            'circle-radius': 5,
            'circle-color': ['get', 'colour'],
            'circle-stroke-color': '#fff',
            'circle-stroke-width': 1,
          },
        });
        setMap(m);
      })
      .catch(() => setFailed(true));
    return () => {
      disposed = true;
      setMap(null);
      created?.remove();
    };
  }, [focus]);

  useEffect(() => {
    if (!map) return;
    // WGS84 from the API, shifted to the basemap's system for display (map/crs.ts)
    void (map.getSource('targets') as GeoJSONSource | undefined)?.setData(
      toDisplay<GeoJSON.FeatureCollection>({
        type: 'FeatureCollection',
        features: points.map((p) => ({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
          properties: { colour: STATUS_COLOURS[p.status], label: p.label },
        })),
      }),
    );
    if (points.length > 0) {
      const shown = points.map((p) => toMap([p.lon, p.lat]));
      const lons = shown.map((p) => p[0]!);
      const lats = shown.map((p) => p[1]!);
      map.fitBounds(
        [
          [Math.min(...lons), Math.min(...lats)],
          [Math.max(...lons), Math.max(...lats)],
        ],
        { padding: 30, duration: 0, maxZoom: 16 },
      );
    }
  }, [map, points]);

  return (
    <div>
      {failed ? (
        <p className="muted">{t('common.loading')}</p>
      ) : (
        <div ref={container} className="coverage-map" data-testid="screening-map" />
      )}
      <div className="screening-legend">
        {(Object.keys(STATUS_COLOURS) as Status[]).map((s) => (
          <span key={s} className="screening-legend-item">
            <span className="screening-dot" style={{ background: STATUS_COLOURS[s] }} />
            {t(`screening.status.${s}` as MessageKey)} {points.filter((p) => p.status === s).length}
          </span>
        ))}
      </div>
    </div>
  );
}
