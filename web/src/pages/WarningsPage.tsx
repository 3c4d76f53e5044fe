import { useEffect, useState } from 'react';
import { call, client } from '../api/client';
import { useCall, useThrottled } from '../api/hooks';
import { useLiveEvents } from '../api/live';
import type { components } from '../api/schema';
import { Empty, ErrorBox, Loading, Panel } from '../components/ui';
import { useI18n, type MessageKey } from '../i18n';
import { dateTime } from '../lib/format';
import { Link, useLocation } from '../router';

type Warning = components['schemas']['Warning'];
type Rule = components['schemas']['WarningRule'];
type StateFilter = 'open' | components['schemas']['WarningState'] | '';

const RULES: Rule[] = [
  'recurrence',
  'hotspot',
  'group_renting',
  'unlicensed_business',
  'illegal_medical',
  'repeated_disputes',
  'stability_signal',
];
const STATES: StateFilter[] = ['open', 'new', 'acknowledged', 'converted', 'dismissed'];

/** 预警: the warnings the centre owns (the district: all), with acknowledge / convert / dismiss. */
export function WarningsPage() {
  const { t, lang } = useI18n();
  const { search } = useLocation();
  // from the map layer's popup: ?focus=<id> shows every state and marks that warning
  const focus = search.get('focus');
  const [state, setState] = useState<StateFilter>(focus ? '' : 'open');
  const [rule, setRule] = useState<Rule | ''>('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const list = useCall(`warnings ${state} ${rule}`, (signal) =>
    client.GET('/api/v1/warnings', {
      params: { query: { ...(state ? { state } : {}), ...(rule ? { rule } : {}), limit: 100 } },
      signal,
    }),
  );

  // a warning raised or acted on elsewhere (the job, another console): re-read, and say so when it is new
  const [arrived, setArrived] = useState(false);
  const refresh = useThrottled(() => list.reload(true), 1000);
  useLiveEvents((e) => {
    if (e.type !== 'warning') return;
    if (e.action === 'raise') setArrived(true);
    refresh();
  });
  useEffect(() => {
    if (!focus || !list.data) return;
    document.querySelector(`[data-warning="${CSS.escape(focus)}"]`)?.scrollIntoView({ block: 'center' });
  }, [focus, list.data]);

  const act = async (w: Warning, action: 'acknowledge' | 'convert' | 'dismiss') => {
    let reason: string | undefined;
    if (action === 'dismiss') {
      reason = window.prompt(t('warnings.dismissReason'))?.trim() || undefined;
      if (!reason) return;
    }
    setBusy(w.id);
    setError(null);
    try {
      await call(
        client.POST('/api/v1/warnings/{id}/actions', {
          params: { path: { id: w.id } },
          body: { action, version: w.version, ...(reason ? { reason } : {}) },
        }),
      );
      list.reload(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="warnings-page">
      <div className="wb-head">
        <h1>{t('warnings.title')}</h1>
        {list.data && <span className="muted">{t('warnings.total', { n: list.data.total })}</span>}
      </div>
      <p className="muted">{t('warnings.intro')}</p>
      {arrived && (
        <p className="notice notice-ok" role="status" data-testid="warning-arrived">
          {t('warnings.live')}
        </p>
      )}
      <div className="filters" style={{ display: 'flex', flexWrap: 'wrap', gap: '0.5rem' }}>
        <label>
          {t('warnings.filter.state')}{' '}
          <select value={state} onChange={(e) => setState(e.target.value as StateFilter)} data-filter="state">
            <option value="">{t('warnings.filter.all')}</option>
            {STATES.filter(Boolean).map((s) => (
              <option key={s} value={s}>
                {t(`warnings.state.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('warnings.filter.rule')}{' '}
          <select value={rule} onChange={(e) => setRule(e.target.value as Rule | '')} data-filter="rule">
            <option value="">{t('warnings.filter.all')}</option>
            {RULES.map((r) => (
              <option key={r} value={r}>
                {t(`warnings.rule.${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? <ErrorBox error={error} /> : null}
      {list.error ? (
        <ErrorBox error={list.error} onRetry={() => list.reload()} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <Empty>{t('warnings.empty')}</Empty>
      ) : (
        list.data.items.map((w) => (
          <Panel
            key={w.id}
            title={t(`warnings.rule.${w.rule}` as MessageKey)}
            actions={w.allowedActions.map((a) => (
              <button
                key={a}
                type="button"
                className={a === 'convert' ? 'btn btn-primary' : 'btn'}
                disabled={busy === w.id}
                data-warning-action={a}
                onClick={() => void act(w, a)}
              >
                {t(`warnings.action.${a}` as MessageKey)}
              </button>
            ))}
          >
            <div
              data-warning={w.id}
              className={w.id === focus ? 'warning-focus' : undefined}
              style={{ overflowWrap: 'anywhere' }}
            >
              <span className="tag">{t(`warnings.state.${w.state}` as MessageKey)}</span>{' '}
              <span className="muted">{t('warnings.raisedAt', { at: dateTime(w.raisedAt, lang) })}</span>
              <div>
                {t('warnings.evidence', { cases: w.caseIds.length, records: w.recordIds.length })}
                {' · '}
                {Object.entries(w.facts)
                  .map(
                    ([k, v]) =>
                      `${factLabel(t, k)}: ${typeof v === 'number' && k === 'pValue' ? v.toExponential(1) : v}`,
                  )
                  .join(' · ')}
              </div>
              <Link to={`/map?warning=${w.id}`}>{t('warnings.onMap')}</Link>{' '}
              {w.addressId && <Link to={`/addresses/${w.addressId}`}>{w.addressId}</Link>}
              {w.caseId && (
                <div>
                  {t('warnings.case')}: <Link to={`/cases/${w.caseId}`}>{w.caseId.slice(0, 8)}</Link>
                </div>
              )}
              {w.dismissReason && <div className="muted">{w.dismissReason}</div>}
            </div>
          </Panel>
        ))
      )}
    </div>
  );
}

/** A fact's label (the rules' figures), or its key when the dictionary has none. */
const FACTS = new Set([
  'cases',
  'days',
  'radiusM',
  'count',
  'baseline',
  'pValue',
  'cell',
  'occupants',
  'areaPerPersonM2',
  'industry',
  'licence',
]);
function factLabel(t: ReturnType<typeof useI18n>['t'], key: string): string {
  return FACTS.has(key) ? t(`warnings.fact.${key}` as MessageKey) : key;
}
