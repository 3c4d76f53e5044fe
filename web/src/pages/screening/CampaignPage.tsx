import { lazy, Suspense, useState } from 'react';
import { call, client } from '../../api/client';
import { useCall } from '../../api/hooks';
import type { components } from '../../api/schema';
import { Empty, ErrorBox, Loading, Panel } from '../../components/ui';
import '../../styles/screening.css';
import { useI18n, type MessageKey } from '../../i18n';
import { dateTime } from '../../lib/format';
import { Link } from '../../router';

const TargetsMap = lazy(() => import('./TargetsMap'));
type Row = components['schemas']['ScreeningCampaignDetail']['total'];
const COLUMNS = [
  'total',
  'pending',
  'revisit',
  'normal',
  'problemFound',
  'refused',
  'unreachable',
  'overdue',
] as const;

/** One campaign: progress per committee and grid, rounds compared, the map of targets, findings, export. */
export function CampaignPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const detail = useCall(`screening ${id}`, (signal) =>
    client.GET('/api/v1/screening/campaigns/{id}', { params: { path: { id } }, signal }),
  );
  const points = useCall(`screening targets ${id}`, (signal) =>
    client.GET('/api/v1/screening/campaigns/{id}/targets', { params: { path: { id } }, signal }),
  );
  const findings = useCall(`screening findings ${id}`, (signal) =>
    client.GET('/api/v1/screening/campaigns/{id}/findings', { params: { path: { id } }, signal }),
  );

  const act = async (action: 'next_round' | 'close') => {
    if (action === 'close' && !window.confirm(t('screening.confirmClose'))) return;
    if (!detail.data) return;
    setBusy(true);
    setError(null);
    try {
      await call(
        client.PATCH('/api/v1/screening/campaigns/{id}', {
          params: { path: { id } },
          body: { action, version: detail.data.campaign.version },
        }),
      );
      detail.reload(true);
      points.reload(true);
      findings.reload(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (detail.error) return <ErrorBox error={detail.error} onRetry={() => detail.reload()} />;
  if (!detail.data) return <Loading />;
  const d = detail.data;
  const c = d.campaign;
  const table = (rows: Row[], title: string) => (
    <div className="table-wrap">
      <table className="coverage-table screening-table">
        <caption className="muted small">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('screening.col.place')}</th>
            {COLUMNS.map((k) => (
              <th key={k} scope="col">
                {t(`screening.col.${k}` as MessageKey)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code || '-'} data-progress={r.code}>
              <th scope="row">{r.name || r.code || '—'}</th>
              {COLUMNS.map((k) => (
                <td key={k}>{r[k]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  return (
    <div className="screening-page">
      <div className="wb-head">
        <h1>{c.name}</h1>
        <span className="muted">
          {t(`screening.theme.${c.theme}` as MessageKey)} · {t(`screening.state.${c.state}` as MessageKey)} ·{' '}
          {t('screening.roundOf', { round: c.currentRound, rounds: c.rounds })}
        </span>
      </div>
      <div className="screening-actions">
        {c.allowedActions
          .filter((a): a is 'next_round' | 'close' => a !== 'update')
          .map((a) => (
            <button
              key={a}
              type="button"
              className={a === 'next_round' ? 'btn btn-primary' : 'btn'}
              disabled={busy}
              data-campaign-action={a}
              onClick={() => void act(a)}
            >
              {t(`screening.action.${a}` as MessageKey)}
            </button>
          ))}
        <a className="btn" href={`/api/v1/screening/campaigns/${id}/export`} download data-export>
          {t('screening.export')}
        </a>
      </div>
      {error ? <ErrorBox error={error} /> : null}
      <Panel title={t('screening.progress', { round: d.round })}>
        <p data-cases>{t('screening.cases', { opened: d.cases.opened, closed: d.cases.closed })}</p>
        {table([{ ...d.total, name: t('screening.territory.all') }], '')}
        {table(d.byCommittee, t('screening.byCommittee'))}
        {table(d.byGrid, t('screening.byGrid'))}
      </Panel>
      <Panel title={t('screening.rounds.title')}>
        <ul className="screening-rounds">
          {d.rounds.map((r) => (
            <li key={r.roundNo}>
              {r.comparison
                ? t('screening.round.line', {
                    round: r.roundNo,
                    targets: r.comparison.targets,
                    added: r.comparison.added,
                    continuing: r.comparison.continuing,
                    problem: r.comparison.problemStillMatching,
                    dropped: r.comparison.dropped,
                  })
                : t('screening.round.pending', { round: r.roundNo })}
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title={t('screening.map')}>
        <Suspense fallback={<Loading />}>
          <TargetsMap points={points.data?.items ?? []} focus={c.ownerCode} />
        </Suspense>
      </Panel>
      <Panel title={t('screening.findings')}>
        {!findings.data ? (
          <Loading />
        ) : findings.data.items.length === 0 ? (
          <Empty>{t('screening.findings.empty')}</Empty>
        ) : (
          <ul className="screening-findings">
            {findings.data.items.map((f) => (
              <li key={f.visitId} data-finding={f.visitId} style={{ overflowWrap: 'anywhere' }}>
                <Link to={`/addresses/${f.addressId}`}>{f.label}</Link>{' '}
                <span className="muted">
                  {f.visitorName} · {dateTime(f.at, lang)}
                </span>
                {f.caseId && (
                  <div>
                    <Link to={`/cases/${f.caseId}`}>{f.caseNo ?? f.caseId.slice(0, 8)}</Link>{' '}
                    {f.caseState && <span className="tag">{t(`state.${f.caseState}` as MessageKey)}</span>}
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </div>
  );
}
