import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, MapChart } from 'echarts/charts';
import {
  GeoComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { useI18n, type MessageKey, type Translate } from '../i18n';
import { client } from '../api/client';
import { useCall, useThrottled } from '../api/hooks';
import { useLiveEvents } from '../api/live';
import { dateTime } from '../lib/format';
import { CHART_FONT } from '../components/Chart';
import { Link } from '../router';
import { rankingPeriod, wallRows } from '../lib/rankingPeriod';
import { useSession } from '../session';
import type { components } from '../api/schema';
import '../styles/screen.css';

echarts.use([
  MapChart,
  BarChart,
  LineChart,
  GeoComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

/** How long each view stays on the wall before the next one (ms). */
const ROTATE_MS = 20_000;
const VIEWS = ['overview', 'rankings'] as const;
type View = (typeof VIEWS)[number];
/** Rates over fewer cases than this are not ranked (the overview's rates, for callers without evaluation). */
const SMALL_SAMPLE = 5;
/** Rows a ranking box shows before it cuts to the top and the bottom five. */
const RANK_ROWS = 16;
/** The evaluation of a month changes slowly: the rankings reload every five minutes, not on every event. */
const RANK_RELOAD_MS = 300_000;
type EvaluationTable = components['schemas']['EvaluationTable'];

const TEXT = '#dbe7f5';
const AXIS = { color: TEXT, fontSize: 18 };
const RED = '#ff5a4e';
const BLUE = '#3aa0ff';
const GREEN = '#37d39a';
/** 等级 A–E: green, blue, amber, orange, red. */
const GRADE_COLOURS: Record<string, string> = { A: GREEN, B: BLUE, C: '#f5b83d', D: '#ff8a3d', E: RED };

/** A dark ECharts canvas that fills its box. */
function WallChart({ option, label }: { option: EChartsCoreOption; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const c = echarts.init(el.current!, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current!);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(
      { textStyle: { fontFamily: CHART_FONT, color: TEXT }, animation: false, ...option },
      true,
    );
  }, [option]);
  return <div ref={el} className="screen-chart" role="img" aria-label={label} />;
}

/** The Beijing time now, refreshed every 30 seconds. */
function useClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(id);
  }, []);
  return now;
}

/**
 * 大屏 (issue 14): the command-centre wall at 1920×1080, dark and readable across a room. Today's intake
 * and closures, open and overdue cases; a choropleth of the streets (overdue cases) with the 30-day trend,
 * then the rankings; the open warnings run along the bottom. Live: every case change (SSE) reloads the
 * figures; the views rotate by themselves. The figures are the leader overview's (GET /api/v1/stats/overview,
 * the caller's scope). The rankings are the evaluation's (综合评价, GET /api/v1/evaluation): streets (a
 * street's leader: its committees) and departments by composite score, with the grade, small samples
 * left unranked — of the current month from its 11th day, of the last full month before (rankingPeriod).
 * A caller without an evaluation (dispatchers, shift leads) sees the overview's 30-day on-time rates.
 */
export default function ScreenPage() {
  const { t, lang } = useI18n();
  const stats = useCall('stats overview', (signal) => client.GET('/api/v1/stats/overview', { signal }));
  const geo = useCall('map streets', (signal) =>
    client.GET('/api/v1/map/regions', { params: { query: { level: 'street' } }, signal }),
  );
  const warnings = useCall(
    'warnings open',
    (signal) => client.GET('/api/v1/warnings', { params: { query: { state: 'open', limit: 20 } }, signal }),
    { quiet401: true },
  );
  const refresh = useThrottled(() => {
    stats.reload(true);
    warnings.reload(true);
  }, 5000);
  const live = useLiveEvents(() => refresh());
  const now = useClock();
  const { me } = useSession();
  const period = rankingPeriod(now);
  const unit = me?.unit;
  const district = unit?.kind === 'region' && unit.level === 'district';
  // who has an evaluation (the server decides; this only spares a refused request): district leaders and
  // admins every unit, a street's leader the committees of the street, a department's lead its department
  const territoryKind =
    me?.role === 'leader' && unit?.kind === 'region' && unit.level === 'street'
      ? ('committee' as const)
      : ('street' as const);
  const territoryEval = useCall(
    (me?.role === 'leader' || me?.role === 'admin') && unit?.kind === 'region'
      ? `screen evaluation ${territoryKind} ${period}`
      : null,
    (signal) =>
      client.GET('/api/v1/evaluation', { params: { query: { period, unitKind: territoryKind } }, signal }),
    { quiet401: true },
  );
  const deptEval = useCall(
    ((me?.role === 'leader' || me?.role === 'admin') && district) || me?.role === 'dept_lead'
      ? `screen evaluation department ${period}`
      : null,
    (signal) =>
      client.GET('/api/v1/evaluation', { params: { query: { period, unitKind: 'department' } }, signal }),
    { quiet401: true },
  );
  const reloadTerritory = territoryEval.reload;
  const reloadDept = deptEval.reload;
  useEffect(() => {
    const id = setInterval(() => {
      reloadTerritory(true);
      reloadDept(true);
    }, RANK_RELOAD_MS);
    return () => clearInterval(id);
  }, [reloadTerritory, reloadDept]);
  const [view, setView] = useState<View>('overview');
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (paused) return;
    const id = setInterval(() => setView((v) => VIEWS[(VIEWS.indexOf(v) + 1) % VIEWS.length]!), ROTATE_MS);
    return () => clearInterval(id);
  }, [paused]);
  // a wall screen runs for days: reload now and then even without events (today's counts roll over)
  useEffect(() => {
    const id = setInterval(() => refresh(), 60_000);
    return () => clearInterval(id);
  }, [refresh]);

  const mapReady = useMemo(() => {
    if (!geo.data) return false;
    echarts.registerMap('liandong-streets', geo.data as never);
    return true;
  }, [geo.data]);

  const s = stats.data;
  const options = useMemo(() => {
    if (!s) return null;
    const streets = [...s.openByStreet].sort((a, b) => b.overdue - a.overdue || b.open - a.open);
    const maxOverdue = Math.max(1, ...streets.map((x) => x.overdue));
    const streetRates = s.onTimeByStreet
      .filter((x) => x.closed >= SMALL_SAMPLE && x.rate !== null)
      .sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0));
    const deptRates = s.onTimeByDepartment
      .filter((d) => d.handled >= SMALL_SAMPLE && d.rate !== null)
      .sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0))
      .slice(0, 12);
    const rateBar = (rows: { name: string; rate: number | null }[]) => ({
      grid: { left: 16, right: 80, top: 8, bottom: 8, containLabel: true },
      xAxis: {
        type: 'value',
        max: 100,
        axisLabel: { ...AXIS, formatter: '{value}%' },
        splitLine: { lineStyle: { color: '#1d2c40' } },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => r.name),
        axisLabel: { ...AXIS, fontSize: 20 },
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 26,
          data: rows.map((r) => ({
            value: Math.round((r.rate ?? 0) * 1000) / 10,
            itemStyle: { color: (r.rate ?? 0) < 0.8 ? RED : (r.rate ?? 0) < 0.9 ? '#f5b83d' : GREEN },
          })),
          label: { show: true, position: 'right', color: TEXT, fontSize: 20, formatter: '{c}%' },
        },
      ],
    });
    return {
      map: {
        tooltip: { trigger: 'item' },
        visualMap: {
          min: 0,
          max: maxOverdue,
          left: 16,
          bottom: 16,
          calculable: false,
          text: [t('screen.mapOverdue'), '0'],
          textStyle: { color: TEXT, fontSize: 16 },
          inRange: { color: ['#12324f', '#1f6fb2', '#f5b83d', RED] },
        },
        series: [
          {
            type: 'map',
            map: 'liandong-streets',
            roam: false,
            nameProperty: 'code',
            // the district is tall: fill the panel's height, leave the right for the top-five box
            layoutCenter: ['42%', '52%'],
            layoutSize: '100%',
            label: {
              show: true,
              color: '#ffffff',
              fontSize: 15,
              formatter: (p: { data?: { label?: string } }) => p.data?.label ?? '',
            },
            itemStyle: { borderColor: '#8fb7e0', borderWidth: 1 },
            emphasis: { label: { color: '#ffffff' }, itemStyle: { areaColor: '#2b5d8c' } },
            data: s.openByStreet.map((x) => ({
              name: x.code,
              value: x.overdue,
              label: `${x.name.replace(/街道$|镇$/, '')}\n${x.open} / ${x.overdue}`,
            })),
          },
        ],
      },
      trend: {
        tooltip: { trigger: 'axis' },
        legend: { top: 0, textStyle: { color: TEXT, fontSize: 18 } },
        grid: { left: 16, right: 24, top: 44, bottom: 8, containLabel: true },
        xAxis: {
          type: 'category',
          data: s.trend.map((d) => d.date.slice(5)),
          axisLabel: { ...AXIS, fontSize: 15 },
        },
        yAxis: {
          type: 'value',
          minInterval: 1,
          axisLabel: AXIS,
          splitLine: { lineStyle: { color: '#1d2c40' } },
        },
        series: [
          {
            name: t('screen.intake'),
            type: 'line',
            smooth: true,
            symbolSize: 6,
            lineStyle: { width: 4 },
            data: s.trend.map((d) => d.intake),
            itemStyle: { color: BLUE },
            areaStyle: { opacity: 0.15 },
          },
          {
            name: t('screen.closed'),
            type: 'line',
            smooth: true,
            symbolSize: 6,
            lineStyle: { width: 4 },
            data: s.trend.map((d) => d.closed),
            itemStyle: { color: GREEN },
          },
        ],
      },
      streets: rateBar(streetRates),
      depts: rateBar(deptRates),
      byStreet: streets,
    };
  }, [s, t]);
  const territoryRanking = useMemo(
    () => (territoryEval.data ? evaluationRanking(territoryEval.data, t) : null),
    [territoryEval.data, t],
  );
  const deptRanking = useMemo(
    () => (deptEval.data ? evaluationRanking(deptEval.data, t) : null),
    [deptEval.data, t],
  );

  const open = s ? Object.values(s.openByState).reduce((a, b) => a + b, 0) : null;
  const items = warnings.data?.items ?? [];
  const ticker = items.map((w) => {
    const street = s?.openByStreet.find((x) => x.code === w.streetCode)?.name ?? '';
    return `${t(`warnings.rule.${w.rule}` as MessageKey)} · ${street} · ${dateTime(w.raisedAt, lang)}`;
  });

  return (
    <div className="screen" data-view={view} data-ready={s && options ? 'true' : undefined}>
      <header className="screen-head">
        <h1>{t('screen.title')}</h1>
        <div className="screen-tabs" role="tablist">
          {VIEWS.map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={v === view}
              className={v === view ? 'active' : ''}
              onClick={() => {
                setView(v);
                setPaused(true);
              }}
            >
              {t(`screen.view.${v}` as MessageKey)}
            </button>
          ))}
          <button type="button" onClick={() => setPaused((p) => !p)}>
            {paused ? t('screen.resume') : t('screen.pause')}
          </button>
        </div>
        <div className="screen-clock">
          <span className={live ? 'screen-live on' : 'screen-live'}>● {t('screen.live')}</span>
          <time>{dateTime(now.toISOString(), lang)}</time>
          <Link to="/overview" className="screen-exit">
            {t('screen.exit')}
          </Link>
        </div>
      </header>

      <section className="screen-kpis">
        <Kpi label={t('screen.todayIntake')} value={s?.today.intake} />
        <Kpi label={t('screen.todayClosed')} value={s?.today.closed} tone="green" />
        <Kpi label={t('screen.open')} value={open} />
        <Kpi label={t('screen.overdue')} value={s?.overdue.total} tone="red" />
      </section>

      <main className="screen-body">
        {!options ? (
          <div className="screen-loading">…</div>
        ) : view === 'overview' ? (
          <>
            <Box title={t('screen.map')} className="screen-map">
              {mapReady ? (
                <WallChart option={options.map} label={t('screen.map')} />
              ) : (
                <div className="screen-loading">…</div>
              )}
              <ol className="screen-legend">
                {options.byStreet.slice(0, 5).map((x) => (
                  <li key={x.code}>
                    <span>{x.name}</span>
                    <span className="screen-legend-n">{x.open}</span>
                    <b className="red">/ {x.overdue}</b>
                  </li>
                ))}
              </ol>
            </Box>
            <Box title={t('screen.trend')} className="screen-trend">
              <WallChart option={options.trend} label={t('screen.trend')} />
            </Box>
          </>
        ) : (
          <>
            {territoryRanking ? (
              <RankingBox
                title={t(`screenRank.${territoryKind}`, { period })}
                ranking={territoryRanking}
                kind={territoryKind}
              />
            ) : (
              <Box title={`${t('screen.rankStreet')} ${t('screenRank.fallback')}`} className="screen-rank">
                <WallChart option={options.streets} label={t('screen.rankStreet')} />
              </Box>
            )}
            {deptRanking ? (
              <RankingBox
                title={t('screenRank.department', { period })}
                ranking={deptRanking}
                kind="department"
              />
            ) : (
              <Box title={`${t('screen.rankDept')} ${t('screenRank.fallback')}`} className="screen-rank">
                <WallChart option={options.depts} label={t('screen.rankDept')} />
              </Box>
            )}
          </>
        )}
      </main>

      <footer className="screen-ticker" aria-label={t('screen.warnings')}>
        <span className="screen-ticker-label">{t('screen.warnings')}</span>
        <div className="screen-ticker-track">
          {ticker.length === 0 ? (
            <span className="muted">{t('screen.noWarnings')}</span>
          ) : (
            <div
              className="screen-ticker-run"
              style={{ animationDuration: `${Math.max(20, ticker.length * 6)}s` }}
            >
              {[...ticker, ...ticker].map((text, i) => (
                <span key={i}>{text}</span>
              ))}
            </div>
          )}
        </div>
        <span className="muted screen-updated">{s ? dateTime(s.generatedAt, lang) : ''}</span>
      </footer>
    </div>
  );
}

function Kpi({
  label,
  value,
  tone,
}: {
  label: string;
  value: number | null | undefined;
  tone?: 'red' | 'green';
}) {
  return (
    <div className={`screen-kpi ${tone ?? ''}`}>
      <div className="screen-kpi-label">{label}</div>
      <div className="screen-kpi-value">{value ?? '—'}</div>
    </div>
  );
}

function Box({
  title,
  note,
  className,
  children,
  ...data
}: {
  title: string;
  note?: string;
  className: string;
  children: ReactNode;
  'data-ranking'?: string;
}) {
  return (
    <section className={`screen-box ${className}`} {...data}>
      <h2>
        {title}
        {note ? <span className="screen-box-note">{note}</span> : null}
      </h2>
      <div className="screen-box-body">{children}</div>
    </section>
  );
}

interface Ranking {
  option: EChartsCoreOption | null;
  ranked: number;
  small: number;
}

/**
 * The ranked units of an evaluation table, best first, as a bar chart of composite scores coloured by
 * grade; a long table shows its top and its bottom five.
 */
function evaluationRanking(table: EvaluationTable, t: Translate): Ranking {
  const ranked = table.units
    .filter((u) => u.rank !== null && u.composite !== null)
    .sort((a, b) => a.rank! - b.rank! || a.name.localeCompare(b.name, 'zh'));
  const small = table.units.filter((u) => u.small && u.size > 0).length;
  if (ranked.length === 0) return { option: null, ranked: 0, small };
  const { head, hidden, tail } = wallRows(ranked, RANK_ROWS);
  type Row = { unit: (typeof ranked)[number] } | { hidden: number };
  const rows: Row[] = [
    ...head.map((unit) => ({ unit })),
    ...(hidden > 0 ? [{ hidden }] : []),
    ...tail.map((unit) => ({ unit })),
  ];
  const option: EChartsCoreOption = {
    grid: { left: 16, right: 96, top: 8, bottom: 8, containLabel: true },
    xAxis: {
      type: 'value',
      min: 0,
      max: 100,
      axisLabel: AXIS,
      splitLine: { lineStyle: { color: '#1d2c40' } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) =>
        'unit' in r ? `${r.unit.rank}  ${r.unit.name}` : t('screenRank.more', { n: r.hidden }),
      ),
      axisLabel: { ...AXIS, fontSize: 20 },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 26,
        data: rows.map((r) =>
          'unit' in r
            ? {
                value: Math.round(r.unit.composite! * 10) / 10,
                grade: r.unit.grade,
                itemStyle: { color: GRADE_COLOURS[r.unit.grade ?? ''] ?? BLUE },
              }
            : { value: null },
        ),
        label: {
          show: true,
          position: 'right',
          color: TEXT,
          fontSize: 20,
          formatter: (p: { value: number | null; data?: { grade?: string | null } }) =>
            p.value === null ? '' : `${p.value}  ${p.data?.grade ?? ''}`,
        },
      },
    ],
  };
  return { option, ranked: ranked.length, small };
}

function RankingBox({ title, ranking, kind }: { title: string; ranking: Ranking; kind: string }) {
  const { t } = useI18n();
  return (
    <Box
      title={title}
      note={ranking.small > 0 ? t('screenRank.small', { n: ranking.small }) : undefined}
      className="screen-rank"
      data-ranking={kind}
    >
      {ranking.option ? (
        <WallChart option={ranking.option} label={title} />
      ) : (
        <div className="screen-loading">{t('screenRank.none')}</div>
      )}
    </Box>
  );
}
