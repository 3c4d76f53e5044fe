import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { createBaseMap, maplibregl } from './base';

export interface PointMapProps {
  /** [lon, lat] WGS84, or null when not known yet. */
  point: [number, number] | null;
  /** Let the user drag the pin (and click the map) to correct the position. */
  editable?: boolean;
  onChange?: (point: [number, number]) => void;
  height?: number | string;
  zoom?: number;
  label?: string;
  /** Where the map opens while there is no point yet (e.g. the intake desk's street), and how close. */
  home?: { center: [number, number]; zoom: number } | null;
}

/** A small map with one pin: the case location, or the report position the user can correct. */
export default function PointMap({
  point,
  editable,
  onChange,
  height = 240,
  zoom = 15.5,
  label,
  home,
}: PointMapProps) {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const markerRef = useRef<maplibregl.Marker | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const [failed, setFailed] = useState(false);
  const initialPoint = useRef(point);
  const homeRef = useRef(home);

  useEffect(() => {
    let disposed = false;
    let map: maplibregl.Map | null = null;
    const start = initialPoint.current;
    createBaseMap({
      container: container.current!,
      committees: true,
      grids: true,
      ...(start
        ? { center: start, zoom }
        : homeRef.current
          ? { center: homeRef.current.center, zoom: homeRef.current.zoom }
          : {}),
    })
      .then((m) => {
        map = m;
        if (disposed) {
          m.remove();
          return;
        }
        mapRef.current = m;
        const marker = new maplibregl.Marker({ color: '#d0452f', draggable: !!editable });
        markerRef.current = marker;
        if (initialPoint.current) marker.setLngLat(initialPoint.current).addTo(m);
        marker.on('dragend', () => {
          const p = marker.getLngLat();
          onChangeRef.current?.([p.lng, p.lat]);
        });
        if (editable) {
          m.on('click', (e) => {
            marker.setLngLat(e.lngLat).addTo(m);
            onChangeRef.current?.([e.lngLat.lng, e.lngLat.lat]);
          });
        }
      })
      .catch(() => setFailed(true));
    return () => {
      disposed = true;
      mapRef.current = null;
      map?.remove();
    };
  }, [editable, zoom]);

  // follow the point when it changes from outside (GPS fix, another case)
  useEffect(() => {
    initialPoint.current = point;
    const map = mapRef.current;
    const marker = markerRef.current;
    if (!map || !marker || !point) return;
    const cur = marker.getLngLat?.();
    if (cur && Math.abs(cur.lng - point[0]) < 1e-7 && Math.abs(cur.lat - point[1]) < 1e-7) return;
    marker.setLngLat(point).addTo(map);
    map.easeTo({ center: point, zoom: Math.max(map.getZoom(), zoom - 1), duration: 300 });
  }, [point, zoom]);

  return (
    <div className="point-map" style={{ height }}>
      <div ref={container} className="map-canvas" role="region" aria-label={label ?? t('case.mapTitle')} />
      {failed && <div className="map-failed">{t('map.noWebgl')}</div>}
      {editable && <div className="map-hint">{t('map.dragPin')}</div>}
    </div>
  );
}
