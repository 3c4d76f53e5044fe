import { useState } from 'react';
import { useI18n } from '../i18n';
import { call, client } from '../api/client';
import type { Notification } from '../api/models';
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
  payload: { caseNo?: string; summary?: string; by?: string; urgent?: boolean; receipt?: boolean } | null;
};

/** 通知: linkage notices and workflow notices for me or my unit; opening one records the read receipt. */
export function NotificationsPage() {
  const { t, lang } = useI18n();
  // filters and paging (issue 11 §6): unread only, one kind; "more" fetches the next page after the last
  const [unread, setUnread] = useState(false);
  const [kind, setKind] = useState('');
  const [more, setMore] = useState<NotificationItem[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [kinds, setKinds] = useState<string[]>([]);
  const list = useCall(`notifications ${unread} ${kind}`, (signal) =>
    client.GET('/api/v1/notifications', {
      params: { query: { limit: 50, ...(unread ? { unread: true } : {}), ...(kind ? { kind } : {}) } },
      signal,
    }),
  );
  const first = (list.data?.items ?? []) as NotificationItem[];
  const items = [...first, ...more.filter((m) => !first.some((f) => f.id === m.id))];
  const next = cursor === undefined ? (list.data?.nextCursor ?? null) : cursor;
  const known = [...new Set([...kinds, ...items.map((n) => n.kind)])].sort();
  if (known.length !== kinds.length) setKinds(known);
  const resetPages = () => {
    setMore([]);
    setCursor(undefined);
  };
  const loadMore = async () => {
    if (!next) return;
    const page = await call(
      client.GET('/api/v1/notifications', {
        params: {
          query: { limit: 50, cursor: next, ...(unread ? { unread: true } : {}), ...(kind ? { kind } : {}) },
        },
      }),
    );
    setMore((m) => [...m, ...(page.items as NotificationItem[])]);
    setCursor(page.nextCursor);
  };
  const markAll = async () => {
    await call(client.POST('/api/v1/notifications/read-all', { body: kind ? { kind } : {} })).catch(
      () => undefined,
    );
    resetPages();
    list.reload(true);
  };
  const refresh = useThrottled(() => list.reload(true), 1000);
  useLiveEvents(() => refresh());

  const markRead = async (n: NotificationItem) => {
    if (!n.readAt)
      await call(
        client.POST('/api/v1/notifications/{id}/read', { params: { path: { id: String(n.id) } } }),
      ).catch(() => undefined);
  };
  const open = async (n: NotificationItem) => {
    await markRead(n);
    if (n.caseId) navigate(`/cases/${n.caseId}`);
    else list.reload(true);
  };

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
            checked={unread}
            onChange={(e) => {
              setUnread(e.target.checked);
              resetPages();
            }}
            data-testid="notif-unread-only"
          />
          {t('notifx.unreadOnly')}
        </label>
        <select
          value={kind}
          aria-label={t('notifx.kind')}
          onChange={(e) => {
            setKind(e.target.value);
            resetPages();
          }}
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
      {items.length === 0 ? (
        <Empty>{t('notif.empty')}</Empty>
      ) : (
        <ul className="notif-list">
          {items.map((n) => (
            <li key={n.id} className={n.readAt ? 'notif-read' : 'notif-unread'} data-notification={n.id}>
              <div className="notif-main">
                <div className="notif-head">
                  {!n.readAt && <span className="dot dot-red" aria-hidden="true" />}
                  <strong>{actionLabel(t, n.kind)}</strong>
                  {n.payload?.urgent && <span className="tag tag-urgent">{t('urgency.urgent')}</span>}
                  {n.payload?.caseNo && n.caseId && (
                    <Link to={`/cases/${n.caseId}`} className="mono" onClick={() => void markRead(n)}>
                      {n.payload.caseNo}
                    </Link>
                  )}
                  <time className="muted small mono" dateTime={n.createdAt}>
                    {dateTime(n.createdAt, lang)}
                  </time>
                </div>
                {n.payload?.summary && <div className="notif-summary">{n.payload.summary}</div>}
                {n.payload?.by && <div className="muted small">{t('notif.by', { name: n.payload.by })}</div>}
              </div>
              <div className="notif-actions">
                {n.caseId && (
                  <button type="button" className="btn btn-small btn-primary" onClick={() => void open(n)}>
                    {t('common.open')}
                  </button>
                )}
                {!n.readAt && (
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => void markRead(n).then(() => list.reload(true))}
                  >
                    {t('notif.markRead')}
                  </button>
                )}
                {n.readAt && (
                  <span className="muted small">{t('case.read', { t: dateTime(n.readAt, lang) })}</span>
                )}
              </div>
            </li>
          ))}
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
