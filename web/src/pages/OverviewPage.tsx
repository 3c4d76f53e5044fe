import { useMemo } from 'react';
import { useI18n } from '../i18n';
import { client } from '../api/client';
import { useCall, useThrottled } from '../api/hooks';
import { useLiveEvents } from '../api/live';
import { OPEN_STATES } from '../api/models';
import { dateTime, percent } from '../lib/format';
import { sourceLabel, stateLabel } from '../lib/labels';
import { DEADLINE_COLOURS, STATE_COLOURS } from '../lib/colours';
import { Chart } from '../components/Chart';
import { ErrorBox, Loading, Panel } from '../components/ui';
import { Link } from '../router';

/** Rates over fewer cases than this are shown but flagged, and not ranked (DESIGN §7). */
const SMALL_SAMPLE = 5;

const axisLabel = { color: '#4a5a6a', fontSize: 11 };
const grid = { left: 8, right: 16, top: 28, bottom: 8, containLabel: true };

/** 领导总览: today's intake, open and overdue cases, on-time rates and the trend — from the event log. */
export default function OverviewPage() {
  const { t, lang } = useI18n();
  const stats = useCall('stats overview', (signal) => client.GET('/api/v1/stats/overview', { signal }));
  const refresh = useThrottled(() => stats.reload(true), 5000);
  useLiveEvents(() => refresh());
  const s = stats.data;

  const options = useMemo(() => {
    if (!s) return null;
    const states = OPEN_STATES;
    const streets = [...s.openByStreet].sort((a, b) => b.open - a.open);
    const depts = s.onTimeByDepartment
      .filter((d) => d.handled > 0)
      .sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1))
      .slice(0, 15);
    const rateSeries = (rows: { rate: number | null; n: number }[]) =>
      rows.map((r) => ({
        value: r.rate === null ? 0 : Math.round(r.rate * 1000) / 10,
        itemStyle: {
          color:
            r.n < SMALL_SAMPLE
              ? '#b8c2cc'
              : r.rate !== null && r.rate < 0.8
                ? DEADLINE_COLOURS.yellow
                : '#2e7d5b',
        },
      }));
    return {
      byState: {
        tooltip: { trigger: 'axis' },
        grid,
        xAxis: {
          type: 'category',
          data: states.map((x) => stateLabel(t, x)),
          axisLabel: { ...axisLabel, interval: 0 },
        },
        yAxis: { type: 'value', axisLabel, minInterval: 1 },
        series: [
          {
            type: 'bar',
            data: states.map((x) => ({
              value: s.openByState[x] ?? 0,
              itemStyle: { color: STATE_COLOURS[x] },
            })),
            label: { show: true, position: 'top', fontSize: 11 },
            barMaxWidth: 36,
          },
        ],
      },
      byStreet: {
        tooltip: { trigger: 'axis' },
        legend: { top: 0, textStyle: axisLabel },
        grid,
        xAxis: {
          type: 'category',
          data: streets.map((x) => x.name),
          axisLabel: { ...axisLabel, interval: 0, rotate: 35 },
        },
        yAxis: { type: 'value', axisLabel, minInterval: 1 },
        series: [
          {
            name: t('overview.open'),
            type: 'bar',
            data: streets.map((x) => x.open - x.overdue),
            stack: 'a',
            itemStyle: { color: '#2873b8' },
          },
          {
            name: t('overview.overdue'),
            type: 'bar',
            data: streets.map((x) => x.overdue),
            stack: 'a',
            itemStyle: { color: DEADLINE_COLOURS.red },
          },
        ],
      },
      dept: {
        tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
        grid: { ...grid, top: 8 },
        xAxis: { type: 'value', max: 100, axisLabel: { ...axisLabel, formatter: '{value}%' } },
        yAxis: { type: 'category', inverse: true, data: depts.map((d) => d.name), axisLabel },
        series: [
          {
            type: 'bar',
            data: rateSeries(depts.map((d) => ({ rate: d.rate, n: d.handled }))),
            barMaxWidth: 14,
          },
        ],
      },
      street: {
        tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
        grid,
        xAxis: {
          type: 'category',
          data: s.onTimeByStreet.map((x) => x.name),
          axisLabel: { ...axisLabel, interval: 0, rotate: 35 },
        },
        yAxis: { type: 'value', max: 100, axisLabel: { ...axisLabel, formatter: '{value}%' } },
        series: [
          {
            type: 'bar',
            data: rateSeries(s.onTimeByStreet.map((x) => ({ rate: x.rate, n: x.closed }))),
            barMaxWidth: 28,
          },
        ],
      },
      trend: {
        tooltip: { trigger: 'axis' },
        legend: { top: 0, textStyle: axisLabel },
        grid,
        xAxis: { type: 'category', data: s.trend.map((d) => d.date.slice(5)), axisLabel },
        yAxis: { type: 'value', axisLabel, minInterval: 1 },
        series: [
          {
            name: t('overview.intake'),
            type: 'line',
            smooth: true,
            data: s.trend.map((d) => d.intake),
            itemStyle: { color: '#2873b8' },
            areaStyle: { opacity: 0.08 },
          },
          {
            name: t('overview.closed'),
            type: 'line',
            smooth: true,
            data: s.trend.map((d) => d.closed),
            itemStyle: { color: '#2e9d57' },
          },
        ],
      },
    };
  }, [s, t]);

  if (stats.error) return <ErrorBox error={stats.error} onRetry={() => stats.reload()} />;
  if (!s || !options) return <Loading />;
  const open = Object.values(s.openByState).reduce((a, b) => a + b, 0);
  const sources = Object.entries(s.today.bySource).filter(([, n]) => n > 0);

  return (
    <div className="overview" data-ready="true">
      <div className="wb-head">
        <h1>{t('overview.title')}</h1>
        <span className="muted">{t('overview.scope', { name: s.scope.name ?? t('app.district') })}</span>
        <span className="muted small">{t('overview.generatedAt', { t: dateTime(s.generatedAt, lang) })}</span>
        <Link to="/screen" className="btn btn-small" data-testid="open-screen">
          {t('nav.screen')}
        </Link>
      </div>
      <div className="kpis">
        <div className="kpi">
          <div className="kpi-label">{t('overview.todayIntake')}</div>
          <div className="kpi-value">{s.today.intake}</div>
          <div className="kpi-sub">
            {sources.map(([k, n]) => `${sourceLabel(t, k)} ${n}`).join(' · ') || '—'}
          </div>
        </div>
        <div className="kpi">
          <div className="kpi-label">{t('overview.todayClosed')}</div>
          <div className="kpi-value">{s.today.closed}</div>
        </div>
        <div className="kpi">
          <div className="kpi-label">{t('overview.open')}</div>
          <div className="kpi-value">{open}</div>
        </div>
        <div className="kpi kpi-red">
          <div className="kpi-label">{t('overview.overdue')}</div>
          <div className="kpi-value">{s.overdue.total}</div>
        </div>
      </div>
      <div className="overview-grid">
        <Panel title={t('overview.openByState')}>
          <Chart option={options.byState} label={t('overview.openByState')} />
        </Panel>
        <Panel title={t('overview.openByStreet')}>
          <Chart option={options.byStreet} label={t('overview.openByStreet')} />
        </Panel>
        <Panel title={t('overview.trend')} className="span-2">
          <Chart option={options.trend} height={240} label={t('overview.trend')} />
        </Panel>
        <Panel title={t('overview.onTimeDept')}>
          <Chart option={options.dept} height={340} label={t('overview.onTimeDept')} />
        </Panel>
        <Panel title={t('overview.onTimeStreet')}>
          <Chart option={options.street} height={260} label={t('overview.onTimeStreet')} />
          <table className="mini rates">
            <thead>
              <tr>
                <th>{t('overview.street')}</th>
                <th>{t('overview.closed')}</th>
                <th>{t('overview.rate')}</th>
              </tr>
            </thead>
            <tbody>
              {s.onTimeByStreet.map((r) => (
                <tr key={r.code} className={r.closed < SMALL_SAMPLE ? 'small-sample' : ''}>
                  <td>{r.name}</td>
                  <td className="num">{r.closed}</td>
                  <td className="num">
                    {percent(r.rate)}
                    {r.closed > 0 && r.closed < SMALL_SAMPLE && (
                      <span className="muted small"> · {t('overview.smallSample')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      </div>
    </div>
  );
}
