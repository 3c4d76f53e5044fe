import { useI18n } from '../i18n';
import { call, client } from '../api/client';
import type { Notification } from '../api/models';
import { useCall, useThrottled } from '../api/hooks';
import { useLiveEvents } from '../api/live';
import { Link, navigate } from '../router';
import { dateTime } from '../lib/format';
import { actionLabel } from '../lib/labels';
import { Empty, ErrorBox, Loading } from '../components/ui';

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
  const list = useCall('notifications', (signal) =>
    client.GET('/api/v1/notifications', { params: { query: { limit: 100 } }, signal }),
  );
  const items = (list.data?.items ?? []) as NotificationItem[];
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
    </div>
  );
}
