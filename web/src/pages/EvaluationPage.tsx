import { useMemo, useState } from 'react';
import { client } from '../api/client';
import { useCall } from '../api/hooks';
import type { EvaluationIndicatorId, EvaluationTable, EvaluationUnitKind } from '../api/models';
import { useI18n } from '../i18n';
import { dateTime, percent } from '../lib/format';
import { stateLabel } from '../lib/labels';
import { Link, setSearch, useLocation } from '../router';
import { Chart } from '../components/Chart';
import { Empty, ErrorBox, Loading, Panel } from '../components/ui';
import { useSession } from '../session';
import { EvaluationSettingsPanel } from './EvaluationSettingsPanel';
import { EvaluationXlsx, MonthlyReportLink } from '../components/ReportDownloads';
import '../styles/evaluation.css';

type Part = 'numerator' | 'denominator';
type PeriodKind = 'month' | 'week' | 'quarter' | 'year' | 'range';

const PERIOD_KINDS: PeriodKind[] = ['month', 'week', 'quarter', 'year', 'range'];

/** The current Beijing month, `YYYY-MM`. */
const beijingMonth = (iso: string | number) =>
  new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 7);
const thisMonth = () => beijingMonth(Date.now());

function kindOfPeriod(key: string): PeriodKind {
  if (key.includes('..')) return 'range';
  if (key.includes('-W')) return 'week';
  if (key.includes('-Q')) return 'quarter';
  if (/^\d{4}$/.test(key)) return 'year';
  return 'month';
}

/** A default key for a period kind, from the month shown. */
function periodFor(kind: PeriodKind, month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  switch (kind) {
    case 'month':
      return month;
    case 'quarter':
      return `${y}-Q${Math.ceil(m / 3)}`;
    case 'year':
      return String(y);
    case 'week':
      return `${y}-W${String(Math.min(52, Math.ceil(((m - 1) * 30.4 + 15) / 7))).padStart(2, '0')}`;
    case 'range':
      return `${month}-01..${month}-15`;
  }
}

const gradeClass = (g: string | null) => (g ? `grade grade-${g}` : 'grade');

/** 综合评价: the evaluation table per unit kind, with definitions, ranking chart and drill-down. */
export default function EvaluationPage() {
  const { t, lang, pick } = useI18n();
  const { search } = useLocation();
  const period = search.get('period') || thisMonth();
  const kindParam = (search.get('kind') as EvaluationUnitKind | null) ?? undefined;
  const [showDefs, setShowDefs] = useState(false);
  const [showSettings, setShowSettings] = useState(false);
  const { me } = useSession();
  const isAdmin = me?.role === 'admin';
  const [drill, setDrill] = useState<{ unit: string; indicator: EvaluationIndicatorId; part: Part } | null>(
    null,
  );

  const tableQuery = { period, unitKind: kindParam };
  const table = useCall(`evaluation ${JSON.stringify(tableQuery)}`, (signal) =>
    client.GET('/api/v1/evaluation', { params: { query: tableQuery }, signal }),
  );
  const defs = useCall('evaluation definitions', (signal) =>
    client.GET('/api/v1/evaluation/definitions', { signal }),
  );
  const tb = table.data;
  const d = defs.data;
  const drillQuery =
    drill && tb
      ? {
          period: tb.period.key,
          unitKind: tb.unitKind,
          unit: drill.unit,
          indicator: drill.indicator,
          part: drill.part,
        }
      : null;
  const cases = useCall(drillQuery && `evaluation cases ${JSON.stringify(drillQuery)}`, (signal) =>
    client.GET('/api/v1/evaluation/cases', { params: { query: drillQuery! }, signal }),
  );

  const defOf = (id: string) => d?.indicators.find((x) => x.id === id);
  const name2 = (x: { zh: string; en: string } | undefined, fallback: string) =>
    x ? pick(x.zh, x.en) : fallback;

  const chart = useMemo(() => {
    if (!tb) return null;
    const ranked = tb.units.filter((u) => u.rank !== null).slice(0, 20);
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', max: 100, axisLabel: { color: '#4a5a6a', fontSize: 11 } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: ranked.map((u) => `${u.rank}. ${u.name}`),
        axisLabel: { color: '#4a5a6a', fontSize: 11 },
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 14,
          label: { show: true, position: 'right', fontSize: 11 },
          data: ranked.map((u) => ({
            value: u.composite,
            itemStyle: {
              color:
                u.grade === 'A'
                  ? '#2e7d5b'
                  : u.grade === 'B'
                    ? '#2873b8'
                    : u.grade === 'C'
                      ? '#d89b1d'
                      : '#c0392b',
            },
          })),
        },
      ],
    };
  }, [tb]);

  if (table.error) return <ErrorBox error={table.error} onRetry={() => table.reload()} />;
  if (!tb || !d || !chart) return <Loading />;
  const pKind = kindOfPeriod(tb.period.key);
  const [rangeFrom, rangeTo] = pKind === 'range' ? tb.period.key.split('..') : ['', ''];
  const choose = (key: string) => {
    setDrill(null);
    setSearch({ period: key });
  };
  const kindDefs = tb.indicators.map((i) => ({ ...i, def: defOf(i.id) }));
  const drillUnit = drill && tb.units.find((u) => u.unit === drill.unit);

  const numberButton = (
    unit: EvaluationTable['units'][number],
    id: EvaluationIndicatorId,
    part: Part,
    n: number,
  ) => (
    <button
      type="button"
      className="linkish num-link"
      data-testid={`n-${unit.unit}-${id}-${part}`}
      aria-label={t('evaluation.openNumber', {
        unit: unit.name,
        indicator: name2(defOf(id)?.name, id),
        part: t(part === 'numerator' ? 'evaluation.numerator' : 'evaluation.denominator'),
      })}
      onClick={() => setDrill({ unit: unit.unit, indicator: id, part })}
    >
      {n}
    </button>
  );

  return (
    <div className="evaluation" data-ready="true">
      <div className="wb-head">
        <h1>{t('evaluation.title')}</h1>
        <span className="muted small">
          {t('evaluation.asOf', { t: dateTime(tb.asOf, lang), prev: tb.previousPeriod })}
        </span>
      </div>
      <div className="eval-controls">
        <label>
          <span className="muted small">{t('evaluation.period')}</span>{' '}
          <select
            value={pKind}
            aria-label={t('evaluation.period')}
            onChange={(e) => choose(periodFor(e.target.value as PeriodKind, beijingMonth(tb.period.from)))}
          >
            {PERIOD_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`evaluation.periodKind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {pKind === 'month' && (
          <input
            type="month"
            aria-label={t('evaluation.periodKind.month')}
            value={tb.period.key}
            onChange={(e) => e.target.value && choose(e.target.value)}
          />
        )}
        {pKind === 'week' && (
          <input
            type="week"
            aria-label={t('evaluation.periodKind.week')}
            value={tb.period.key}
            onChange={(e) => e.target.value && choose(e.target.value)}
          />
        )}
        {pKind === 'quarter' && (
          <select
            aria-label={t('evaluation.periodKind.quarter')}
            value={tb.period.key}
            onChange={(e) => choose(e.target.value)}
          >
            {[-1, 0, 1].flatMap((dy) =>
              [1, 2, 3, 4].map((q) => {
                const key = `${Number(tb.period.key.slice(0, 4)) + dy}-Q${q}`;
                return (
                  <option key={key} value={key}>
                    {key}
                  </option>
                );
              }),
            )}
          </select>
        )}
        {pKind === 'year' && (
          <input
            type="number"
            min={2000}
            max={2100}
            aria-label={t('evaluation.periodKind.year')}
            value={tb.period.key}
            onChange={(e) => /^\d{4}$/.test(e.target.value) && choose(e.target.value)}
          />
        )}
        {pKind === 'range' && (
          <>
            <label>
              <span className="muted small">{t('evaluation.from')}</span>{' '}
              <input
                type="date"
                value={rangeFrom}
                onChange={(e) => e.target.value && choose(`${e.target.value}..${rangeTo}`)}
              />
            </label>
            <label>
              <span className="muted small">{t('evaluation.to')}</span>{' '}
              <input
                type="date"
                value={rangeTo}
                onChange={(e) => e.target.value && choose(`${rangeFrom}..${e.target.value}`)}
              />
            </label>
          </>
        )}
        <a
          className="btn"
          href={`/api/v1/evaluation/export.csv?${new URLSearchParams({ period: tb.period.key, unitKind: tb.unitKind })}`}
          download
        >
          {t('evaluation.exportCsv')}
        </a>
        <EvaluationXlsx path="export" query={{ period: tb.period.key, unitKind: tb.unitKind }} />
        <MonthlyReportLink period={tb.period.key} />
        <button type="button" className="btn" onClick={() => setShowDefs((v) => !v)} aria-expanded={showDefs}>
          {showDefs ? t('evaluation.hideDefinitions') : t('evaluation.definitions')}
        </button>
        {isAdmin && (
          <button
            type="button"
            className="btn"
            data-testid="open-settings"
            onClick={() => setShowSettings((v) => !v)}
            aria-expanded={showSettings}
          >
            {t('evaluation.settings.open')}
          </button>
        )}
      </div>
      <div className="tabs eval-tabs" role="tablist">
        {tb.kinds.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={k === tb.unitKind}
            className={`tab ${k === tb.unitKind ? 'active' : ''}`}
            onClick={() => {
              setDrill(null);
              setSearch({ kind: k });
            }}
          >
            {name2(d.unitKinds.find((x) => x.id === k)?.name, k)}
          </button>
        ))}
      </div>

      {isAdmin && showSettings && (
        <EvaluationSettingsPanel
          key={tb.unitKind}
          kind={tb.unitKind}
          kindName={name2(d.unitKinds.find((x) => x.id === tb.unitKind)?.name, tb.unitKind)}
          indicators={kindDefs.map(({ id, weight, def }) => ({
            id,
            weight,
            name: def?.name ?? { zh: id, en: id },
          }))}
          defaults={Object.fromEntries(kindDefs.map(({ id, def }) => [id, def?.weight ?? 0]))}
          onSaved={() => table.reload(true)}
          onClose={() => setShowSettings(false)}
        />
      )}

      {showDefs && (
        <Panel title={t('evaluation.definitions')} className="eval-defs">
          <dl>
            {kindDefs.map(({ id, weight, def }) =>
              def ? (
                <div key={id} className="eval-def">
                  <dt>
                    {pick(def.name.zh, def.name.en)}{' '}
                    <span className="muted small">
                      · {t(`evaluation.better.${def.better}`)} · {t('evaluation.weight', { w: weight })}
                    </span>
                  </dt>
                  <dd>
                    <div>
                      <b>{t('evaluation.formula')}</b>: {pick(def.formula.zh, def.formula.en)}
                    </div>
                    <div>
                      <b>{t('evaluation.numerator')}</b>: {pick(def.numerator.zh, def.numerator.en)};{' '}
                      <b>{t('evaluation.denominator')}</b>: {pick(def.denominator.zh, def.denominator.en)}
                    </div>
                    <div>
                      <b>{t('evaluation.counts')}</b>: {pick(def.rule.zh, def.rule.en)}
                    </div>
                    <div className="muted small">
                      {t('evaluation.standard')}: {def.standard}
                    </div>
                  </dd>
                </div>
              ) : null,
            )}
          </dl>
          <h3>{t('evaluation.rules')}</h3>
          <ul>
            {d.rules.map((r) => (
              <li key={r.en}>{pick(r.zh, r.en)}</li>
            ))}
            <li>{t('evaluation.grades')}</li>
            <li>{t('evaluation.smallHelp', { n: tb.minDenominator })}</li>
          </ul>
        </Panel>
      )}

      {tb.units.length === 0 ? (
        <Empty>{t('evaluation.noUnits')}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="cases eval-table" data-testid="evaluation-table">
            <thead>
              <tr>
                <th>{t('evaluation.rank')}</th>
                <th>{t('evaluation.unit')}</th>
                {kindDefs.map(({ id, def }) => (
                  <th key={id} title={def ? pick(def.formula.zh, def.formula.en) : id}>
                    {name2(def?.name, id)}
                  </th>
                ))}
                <th>{t('evaluation.composite')}</th>
                <th>{t('evaluation.grade')}</th>
                <th>{t('evaluation.change')}</th>
                <th>{t('evaluation.sample')}</th>
              </tr>
            </thead>
            <tbody>
              {tb.units.map((u) => (
                <tr key={u.unit} className={u.small ? 'small-sample' : ''} data-unit={u.unit}>
                  <td className="num">{u.rank ?? '—'}</td>
                  <td>{u.name}</td>
                  {u.indicators.map((v) => (
                    <td key={v.id} className="num eval-cell">
                      <div>{percent(v.rate)}</div>
                      <div className="small muted">
                        {numberButton(u, v.id, 'numerator', v.numerator)}/
                        {numberButton(u, v.id, 'denominator', v.denominator)}
                      </div>
                    </td>
                  ))}
                  <td className="num">{u.composite === null ? '—' : u.composite.toFixed(2)}</td>
                  <td>
                    <span className={gradeClass(u.grade)}>{u.grade ?? '—'}</span>
                  </td>
                  <td className="num">
                    {u.change === null ? '—' : `${u.change > 0 ? '+' : ''}${u.change.toFixed(2)}`}
                  </td>
                  <td className="num">
                    {u.size}
                    {u.small && (
                      <span
                        className="muted small"
                        title={t('evaluation.smallHelp', { n: tb.minDenominator })}
                      >
                        {' '}
                        · {t('evaluation.small')}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {drill && drillUnit && (
        <Panel
          className="eval-drill"
          title={t('evaluation.drillTitle', {
            unit: drillUnit.name,
            indicator: name2(defOf(drill.indicator)?.name, drill.indicator),
            part: t(drill.part === 'numerator' ? 'evaluation.numerator' : 'evaluation.denominator'),
            n: cases.data?.total ?? '…',
          })}
          actions={
            <>
              {drillQuery && (
                // a download link, not a JSON call: the contract answers text/csv
                <a
                  className="btn"
                  href={`/api/v1/evaluation/cases/export.csv?${new URLSearchParams(drillQuery)}`}
                  download
                >
                  {t('evaluation.exportCsv')}
                </a>
              )}{' '}
              {drillQuery && <EvaluationXlsx path="cases/export" query={drillQuery} />}{' '}
              <button type="button" className="btn" onClick={() => setDrill(null)}>
                {t('evaluation.close')}
              </button>
            </>
          }
        >
          {cases.error ? (
            <ErrorBox error={cases.error} onRetry={() => cases.reload()} />
          ) : !cases.data || cases.loading ? (
            <Loading />
          ) : (
            <div className="table-wrap">
              <table className="cases" data-testid="drill-list" data-total={cases.data.total}>
                <thead>
                  <tr>
                    <th>{t('evaluation.caseNo')}</th>
                    <th>{t('evaluation.reason')}</th>
                    <th>{t('evaluation.at')}</th>
                    <th>{t('evaluation.state')}</th>
                    <th>{t('evaluation.description')}</th>
                  </tr>
                </thead>
                <tbody>
                  {cases.data.items.map((c, i) => (
                    <tr key={`${c.caseId}-${i}`}>
                      <td>
                        <Link to={`/cases/${c.caseId}`}>{c.caseNo}</Link>
                      </td>
                      <td>{name2(d.reasons.find((r) => r.id === c.reason)?.name, c.reason)}</td>
                      <td>{dateTime(c.at, lang)}</td>
                      <td>{stateLabel(t, c.state)}</td>
                      <td className="col-desc">{c.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      )}

      {tb.units.some((u) => u.rank !== null) && (
        <Panel title={t('evaluation.ranking')}>
          <Chart
            option={chart}
            height={Math.max(160, 26 * Math.min(20, tb.units.filter((u) => u.rank !== null).length) + 24)}
            label={t('evaluation.ranking')}
          />
        </Panel>
      )}
    </div>
  );
}
