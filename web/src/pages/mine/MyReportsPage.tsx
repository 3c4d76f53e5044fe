import { useEffect, useState } from 'react';
import { useI18n, type MessageKey } from '../../i18n';
import { call, client } from '../../api/client';
import type { components } from '../../api/schema';
import { useCall, useThrottled } from '../../api/hooks';
import { useLiveEvents } from '../../api/live';
import { Link, setSearch, useLocation } from '../../router';
import { useMe, useReference } from '../../session';
import { amount, dateTime } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { stageLabel, unitHelp, unitLabel } from '../../lib/labels';
import { categoryName, placeName } from '../../components/CaseTable';
import { DeadlineChip, Empty, ErrorBox, Loading, StateBadge } from '../../components/ui';
import '../../styles/mine.css';

type MyReport = components['schemas']['MyReport'];
type Filter = 'all' | 'open' | 'closed';
const FILTERS: { value: Filter; label: MessageKey; empty: MessageKey }[] = [
  { value: 'all', label: 'mine.all', empty: 'mine.empty' },
  { value: 'open', label: 'mine.open', empty: 'mine.emptyOpen' },
  { value: 'closed', label: 'mine.closed', empty: 'mine.emptyClosed' },
];
const PAGE = 20;

/**
 * 我的上报 (issue 11 §4): the cases I reported, newest first, with state, time limit and result — the
 * patroller's tab on the phone (/m/mine) and the desk page (/mine). A citizen gets the public view from
 * the API (no clock, departments or internal steps) and no link into the staff's case file.
 */
export function MyReportsPage() {
  const { t } = useI18n();
  const me = useMe();
  const citizen = me.role === 'citizen';
  const { search } = useLocation();
  const given = search.get('state');
  const filter: Filter = given === 'open' || given === 'closed' ? given : 'all';
  const state = filter === 'all' ? undefined : filter;
  const first = useCall(`my reports ${filter}`, (signal) =>
    client.GET('/api/v1/me/reports', { params: { query: { limit: PAGE, state } }, signal }),
  );
  // further pages, appended below the first (cleared when the first page is read again)
  const [more, setMore] = useState<{ items: MyReport[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  useEffect(() => setMore(null), [first.data]);
  const refresh = useThrottled(() => first.reload(true), 1000);
  useLiveEvents((e) => {
    if (e.type === 'case') refresh();
  });

  const cursor = more ? more.cursor : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await call(
        client.GET('/api/v1/me/reports', { params: { query: { limit: PAGE, state, cursor } } }),
      );
      setMore((m) => ({ items: [...(m?.items ?? []), ...page.items], cursor: page.nextCursor }));
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  };

  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const current = FILTERS.find((f) => f.value === filter)!;
  return (
    <div className="mobile-page mine-page" data-testid="my-reports">
      <h1>{t('mine.title')}</h1>
      <p className="muted small">{t(citizen ? 'mine.introCitizen' : 'mine.intro')}</p>
      <div className="mine-filters" role="group" aria-label={t('mine.filter')}>
        {FILTERS.map((f) => (
          <button
            key={f.value}
            type="button"
            className={`btn btn-small ${f.value === filter ? 'btn-primary' : ''}`}
            aria-pressed={f.value === filter}
            onClick={() => setSearch({ state: f.value === 'all' ? undefined : f.value })}
          >
            {t(f.label)}
          </button>
        ))}
      </div>
      {first.error ? (
        <ErrorBox error={first.error} onRetry={() => first.reload()} />
      ) : !first.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty>{t(current.empty)}</Empty>
      ) : (
        <ul className="mine-list">
          {items.map((item) => (
            <ReportCard key={item.case.id} item={item} citizen={citizen} />
          ))}
        </ul>
      )}
      {moreError !== undefined && <ErrorBox error={moreError} onRetry={() => void loadMore()} />}
      {cursor && first.data && (
        <button
          type="button"
          className="btn mine-more"
          disabled={loadingMore}
          onClick={() => void loadMore()}
        >
          {t('mine.more')}
        </button>
      )}
      {citizen && <p className="muted small">{t('mine.publicNote')}</p>}
    </div>
  );
}

function ReportCard({ item, citizen }: { item: MyReport; citizen: boolean }) {
  const { t, lang, pick } = useI18n();
  const ref = useReference();
  const now = useNow();
  const c = item.case;
  const { clock } = item;
  const limit = clock ? { amount: clock.limit.amount + clock.limit.extension, unit: clock.limit.unit } : null;
  return (
    <li className="task-card mine-card" data-case-number={c.caseNo} data-state={c.state}>
      <div className="task-top">
        {citizen ? (
          <span className="mono task-number">{c.caseNo}</span>
        ) : (
          <Link to={`/cases/${c.id}`} className="mono task-number" title={t('mine.openCase')}>
            {c.caseNo}
          </Link>
        )}
        <StateBadge state={c.state} />
      </div>
      <div className="task-cat">{categoryName(c, pick, ref?.categoryByCode)}</div>
      <div className="muted small">{placeName(c, ref?.regionName)}</div>
      {c.description && <p className="task-desc mine-desc">{c.description}</p>}
      <div className="muted small">{t('mine.reportedAt', { at: dateTime(c.reportedAt, lang) })}</div>
      {clock && limit && (
        <div className="mine-clock" data-testid="mine-clock" data-overdue={clock.overdue}>
          <DeadlineChip c={c} now={now} />
          <span className="muted small">
            {t('mine.stage', { stage: stageLabel(t, clock.stage) })}
            {' · '}
            <span className="term" title={unitHelp(t, limit.unit)}>
              {t('mine.used', {
                used: `${amount(Math.round(clock.used * 10) / 10)}`,
                limit: `${amount(limit.amount)} ${unitLabel(t, limit.unit)}`,
              })}
            </span>
          </span>
        </div>
      )}
      <Result item={item} />
    </li>
  );
}

/** What came of the report: the closure (or rejection, cancellation, merge) and the satisfaction. */
function Result({ item }: { item: MyReport }) {
  const { t, lang } = useI18n();
  const c = item.case;
  const parts: string[] = [];
  if (c.mergedInto) parts.push(t('mine.mergedInto'));
  else if (c.state === 'rejected') parts.push(t('mine.rejected'));
  else if (c.state === 'cancelled') parts.push(t('mine.cancelled'));
  else if (c.closureType) parts.push(t(`mine.closure.${c.closureType}` as MessageKey));
  if (item.satisfaction)
    parts.push(t('mine.satisfaction', { s: t(`mine.satisfaction.${item.satisfaction}` as MessageKey) }));
  if (parts.length === 0) return null;
  return (
    <div className="mine-result" data-testid="mine-result">
      <strong>{t('mine.result')}</strong> {parts.join(' · ')}
      {c.closedAt && (
        <span className="muted small"> · {t('mine.closedAt', { at: dateTime(c.closedAt, lang) })}</span>
      )}
    </div>
  );
}
