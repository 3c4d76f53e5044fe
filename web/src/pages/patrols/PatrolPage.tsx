import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n';
import { call, client, isApiError } from '../../api/client';
import { useCall } from '../../api/hooks';
import type { PatrolCheckinResult, PatrolSummary } from '../../api/models';
import { Link } from '../../router';
import { duration } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { ErrorBox, Loading } from '../../components/ui';
import { patrolQueue } from './patrol-queue';

const RECORD_EVERY_MS = 30_000;
const RECORD_AFTER_M = 25;
const FLUSH_EVERY_MS = 10_000;
const BATCH = 200;

const metres = (a: GeolocationCoordinates, b: { lon: number; lat: number }) => {
  const k = Math.PI / 180;
  const x = (a.longitude - b.lon) * k * Math.cos(((a.latitude + b.lat) / 2) * k);
  const y = (a.latitude - b.lat) * k;
  return Math.sqrt(x * x + y * y) * 6_371_000;
};

/**
 * 巡查 on the phone: start / end, the position recorded every 30 s (or every 25 m) into an offline queue
 * in localStorage, sent in batches whenever the network is there, check-ins (打卡) queued the same way.
 */
export function PatrolPage() {
  const { t, lang } = useI18n();
  const current = useCall('current patrol', (signal) => client.GET('/api/v1/patrols/current', { signal }));
  const [patrol, setPatrol] = useState<PatrolSummary | null>(null);
  const [ended, setEnded] = useState<PatrolSummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [fix, setFix] = useState<GeolocationCoordinates | null>(null);
  const [gpsError, setGpsError] = useState(false);
  const [queued, setQueued] = useState(0);
  const [online, setOnline] = useState(typeof navigator === 'undefined' ? true : navigator.onLine);
  const [note, setNote] = useState('');
  const [checkedIn, setCheckedIn] = useState<PatrolCheckinResult | null>(null);
  const lastRecorded = useRef<{ at: number; lon: number; lat: number } | null>(null);
  const patrolRef = useRef<PatrolSummary | null>(null);
  patrolRef.current = patrol;
  const flushing = useRef(false);
  const now = useNow(1_000);

  useEffect(() => {
    if (current.data) setPatrol(current.data.patrol);
  }, [current.data]);

  const refreshQueued = useCallback(() => {
    const p = patrolRef.current;
    if (!p) return setQueued(0);
    const q = patrolQueue(p.id);
    setQueued(q.points().length + q.checkins().length);
  }, []);

  /** Sends what is queued; stops at the first network failure (the queue stays for the next try). */
  const flush = useCallback(async () => {
    const p = patrolRef.current;
    if (!p || flushing.current) return;
    flushing.current = true;
    const q = patrolQueue(p.id);
    try {
      for (let points = q.points(); points.length > 0; points = q.points()) {
        const batch = points.slice(0, BATCH);
        const r = await call(
          client.POST('/api/v1/patrols/{id}/points', {
            params: { path: { id: p.id } },
            body: { points: batch },
          }),
        );
        q.sentPoints(batch[batch.length - 1]!.seq);
        setPatrol((cur) =>
          cur
            ? {
                ...cur,
                distanceM: r.distanceM,
                pointsTotal: cur.pointsTotal + r.accepted,
                lastSeq: r.lastSeq,
              }
            : cur,
        );
      }
      for (const c of q.checkins()) {
        const r = await call(
          client.POST('/api/v1/patrols/{id}/checkins', { params: { path: { id: p.id } }, body: c }),
        );
        q.sentCheckin(c.clientId);
        setCheckedIn(r);
      }
      setOnline(true);
    } catch (e) {
      if (isApiError(e) && e.status < 500) setError(e);
      else setOnline(false);
    } finally {
      flushing.current = false;
      refreshQueued();
    }
  }, [refreshQueued]);

  // the GPS while a patrol is open
  useEffect(() => {
    if (!patrol || !('geolocation' in navigator)) return;
    const id = navigator.geolocation.watchPosition(
      (pos) => {
        setGpsError(false);
        setFix(pos.coords);
        const last = lastRecorded.current;
        const t0 = pos.timestamp || Date.now();
        if (last && t0 - last.at < RECORD_EVERY_MS && metres(pos.coords, last) < RECORD_AFTER_M) return;
        lastRecorded.current = { at: t0, lon: pos.coords.longitude, lat: pos.coords.latitude };
        patrolQueue(patrol.id).addPoint(
          {
            at: new Date(t0).toISOString(),
            lon: pos.coords.longitude,
            lat: pos.coords.latitude,
            accuracy: Number.isFinite(pos.coords.accuracy) ? Math.round(pos.coords.accuracy) : null,
          },
          patrolRef.current?.lastSeq ?? null,
        );
        refreshQueued();
        void flush();
      },
      () => setGpsError(true),
      { enableHighAccuracy: true, maximumAge: 5_000, timeout: 60_000 },
    );
    return () => navigator.geolocation.clearWatch(id);
  }, [patrol?.id, flush, refreshQueued]);

  // send the queue regularly and as soon as the network is back
  useEffect(() => {
    if (!patrol) return;
    refreshQueued();
    void flush();
    const timer = setInterval(() => void flush(), FLUSH_EVERY_MS);
    const back = () => void flush();
    const lost = () => setOnline(false);
    window.addEventListener('online', back);
    window.addEventListener('offline', lost);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', back);
      window.removeEventListener('offline', lost);
    };
  }, [patrol?.id, flush, refreshQueued]);

  const start = async () => {
    setBusy(true);
    setError(null);
    setEnded(null);
    try {
      setPatrol(await call(client.POST('/api/v1/patrols')));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const end = async () => {
    if (!patrol) return;
    setBusy(true);
    try {
      await flush();
      const done = await call(
        client.POST('/api/v1/patrols/{id}/end', { params: { path: { id: patrol.id } } }),
      );
      patrolQueue(patrol.id).clear();
      setEnded(done);
      setPatrol(null);
      lastRecorded.current = null;
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const checkIn = () => {
    if (!patrol || !fix) return;
    patrolQueue(patrol.id).addCheckin({
      clientId: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      at: new Date().toISOString(),
      lon: fix.longitude,
      lat: fix.latitude,
      accuracy: Number.isFinite(fix.accuracy) ? Math.round(fix.accuracy) : null,
      note: note.trim(),
    });
    setNote('');
    refreshQueued();
    void flush();
  };

  if (current.error) return <ErrorBox error={current.error} onRetry={() => current.reload()} />;
  if (!current.data) return <Loading />;
  const elapsedMin = patrol ? (now - new Date(patrol.startedAt).getTime()) / 60_000 : 0;
  return (
    <div className="mobile-page patrol-page">
      <h1>{t('patrol.title')}</h1>
      {error ? <ErrorBox error={error} /> : null}
      {!patrol && (
        <>
          {ended && (
            <p className="notice" data-testid="patrol-ended">
              {t('patrol.ended', {
                time: duration(ended.durationS / 60, lang),
                km: (ended.distanceM / 1000).toFixed(2),
              })}
            </p>
          )}
          <p className="hint">{t('patrol.idle')}</p>
          <button
            type="button"
            className="btn btn-primary btn-block"
            disabled={busy}
            onClick={() => void start()}
          >
            {t('patrol.start')}
          </button>
        </>
      )}
      {patrol && (
        <>
          <p className="patrol-status" role="status">
            <span className="live-dot" aria-hidden="true" /> {t('patrol.running')}
          </p>
          <dl className="patrol-figures">
            <div>
              <dt>{t('patrol.elapsed')}</dt>
              <dd>{duration(elapsedMin, lang)}</dd>
            </div>
            <div>
              <dt>{t('patrol.distance')}</dt>
              <dd>{(patrol.distanceM / 1000).toFixed(2)} km</dd>
            </div>
            <div>
              <dt>{t('patrol.points')}</dt>
              <dd data-testid="points-sent">{patrol.pointsTotal}</dd>
            </div>
            <div>
              <dt>{t('patrol.queued')}</dt>
              <dd data-testid="points-queued">{queued}</dd>
            </div>
          </dl>
          {!online && <p className="notice notice-conflict">{t('patrol.offline')}</p>}
          {gpsError && <p className="notice notice-conflict">{t('patrol.noGps')}</p>}
          {fix && <p className="muted small">{t('patrol.accuracy', { m: Math.round(fix.accuracy) })}</p>}
          <div className="field">
            <label htmlFor="checkin-note">{t('patrol.checkinNote')}</label>
            <input id="checkin-note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
          </div>
          <button type="button" className="btn btn-block" disabled={!fix} onClick={checkIn}>
            {t('patrol.checkin')}
          </button>
          {checkedIn && (
            <p className="muted small" data-testid="checked-in">
              {t('patrol.checkedIn', { grid: checkedIn.gridCode ?? t('patrol.outsideGrid') })}
            </p>
          )}
          <Link to="/m/report" className="btn btn-block">
            {t('patrol.report')}
          </Link>
          <button
            type="button"
            className="btn btn-danger btn-block"
            disabled={busy}
            onClick={() => void end()}
          >
            {t('patrol.end')}
          </button>
        </>
      )}
    </div>
  );
}
