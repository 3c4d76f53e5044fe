import { lazy, Suspense, useState } from 'react';
import { useI18n } from '../../i18n';
import { client } from '../../api/client';
import { useCall, useThrottled } from '../../api/hooks';
import { useLiveEvents } from '../../api/live';
import { useMe, useReference } from '../../session';
import { duration } from '../../lib/format';
import { Empty, ErrorBox, Loading, Panel } from '../../components/ui';

const CoverageMap = lazy(() => import('./CoverageMap'));

/** Today in Beijing as YYYY-MM-DD, and a day `n` days before a key. */
const beijingDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const addDays = (key: string, n: number) =>
  beijingDay(new Date(`${key}T12:00:00+08:00`).getTime() + n * 86_400_000);

const STATUS_MARK = { covered: '✓', due: '·', missed: '✗' } as const;

/**
 * 巡查覆盖 for a street centre (or the district, one street at a time): grid × day coverage against each
 * grid's frequency, the map coloured by the last day's status with who is on patrol now, and the
 * patrollers' hours, distance, grids and reports.
 */
export function CoveragePage() {
  const { t, lang } = useI18n();
  const me = useMe();
  const ref = useReference();
  const today = beijingDay(Date.now());
  const [to, setTo] = useState(today);
  const [from, setFrom] = useState(addDays(today, -6));
  const ownStreet = me.unit.kind === 'region' && me.unit.code?.length === 9 ? me.unit.code : null;
  const [street, setStreet] = useState<string>(ownStreet ?? '310112006');
  const range = { from, to, street };
  const key = JSON.stringify(range);
  const view = useCall(`coverage ${key}`, (signal) =>
    client.GET('/api/v1/coverage', { params: { query: range }, signal }),
  );
  const figures = useCall(`patrollers ${key}`, (signal) =>
    client.GET('/api/v1/coverage/patrollers', { params: { query: range }, signal }),
  );
  const live = useCall('live patrols', (signal) => client.GET('/api/v1/patrols/live', { signal }));
  const refresh = useThrottled(() => live.reload(true), 5_000);
  useLiveEvents(() => refresh());

  const days = view.data?.grids[0]?.days.map((d) => d.day) ?? [];
  const missedGrids = view.data?.grids.filter((g) => g.missed > 0).length ?? 0;
  const lastDay = days[days.length - 1] ?? to;
  const statusOf = new Map(
    (view.data?.grids ?? []).map((g) => [g.gridCode, g.days[g.days.length - 1]?.status ?? 'due'] as const),
  );
  const onStreet = (live.data?.items ?? []).filter((p) => p.streetCode === street);

  return (
    <div className="page coverage-page">
      <h1>{t('coverage.title')}</h1>
      <div className="filters">
        {!ownStreet && (
          <label>
            {t('coverage.street')}{' '}
            <select value={street} onChange={(e) => setStreet(e.target.value)}>
              {(ref?.streets ?? []).map((s) => (
                <option key={s.code} value={s.code}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('coverage.from')}{' '}
          <input
            type="date"
            value={from}
            max={to}
            onChange={(e) => e.target.value && setFrom(e.target.value)}
          />
        </label>
        <label>
          {t('coverage.to')}{' '}
          <input
            type="date"
            value={to}
            min={from}
            onChange={(e) => e.target.value && setTo(e.target.value)}
          />
        </label>
      </div>
      <p className="hint">{t('coverage.rule', { min: view.data?.rule.minCoveredMinutes ?? 15 })}</p>

      <div className="coverage-top">
        <Panel title={t('coverage.map', { day: lastDay })} className="coverage-map-panel">
          <Suspense fallback={<Loading />}>
            <CoverageMap street={street} status={statusOf} live={onStreet} />
          </Suspense>
          <p className="legend small">
            <span className="cov-cell cov-covered">{STATUS_MARK.covered}</span> {t('coverage.covered')}{' '}
            <span className="cov-cell cov-due">{STATUS_MARK.due}</span> {t('coverage.due')}{' '}
            <span className="cov-cell cov-missed">{STATUS_MARK.missed}</span> {t('coverage.missed')}
          </p>
        </Panel>
        <Panel title={t('coverage.onPatrol')} className="coverage-live">
          {live.error ? <ErrorBox error={live.error} /> : null}
          {live.data && onStreet.length === 0 && <Empty>{t('coverage.nobodyOnPatrol')}</Empty>}
          <ul className="live-patrols">
            {onStreet.map((p) => (
              <li key={p.patrolId} data-testid="live-patrol">
                <strong>{p.patrollerName}</strong>{' '}
                <span className="muted small">
                  {p.position ? t('coverage.lastSeen', { age: duration(p.position.ageS / 60, lang) }) : '—'} ·{' '}
                  {(p.distanceM / 1000).toFixed(2)} km
                </span>
              </li>
            ))}
          </ul>
        </Panel>
      </div>

      <Panel title={t('coverage.missedGrids', { n: missedGrids })}>
        {view.error ? <ErrorBox error={view.error} onRetry={() => view.reload()} /> : null}
        {!view.data && !view.error && <Loading />}
        {view.data && (
          <>
            <p className="muted small">{t('coverage.live', { day: view.data.rolledUpTo })}</p>
            <div className="table-wrap">
              <table className="coverage-table">
                <thead>
                  <tr>
                    <th scope="col">{t('coverage.grid')}</th>
                    <th scope="col">{t('coverage.frequency')}</th>
                    {days.map((d) => (
                      <th key={d} scope="col" className="num">
                        {d.slice(5)}
                      </th>
                    ))}
                    <th scope="col" className="num">
                      {t('coverage.missedCount')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.data.grids.map((g) => (
                    <tr key={g.gridCode} data-grid={g.gridCode}>
                      <th scope="row">
                        {g.name} <span className="mono muted small">{g.gridCode.slice(-5)}</span>
                      </th>
                      <td className="small">
                        {g.daysPerWeek === 7
                          ? t('coverage.daily')
                          : t('coverage.perWeek', { n: g.daysPerWeek })}
                      </td>
                      {g.days.map((d) => (
                        <td
                          key={d.day}
                          className={`cov-cell cov-${d.status}`}
                          data-day={d.day}
                          data-status={d.status}
                          title={`${t(`coverage.${d.status}`)} · ${Math.round(d.seconds / 60)} min · ${d.checkins}`}
                        >
                          {STATUS_MARK[d.status]}
                        </td>
                      ))}
                      <td className="num">{g.missed}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Panel>

      <Panel title={t('coverage.patrollers')}>
        {figures.error ? <ErrorBox error={figures.error} /> : null}
        {figures.data && figures.data.items.length === 0 && <Empty>{t('coverage.noPatrollers')}</Empty>}
        {figures.data && figures.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="coverage-table">
              <thead>
                <tr>
                  <th scope="col">{t('coverage.name')}</th>
                  <th scope="col" className="num">
                    {t('coverage.patrolCount')}
                  </th>
                  <th scope="col" className="num">
                    {t('coverage.hours')}
                  </th>
                  <th scope="col" className="num">
                    {t('coverage.km')}
                  </th>
                  <th scope="col" className="num">
                    {t('coverage.grids')}
                  </th>
                  <th scope="col" className="num">
                    {t('coverage.reports')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {figures.data.items.map((f) => (
                  <tr key={f.userId}>
                    <th scope="row">{f.name}</th>
                    <td className="num">{f.patrols}</td>
                    <td className="num">{f.hours}</td>
                    <td className="num">{f.distanceKm}</td>
                    <td className="num">{f.gridsCovered}</td>
                    <td className="num">{f.reports}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </div>
  );
}
