import { useEffect, useMemo, useState } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import { client } from '../api/client';
import { useCall, useThrottled } from '../api/hooks';
import { useLiveEvents } from '../api/live';
import type { CaseState } from '../api/models';
import { setSearch, useLocation } from '../router';
import { useMe } from '../session';
import { byUrgency } from '../lib/format';
import { useNow } from '../lib/useNow';
import { CaseTable } from '../components/CaseTable';
import { Empty, ErrorBox, Loading } from '../components/ui';

const TABS: { id: string; label: MessageKey; states: CaseState[] }[] = [
  { id: 'sign', label: 'inbox.toSign', states: ['dispatched'] },
  { id: 'progress', label: 'inbox.inProgress', states: ['in_progress'] },
  { id: 'suspended', label: 'inbox.suspended', states: ['suspended'] },
  { id: 'done', label: 'inbox.done', states: ['handled', 'checking', 'resolved'] },
];

/** 部门收件箱: cases dispatched to my department, by what they wait for. */
export function InboxPage() {
  const { t } = useI18n();
  const me = useMe();
  const now = useNow();
  const { search } = useLocation();
  const tab = TABS.find((x) => x.id === search.get('tab')) ?? TABS[0]!;
  const department = me.unit.kind === 'department' ? me.unit.id : undefined;
  const text = search.get('q') ?? '';
  const [typed, setTyped] = useState(text);
  useEffect(() => {
    const id = setTimeout(() => {
      if (typed.trim() !== text) setSearch({ q: typed.trim() || undefined });
    }, 350);
    return () => clearTimeout(id);
  }, [typed, text]);
  const listQuery = {
    state: tab.states,
    department,
    text: text || undefined,
    sort: 'deadline' as const,
    limit: 100,
  };
  const list = useCall(`cases ${JSON.stringify(listQuery)}`, (signal) =>
    client.GET('/api/v1/cases', { params: { query: listQuery }, signal }),
  );
  const countsQuery = { department, text: text || undefined };
  const counts = useCall(`queues ${JSON.stringify(countsQuery)}`, (signal) =>
    client.GET('/api/v1/stats/queues', { params: { query: countsQuery }, signal }),
  );
  const refresh = useThrottled(() => {
    list.reload(true);
    counts.reload(true);
  }, 800);
  useLiveEvents(() => refresh());
  const items = useMemo(() => [...(list.data?.items ?? [])].sort(byUrgency), [list.data]);

  return (
    <div className="inbox">
      <div className="wb-head">
        <h1>{t('inbox.title')}</h1>
        <span className="muted">{me.unitName ?? ''}</span>
        <label className="inbox-search">
          <span className="sr-only">{t('wb.filter.text')}</span>
          <input
            type="search"
            value={typed}
            placeholder={t('wb.filter.textPlaceholder')}
            onChange={(e) => setTyped(e.target.value)}
          />
        </label>
      </div>
      <div className="tabs" role="tablist" aria-label={t('inbox.title')}>
        {TABS.map((x) => {
          const n = counts.data
            ? x.states.reduce((s, st) => s + (counts.data!.byState[st] ?? 0), 0)
            : undefined;
          return (
            <button
              key={x.id}
              type="button"
              role="tab"
              aria-selected={x.id === tab.id}
              className={`tab ${x.id === tab.id ? 'active' : ''}`}
              onClick={() => setSearch({ tab: x.id === 'sign' ? undefined : x.id })}
            >
              {t(x.label)}
              <span className="queue-count">{n ?? '·'}</span>
            </button>
          );
        })}
      </div>
      <div role="tabpanel">
        {list.error ? (
          <ErrorBox error={list.error} onRetry={() => list.reload()} />
        ) : list.loading && !list.data ? (
          <Loading />
        ) : items.length === 0 ? (
          <Empty>{t('inbox.empty')}</Empty>
        ) : (
          <CaseTable
            items={items}
            now={now}
            columns={['number', 'category', 'place', 'state', 'deadline', 'reported', 'description']}
          />
        )}
      </div>
    </div>
  );
}
