import { lazy, Suspense, useState } from 'react';
import { useI18n } from '../i18n';
import { call, client, isApiError, postAction, type ActionBody, type TransitionAction } from '../api/client';
import { useCall, useThrottled } from '../api/hooks';
import { useLiveEvents } from '../api/live';
import { Link } from '../router';
import { useMe, useReference } from '../session';
import { caseLonLat, dateTime } from '../lib/format';
import { actionLabel, errorMessage, sourceLabel } from '../lib/labels';
import { useNow } from '../lib/useNow';
import { isFieldRole } from '../components/Layout';
import { attachmentUrl } from '../components/PhotoInput';
import { categoryName } from '../components/CaseTable';
import { DeadlineChip, ErrorBox, Loading, Panel, StateBadge } from '../components/ui';
import { ActionForm } from './case/ActionForm';
import { Timeline } from './case/Timeline';
import { DeadlinesPanel, DuplicatesPanel, PoliceNoticesPanel } from './case/SidePanels';
import { DANGER, PRIMARY, PRIMARY_ORDER } from './case/actionSpecs';

const PointMap = lazy(() => import('../map/PointMap'));

type Notice = { kind: 'ok' | 'conflict' | 'error'; text: string } | null;

/** 案件详情: summary, map, photos, timeline, deadlines, police linkage, duplicates, and the allowed actions. */
export function CaseDetailPage({ id }: { id: string }) {
  const { t, pick, lang } = useI18n();
  const me = useMe();
  const ref = useReference();
  const now = useNow();
  const detail = useCall(`case ${id}`, (signal) =>
    client.GET('/api/v1/cases/{id}', { params: { path: { id } }, signal }),
  );
  const context = useCall(`case context ${id}`, (signal) =>
    client.GET('/api/v1/cases/{id}/context', { params: { path: { id } }, signal }),
  );
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);

  const refresh = useThrottled(() => {
    detail.reload(true);
    context.reload(true);
  }, 500);
  useLiveEvents((e) => {
    if (!e.caseId || e.caseId === id) refresh();
  });

  const back = isFieldRole(me.role)
    ? '/m/tasks'
    : me.role.startsWith('dept') || me.role === 'police'
      ? '/inbox'
      : '/workbench';

  if (detail.error) {
    // after an action that hands the case on (退回, 移交…) the actor may no longer see it: that is the
    // expected outcome of their own action, not an error
    const handedOn = notice?.kind === 'ok' && isApiError(detail.error) && detail.error.status === 404;
    return (
      <div className="case-page" data-case-state={handedOn ? 'handed-on' : undefined}>
        {notice && (
          <div
            className={`notice notice-${notice.kind}`}
            role={notice.kind === 'ok' ? 'status' : 'alert'}
            data-testid="case-notice"
          >
            {notice.text}
          </div>
        )}
        {handedOn ? (
          <p data-testid="case-left-scope">
            {t('case.leftScope')}{' '}
            <Link to={back} className="btn btn-small">
              {t('case.back')}
            </Link>
          </p>
        ) : (
          <ErrorBox error={detail.error} onRetry={() => detail.reload()} />
        )}
      </div>
    );
  }
  if (!detail.data) return <Loading />;
  const c = detail.data;

  const perform = async (action: string, payload: Record<string, unknown>) => {
    setBusy(true);
    setNotice(null);
    try {
      // the action form checked the payload against the action's published schema (api/body-check.ts)
      const body = { ...payload, version: c.version } as ActionBody<TransitionAction>;
      await call(postAction(c.id, action as TransitionAction, body));
      setOpen(null);
      setNotice({ kind: 'ok', text: t('case.actionDone', { action: actionLabel(t, action) }) });
      detail.reload(true);
      context.reload(true);
    } catch (e) {
      if (isApiError(e) && (e.status === 409 || e.code === 'invalid_transition')) {
        // someone else acted first: show the new state and what is possible now
        setOpen(null);
        setNotice({ kind: 'conflict', text: t('error.version_conflict') });
        detail.reload(true);
      } else {
        setNotice({ kind: 'error', text: errorMessage(t, e) });
      }
    } finally {
      setBusy(false);
    }
  };

  // 派最近的巡管员核实 (issue 13): the server picks the on-duty patroller nearest to the case
  const sendNearest = async () => {
    setBusy(true);
    setNotice(null);
    try {
      const r = await call(
        client.POST('/api/v1/patrols/verify-nearest', { body: { caseRef: c.id, version: c.version } }),
      );
      setNotice({
        kind: 'ok',
        text: t('coverage.sentNearest', { name: r.patroller.name, m: r.patroller.distanceM }),
      });
      detail.reload(true);
      context.reload(true);
    } catch (e) {
      setNotice({ kind: 'error', text: errorMessage(t, e) });
    } finally {
      setBusy(false);
    }
  };

  const actions = [...c.allowedActions].sort((a, b) => {
    const ia = PRIMARY_ORDER.indexOf(a);
    const ib = PRIMARY_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  const point = caseLonLat(c);
  const photos = c.attachments.filter((a) => !a.mime || a.mime.startsWith('image/'));
  const notices = context.data?.policeNotices ?? [];
  const duplicates = context.data?.duplicates ?? [];
  const name = (key: string | null | undefined) =>
    key ? (c.names[key] ?? ref?.departmentById.get(key)?.name ?? key) : null;
  const lead = name(c.leadDepartmentId);
  const assisting = c.assistingDepartmentIds.map((d) => name(d)!);
  return (
    <div className="case-page" data-case-state={c.state} data-case-version={c.version}>
      <div className="case-head">
        <Link to={back} className="back-link">
          ← {t('case.back')}
        </Link>
        <h1>
          <span className="mono">{c.caseNo}</span>
          <StateBadge state={c.state} />
          {c.urgency === 'urgent' && <span className="tag tag-urgent">{t('urgency.urgent')}</span>}
          {c.supervised && <span className="tag tag-supervised">{t('case.supervised')}</span>}
        </h1>
        <div className="case-head-meta">
          <span>{categoryName(c, pick, ref?.categoryByCode)}</span>
          {(c.deadline?.dueAt || c.state === 'suspended') && <DeadlineChip c={c} now={now} />}
        </div>
      </div>

      {notice && (
        <div
          className={`notice notice-${notice.kind}`}
          role={notice.kind === 'ok' ? 'status' : 'alert'}
          data-testid="case-notice"
        >
          {notice.kind === 'conflict' && <strong>{t('case.conflictTitle')}：</strong>}
          {notice.text}
        </div>
      )}

      <div className="case-grid">
        <div className="case-col">
          <Panel title={t('case.summary')}>
            <dl className="facts">
              <dt>{t('case.category')}</dt>
              <dd>{categoryName(c, pick, ref?.categoryByCode)}</dd>
              <dt>{t('case.source')}</dt>
              <dd>
                {sourceLabel(t, c.source)}
                {c.ticketNo && (
                  <span className="mono" data-testid="case-ticket">
                    {' '}
                    · {t('intake.ticketNo')} {c.ticketNo}
                  </span>
                )}
              </dd>
              <dt>{t('case.reportedAt')}</dt>
              <dd className="mono">{dateTime(c.reportedAt, lang)}</dd>
              <dt>{t('case.street')}</dt>
              <dd>{name(c.streetCode) ?? '—'}</dd>
              <dt>{t('case.committee')}</dt>
              <dd>{name(c.committeeCode) ?? '—'}</dd>
              <dt>{t('case.grid')}</dt>
              <dd>{name(c.gridCode) ?? '—'}</dd>
              <dt>{t('case.place')}</dt>
              <dd>
                {c.address ? `${c.address} · ` : ''}
                {point && (
                  <span className="mono small">{`${point[1].toFixed(5)}, ${point[0].toFixed(5)}`}</span>
                )}
              </dd>
              <dt>{t('case.lead')}</dt>
              <dd>{lead ?? '—'}</dd>
              {assisting.length > 0 && (
                <>
                  <dt>{t('case.assist')}</dt>
                  <dd>{assisting.join('、')}</dd>
                </>
              )}
              {c.reporter && (c.reporter.name || c.reporter.phone) && (
                <>
                  <dt>{t('case.reporter')}</dt>
                  <dd>{[c.reporter.name, c.reporter.phone].filter(Boolean).join(' ')}</dd>
                </>
              )}
              {c.followUpCode && (
                <>
                  <dt>{t('case.followUpCode')}</dt>
                  <dd className="mono" data-testid="follow-up-code">
                    {c.followUpCode}
                  </dd>
                </>
              )}
            </dl>
            <h3 className="sub">{t('case.description')}</h3>
            <p className="description">{c.description}</p>
          </Panel>

          <Panel title={t('case.photos')}>
            {photos.length === 0 ? (
              <p className="muted">{t('case.noPhotos')}</p>
            ) : (
              <div className="photos">
                {photos.map((p) => (
                  <a key={p.id} href={attachmentUrl(p)} target="_blank" rel="noreferrer">
                    <img src={attachmentUrl(p)} alt={t('case.photos')} loading="lazy" />
                  </a>
                ))}
              </div>
            )}
          </Panel>

          <Panel title={t('case.timeline')}>
            <Timeline events={c.events} names={c.names} />
          </Panel>
        </div>

        <div className="case-col case-side">
          <Panel title={t('case.actions')} className="actions-panel">
            {open ? (
              <ActionForm
                action={open}
                c={c}
                context={context.data}
                busy={busy}
                onSubmit={(p) => void perform(open, p)}
                onCancel={() => setOpen(null)}
              />
            ) : actions.length === 0 ? (
              <p className="muted">{t('case.noActions')}</p>
            ) : (
              <div className="action-buttons">
                {actions.map((a) => (
                  <button
                    key={a}
                    type="button"
                    data-action={a}
                    className={`btn ${PRIMARY.has(a) ? 'btn-primary' : DANGER.has(a) ? 'btn-danger-outline' : ''}`}
                    onClick={() => {
                      setNotice(null);
                      setOpen(a);
                    }}
                  >
                    {actionLabel(t, a)}
                  </button>
                ))}
                {actions.includes('request_verification') && (
                  <button
                    type="button"
                    className="btn"
                    data-action="verify-nearest"
                    disabled={busy}
                    onClick={() => void sendNearest()}
                  >
                    {t('coverage.sendNearest')}
                  </button>
                )}
              </div>
            )}
          </Panel>

          {point && (
            <Panel title={t('case.mapTitle')}>
              <Suspense fallback={<Loading />}>
                <PointMap point={point} height={230} />
              </Suspense>
            </Panel>
          )}

          <DeadlinesPanel deadlines={c.deadlines} now={now} />
          <PoliceNoticesPanel notices={notices} />
          <DuplicatesPanel duplicates={duplicates} />
        </div>
      </div>
    </div>
  );
}
