import { useEffect, useRef, useState } from 'react';
import type { GeoJSONSource } from 'maplibre-gl';
import { useI18n } from '../../i18n';
import type { LivePatrolList } from '../../api/models';
import { bboxOf, createBaseMap, loadRegions, type maplibregl } from '../../map/base';
import { toDisplay } from '../../map/crs';

type Status = 'covered' | 'due' | 'missed';

const COLOURS: Record<Status, string> = { covered: '#3f9a5b', due: '#c9d2da', missed: '#d0452f' };

/** The street's grids coloured by their coverage status on the last day shown, and who is on patrol now. */
export default function CoverageMap({
  street,
  status,
  live,
}: {
  street: string;
  status: ReadonlyMap<string, Status>;
  live: LivePatrolList['items'];
}) {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let disposed = false;
    let created: maplibregl.Map | null = null;
    createBaseMap({ container: container.current!, committees: true, focus: street })
      .then((m) => {
        created = m;
        if (disposed) return m.remove();
        m.addSource('coverage', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        m.addLayer({
          id: 'coverage-fill',
          type: 'fill',
          source: 'coverage',
          paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.55 },
        });
        m.addLayer({
          id: 'coverage-line',
          type: 'line',
          source: 'coverage',
          paint: { 'line-color': '#556', 'line-width': 0.6 },
        });
        m.addSource('patrollers', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        m.addLayer({
          id: 'patrollers',
          type: 'circle',
          source: 'patrollers',
          paint: {
            'circle-radius': 7,
            'circle-color': '#1f5fbf',
            'circle-stroke-color': '#fff',
            'circle-stroke-width': 2,
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
  }, [street]);

  useEffect(() => {
    if (!map) return;
    let alive = true;
    void loadRegions('grid', street).then((grids) => {
      if (!alive) return;
      const data = {
        ...grids,
        features: grids.features.map((f) => ({
          ...f,
          properties: { ...f.properties, colour: COLOURS[status.get(f.properties.code) ?? 'due'] },
        })),
      };
      const shown = toDisplay(data);
      void (map.getSource('coverage') as GeoJSONSource | undefined)?.setData(shown);
      const box = bboxOf(shown);
      if (box) map.fitBounds(box, { padding: 20, duration: 0 });
    });
    return () => {
      alive = false;
    };
  }, [map, street, status]);

  useEffect(() => {
    if (!map) return;
    void (map.getSource('patrollers') as GeoJSONSource | undefined)?.setData(
      toDisplay({
        type: 'FeatureCollection',
        features: live
          .filter((p) => p.position)
          .map((p) => ({
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [p.position!.lon, p.position!.lat] },
            properties: { name: p.patrollerName },
          })),
      }),
    );
  }, [map, live]);

  if (failed) return <p className="muted">{t('common.loading')}</p>;
  return <div ref={container} className="coverage-map" data-testid="coverage-map" />;
}
