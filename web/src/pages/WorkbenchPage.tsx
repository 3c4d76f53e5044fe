import { useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { call, client, type Answer } from '../api/client';
import { useCall, useThrottled } from '../api/hooks';
import { useLiveEvents } from '../api/live';
import { CASE_STATES, OPEN_STATES, type CaseState, type CaseSummary } from '../api/models';
import { setSearch, useLocation } from '../router';
import { useMe } from '../session';
import { byUrgency } from '../lib/format';
import { stateLabel } from '../lib/labels';
import { useNow } from '../lib/useNow';
import { CaseTable } from '../components/CaseTable';
import { CaseFilters, filterParams, FILTER_KEYS } from '../components/CaseFilters';
import { CaseExport } from '../components/ReportDownloads';
import { Empty, ErrorBox, Loading } from '../components/ui';

export type QueueCounts = Answer<'/api/v1/stats/queues', 'get'>;

const PAGE_SIZE = 100;

/** The query of the case list for a queue plus filters (the server applies the caller's scope). */
export function listQuery(queue: string, search: URLSearchParams, cursor?: string | null) {
  const state = queue === 'open' || queue === 'overdue' ? OPEN_STATES : [queue as CaseState];
  return {
    ...filterParams(search),
    state,
    overdue: queue === 'overdue' || search.get('overdue') === '1' ? true : undefined,
    sort: 'deadline' as const,
    limit: PAGE_SIZE,
    cursor: cursor ?? undefined,
  };
}

/** 调度工作台: queues by state with counts, urgency-ordered and deadline-coloured rows, live updates. */
export function WorkbenchPage() {
  const { t } = useI18n();
  const me = useMe();
  const { search } = useLocation();
  const now = useNow();
  const queue = search.get('queue') ?? 'open';
  const filterKey = FILTER_KEYS.map((k) => search.get(k) ?? '').join('|');
  // what is loaded, as a key: a new filter or queue loads (and starts) a new list
  const path = `cases ${JSON.stringify(listQuery(queue, search))}`;
  const list = useCall(path, (signal) =>
    client.GET('/api/v1/cases', { params: { query: listQuery(queue, search) }, signal }),
  );
  const countsQuery = filterParams(search);
  const counts = useCall(`queues ${JSON.stringify(countsQuery)}`, (signal) =>
    client.GET('/api/v1/stats/queues', { params: { query: countsQuery }, signal }),
  );
  const [extra, setExtra] = useState<CaseSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null | undefined>(undefined);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [announce, setAnnounce] = useState('');
  const known = useRef<Set<string> | null>(null);

  // a new filter or queue starts a new list
  useEffect(() => {
    setExtra([]);
    setNextCursor(undefined);
    known.current = null;
  }, [path]);

  // rows that were not there before a live refresh are highlighted for a few seconds
  useEffect(() => {
    const items = list.data?.items;
    if (!items) return;
    const ids = new Set(items.map((c) => c.id));
    if (known.current) {
      const added = items.filter((c) => !known.current!.has(c.id));
      if (added.length) {
        setFresh(new Set(added.map((c) => c.id)));
        setAnnounce(t('wb.newCase', { number: added.map((c) => c.caseNo).join(', ') }));
        setTimeout(() => setFresh(new Set()), 6000);
      }
    }
    known.current = ids;
  }, [list.data, t]);

  const refresh = useThrottled(() => {
    list.reload(true);
    counts.reload(true);
  }, 800);
  useLiveEvents(() => refresh());

  const items = useMemo(() => {
    const all = [...(list.data?.items ?? []), ...extra];
    return all.sort(byUrgency);
  }, [list.data, extra]);

  const loadMore = async () => {
    const cursor = nextCursor === undefined ? list.data?.nextCursor : nextCursor;
    if (!cursor) return;
    const page = await call(
      client.GET('/api/v1/cases', { params: { query: listQuery(queue, search, cursor) } }),
    );
    setExtra((e) => [...e, ...page.items]);
    setNextCursor(page.nextCursor ?? null);
  };
  const hasMore = (nextCursor === undefined ? list.data?.nextCursor : nextCursor) ? true : false;

  const queueButton = (id: string, label: string, n: number | undefined, cls = '') => (
    <li key={id}>
      <button
        type="button"
        className={`queue ${cls} ${queue === id ? 'active' : ''}`}
        aria-pressed={queue === id}
        onClick={() => setSearch({ queue: id === 'open' ? undefined : id })}
        data-queue={id}
      >
        <span>{label}</span>
        <span className="queue-count">{n ?? '·'}</span>
      </button>
    </li>
  );

  const c = counts.data;
  return (
    <div className="workbench" data-filter={filterKey}>
      <aside className="queues" aria-label={t('wb.queues')}>
        <h2 className="aside-title">{t('wb.queues')}</h2>
        <ul>
          {queueButton('open', t('wb.queue.open'), c?.open)}
          {queueButton('overdue', t('wb.queue.overdue'), c?.overdue, 'queue-red')}
        </ul>
        <ul>{OPEN_STATES.map((s) => queueButton(s, stateLabel(t, s), c?.byState[s]))}</ul>
        <ul className="queues-done">
          {CASE_STATES.filter((s) => !OPEN_STATES.includes(s)).map((s) =>
            queueButton(s, stateLabel(t, s), c?.byState[s]),
          )}
        </ul>
        <p className="legend">{t('wb.legend')}</p>
      </aside>
      <section className="wb-main">
        <div className="wb-head">
          <h1>{t('wb.title')}</h1>
          <span className="muted">{me.unitName ?? ''}</span>
          <div className="sr-only" aria-live="polite">
            {announce}
          </div>
        </div>
        <CaseFilters />
        <CaseExport query={listQuery(queue, search)} />
        {list.error ? (
          <ErrorBox error={list.error} onRetry={() => list.reload()} />
        ) : list.loading && !list.data ? (
          <Loading />
        ) : items.length === 0 ? (
          <Empty>{t('wb.noCases')}</Empty>
        ) : (
          <>
            <CaseTable items={items} now={now} highlight={fresh} />
            {hasMore && (
              <div className="more">
                <button type="button" className="btn" onClick={() => void loadMore()}>
                  {t('common.more')}
                </button>
              </div>
            )}
          </>
        )}
      </section>
    </div>
  );
}
