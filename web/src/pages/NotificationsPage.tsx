import { useState } from 'react';
import { useI18n } from '../i18n';
import { call, client } from '../api/client';
import type { Notification, NotificationGroup } from '../api/models';
import { useCall, useThrottled } from '../api/hooks';
import { useLiveEvents } from '../api/live';
import { Link, navigate } from '../router';
import { dateTime } from '../lib/format';
import { actionLabel } from '../lib/labels';
import { Empty, ErrorBox, Loading } from '../components/ui';
import '../styles/intake.css';

/**
 * A notification as this page reads it: the contract's `Notification`, whose payload is open (each kind
 * carries its own fields); these are the fields a notice shows.
 */
export type NotificationItem = Omit<Notification, 'payload'> & {
  payload: {
    caseNo?: string;
    summary?: string;
    by?: string;
    levelName?: string;
    level?: number;
  } | null;
};
type Group = Omit<NotificationGroup, 'latest'> & { latest: NotificationItem };

type Filters = { unread: boolean; kind: string };
const filterQuery = (f: Filters) => ({
  ...(f.unread ? { unread: true } : {}),
  ...(f.kind ? { kind: f.kind } : {}),
});

/**
 * 通知: linkage notices and workflow notices for me or my unit, one row per case (issue 11 §6) — the
 * case's newest notice, how many there are and of which kinds; the row opens to all of them. Grouping is
 * the server's (GET /notifications/groups), over all matching notices, so a case never splits across
 * pages and its count is whole. Opening a notice records the read receipt.
 */
export function NotificationsPage() {
  const { t, lang } = useI18n();
  const [filters, setFilters] = useState<Filters>({ unread: false, kind: '' });
  const [more, setMore] = useState<Group[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [kinds, setKinds] = useState<string[]>([]);
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const [epoch, setEpoch] = useState(0); // bumps when notices are marked read: open groups reload
  const list = useCall(`notification groups ${filters.unread} ${filters.kind}`, (signal) =>
    client.GET('/api/v1/notifications/groups', {
      params: { query: { limit: 30, ...filterQuery(filters) } },
      signal,
    }),
  );
  const first = (list.data?.groups ?? []) as Group[];
  const groups = [...first, ...more.filter((m) => !first.some((f) => f.key === m.key))];
  const next = cursor === undefined ? (list.data?.nextCursor ?? null) : cursor;
  const known = [...new Set([...kinds, ...groups.flatMap((g) => g.kinds)])].sort();
  if (known.length !== kinds.length) setKinds(known);

  const reload = () => {
    setMore([]);
    setCursor(undefined);
    setEpoch((e) => e + 1);
    list.reload(true);
  };
  const setFilter = (f: Partial<Filters>) => {
    setFilters((old) => ({ ...old, ...f }));
    setMore([]);
    setCursor(undefined);
    setOpen({});
  };
  const loadMore = async () => {
    if (!next) return;
    const page = await call(
      client.GET('/api/v1/notifications/groups', {
        params: { query: { limit: 30, cursor: next, ...filterQuery(filters) } },
      }),
    );
    setMore((m) => [...m, ...(page.groups as Group[])]);
    setCursor(page.nextCursor);
  };
  const markAll = async (caseId?: string) => {
    await call(
      client.POST('/api/v1/notifications/read-all', {
        body: { ...(filters.kind ? { kind: filters.kind } : {}), ...(caseId ? { caseId } : {}) },
      }),
    ).catch(() => undefined);
    reload();
  };
  const markRead = async (n: NotificationItem) => {
    if (!n.readAt)
      await call(
        client.POST('/api/v1/notifications/{id}/read', { params: { path: { id: String(n.id) } } }),
      ).catch(() => undefined);
  };
  const refresh = useThrottled(() => list.reload(true), 1000);
  useLiveEvents(() => refresh());

  if (list.error) return <ErrorBox error={list.error} onRetry={() => list.reload()} />;
  if (!list.data) return <Loading />;
  return (
    <div className="notifications">
      <div className="wb-head">
        <h1>{t('notif.title')}</h1>
        <span className="muted">{t('notif.unread', { n: list.data.unreadCount })}</span>
      </div>
      <div className="notif-filters" role="group" aria-label={t('notifx.filters')}>
        <label className="check">
          <input
            type="checkbox"
            checked={filters.unread}
            onChange={(e) => setFilter({ unread: e.target.checked })}
            data-testid="notif-unread-only"
          />
          {t('notifx.unreadOnly')}
        </label>
        <select
          value={filters.kind}
          aria-label={t('notifx.kind')}
          onChange={(e) => setFilter({ kind: e.target.value })}
          data-testid="notif-kind"
        >
          <option value="">{t('notifx.allKinds')}</option>
          {known.map((k) => (
            <option key={k} value={k}>
              {actionLabel(t, k)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn-small"
          disabled={list.data.unreadCount === 0}
          onClick={() => void markAll()}
          data-testid="notif-mark-all"
        >
          {t('notifx.markAll')}
        </button>
      </div>
      {groups.length === 0 ? (
        <Empty>{t('notif.empty')}</Empty>
      ) : (
        <ul className="notif-list">
          {groups.map((g) => {
            const n = g.latest;
            const expanded = open[g.key] === true;
            return (
              <li
                key={g.key}
                className={`notif-group ${g.unreadCount > 0 ? 'notif-unread' : 'notif-read'}`}
                data-notification={n.id}
                data-group={g.key}
                data-count={g.count}
              >
                <div className="notif-row">
                  <div className="notif-main">
                    <div className="notif-head">
                      {g.unreadCount > 0 && <span className="dot dot-red" aria-hidden="true" />}
                      <strong>{actionLabel(t, n.kind)}</strong>
                      {n.payload?.levelName && <span className="muted small">{n.payload.levelName}</span>}
                      {n.caseUrgent === true && (
                        <span className="tag tag-urgent" data-testid="notif-urgent">
                          {t('urgency.urgent')}
                        </span>
                      )}
                      {n.payload?.caseNo && g.caseId && (
                        <Link to={`/cases/${g.caseId}`} className="mono" onClick={() => void markRead(n)}>
                          {n.payload.caseNo}
                        </Link>
                      )}
                      <time className="muted small mono" dateTime={n.createdAt}>
                        {dateTime(n.createdAt, lang)}
                      </time>
                    </div>
                    {n.payload?.summary && <div className="notif-summary">{n.payload.summary}</div>}
                    {!g.caseId && n.caseId === null && n.payload && 'redacted' in n.payload && (
                      <div className="muted small">{t('notifg.otherCase')}</div>
                    )}
                    <div className="muted small notif-meta">
                      {g.count > 1 && (
                        <span className="chip chip-none" data-testid="notif-count">
                          {t('notifg.count', { n: g.count })}
                        </span>
                      )}
                      {g.count > 1 && g.unreadCount > 0 && (
                        <span>{t('notifg.unread', { n: g.unreadCount })}</span>
                      )}
                      {g.kinds.length > 1 && (
                        <span>
                          {t('notifg.kinds', {
                            kinds: g.kinds.map((k) => actionLabel(t, k)).join(lang === 'zh' ? '、' : ', '),
                          })}
                        </span>
                      )}
                      {n.payload?.by && <span>{t('notif.by', { name: n.payload.by })}</span>}
                    </div>
                  </div>
                  <div className="notif-actions">
                    {g.caseId && (
                      <button
                        type="button"
                        className="btn btn-small btn-primary"
                        onClick={() => void markRead(n).then(() => navigate(`/cases/${g.caseId}`))}
                      >
                        {t('common.open')}
                      </button>
                    )}
                    {g.count > 1 && (
                      <button
                        type="button"
                        className="btn btn-small"
                        aria-expanded={expanded}
                        onClick={() => setOpen((o) => ({ ...o, [g.key]: !expanded }))}
                        data-testid="notif-expand"
                      >
                        {expanded ? t('notifg.hide') : t('notifg.show')}
                      </button>
                    )}
                    {g.unreadCount > 0 &&
                      (g.caseId ? (
                        <button
                          type="button"
                          className="btn btn-small"
                          onClick={() => void markAll(g.caseId!)}
                          data-testid="notif-mark-group"
                        >
                          {t('notifg.markGroup')}
                        </button>
                      ) : (
                        <button
                          type="button"
                          className="btn btn-small"
                          onClick={() => void markRead(n).then(reload)}
                        >
                          {t('notif.markRead')}
                        </button>
                      ))}
                    {g.unreadCount === 0 && n.readAt && (
                      <span className="muted small">{t('case.read', { t: dateTime(n.readAt, lang) })}</span>
                    )}
                  </div>
                </div>
                {expanded && g.caseId && (
                  <GroupNotices
                    caseId={g.caseId}
                    filters={filters}
                    epoch={epoch}
                    onRead={(x) => void markRead(x).then(reload)}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
      {next && (
        <button
          type="button"
          className="btn btn-block"
          onClick={() => void loadMore()}
          data-testid="notif-more"
        >
          {t('notifx.more')}
        </button>
      )}
    </div>
  );
}

/** Every notice of one case (with the page's filters), newest first. */
function GroupNotices({
  caseId,
  filters,
  epoch,
  onRead,
}: {
  caseId: string;
  filters: Filters;
  epoch: number;
  onRead: (n: NotificationItem) => void;
}) {
  const { t, lang } = useI18n();
  const items = useCall(`notifications of ${caseId} ${filters.unread} ${filters.kind} ${epoch}`, (signal) =>
    client.GET('/api/v1/notifications', {
      params: { query: { caseId, limit: 200, ...filterQuery(filters) } },
      signal,
    }),
  );
  if (items.error) return <ErrorBox error={items.error} onRetry={() => items.reload()} />;
  if (!items.data) return <Loading />;
  return (
    <ol className="notif-members" data-testid="notif-members">
      {(items.data.items as NotificationItem[]).map((n) => (
        <li key={n.id} className={n.readAt ? 'notif-read' : 'notif-unread'} data-member={n.id}>
          <span className="notif-member-head">
            {!n.readAt && <span className="dot dot-red" aria-hidden="true" />}
            <strong>{actionLabel(t, n.kind)}</strong>
            {n.payload?.levelName && <span className="muted">{n.payload.levelName}</span>}
            <time className="muted mono" dateTime={n.createdAt}>
              {dateTime(n.createdAt, lang)}
            </time>
          </span>
          {n.payload?.by && <span className="muted">{t('notif.by', { name: n.payload.by })}</span>}
          {n.readAt ? (
            <span className="muted">{t('case.read', { t: dateTime(n.readAt, lang) })}</span>
          ) : (
            <button type="button" className="btn btn-small" onClick={() => onRead(n)}>
              {t('notif.markRead')}
            </button>
          )}
        </li>
      ))}
    </ol>
  );
}
