import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { createBaseMap, maplibregl } from './base';
import { fromMap, toMap } from './crs';

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
        if (initialPoint.current) marker.setLngLat(toMap(initialPoint.current)).addTo(m);
        // the map may be drawn in GCJ-02 (a 高德 basemap): what the user points at goes back as WGS84
        marker.on('dragend', () => onChangeRef.current?.(fromMap(marker.getLngLat())));
        if (editable) {
          m.on('click', (e) => {
            marker.setLngLat(e.lngLat).addTo(m);
            onChangeRef.current?.(fromMap(e.lngLat));
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
    const shown = toMap(point);
    // 1e-6° ≈ 0.1 m: a point that came from this map (shifted there and back) does not move it again
    if (cur && Math.abs(cur.lng - shown[0]) < 1e-6 && Math.abs(cur.lat - shown[1]) < 1e-6) return;
    marker.setLngLat(shown).addTo(map);
    map.easeTo({ center: shown, zoom: Math.max(map.getZoom(), zoom - 1), duration: 300 });
  }, [point, zoom]);

  return (
    <div className="point-map" style={{ height }}>
      <div ref={container} className="map-canvas" role="region" aria-label={label ?? t('case.mapTitle')} />
      {failed && <div className="map-failed">{t('map.noWebgl')}</div>}
      {editable && <div className="map-hint">{t('map.dragPin')}</div>}
    </div>
  );
}
