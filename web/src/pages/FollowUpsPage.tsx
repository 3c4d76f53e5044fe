import { useState } from 'react';
import { call, client, postAction } from '../api/client';
import { useCall } from '../api/hooks';
import type { components } from '../api/schema';
import { Empty, ErrorBox, Loading, Panel } from '../components/ui';
import { useI18n } from '../i18n';
import { dateTime } from '../lib/format';
import { errorMessage, sourceLabel } from '../lib/labels';
import { Link } from '../router';
import { useSession } from '../session';
import '../styles/follow-ups.css';

type Task = components['schemas']['FollowUpTask'];
type Unsatisfied = components['schemas']['UnsatisfiedFollowUp'];
type Satisfaction = 'satisfied' | 'basically_satisfied' | 'unsatisfied';
const RESULTS: Satisfaction[] = ['satisfied', 'basically_satisfied', 'unsatisfied'];

/**
 * 回访: the follow-up tasks of the caller's centre (closed public cases), the longest waiting first, with
 * the overdue ones marked. The intake staff call the reporter (contact masked; "show" asks a reason and is
 * audited), record the result (the case action `follow_up`); an unsatisfied result reopens the case in the
 * same step when the caller may (shift lead), else it waits for the shift lead in the list below.
 */
export function FollowUpsPage() {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const mayReopen = me?.role === 'shift_lead' || me?.role === 'station_operator';
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [result, setResult] = useState<Satisfaction>('satisfied');
  const [note, setNote] = useState('');
  const [reopen, setReopen] = useState(true);
  const [shown, setShown] = useState<Record<string, { name: string | null; phone: string | null }>>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const list = useCall(`follow-ups ${overdueOnly}`, (signal) =>
    client.GET('/api/v1/follow-ups', {
      params: { query: overdueOnly ? { status: 'overdue' } : {} },
      signal,
    }),
  );

  const unmask = async (task: Task) => {
    const reason = window.prompt(t('followups.unmaskReason'))?.trim();
    if (!reason) return;
    try {
      const contact = await call(
        client.POST('/api/v1/cases/{id}/reporter/unmask', {
          params: { path: { id: task.caseId } },
          body: { reason },
        }),
      );
      setShown((s) => ({ ...s, [task.caseId]: { name: contact.name, phone: contact.phone } }));
    } catch (e) {
      setProblem(errorMessage(t, e));
    }
  };

  const record = async (task: Task) => {
    setBusy(true);
    setProblem(null);
    try {
      const answer = await call(
        postAction(task.caseId, 'follow_up', {
          version: task.version,
          satisfaction: result,
          ...(note.trim() ? { note: note.trim() } : {}),
        }),
      );
      let message = t('followups.recorded', { no: task.caseNo });
      if (result === 'unsatisfied' && mayReopen && reopen) {
        await call(
          postAction(task.caseId, 'reopen', {
            version: answer.case.version,
            reason: note.trim() || t('followups.reopenReason'),
          }),
        );
        message = t('followups.reopened', { no: task.caseNo });
      } else if (result === 'unsatisfied') {
        message = t('followups.waitingLead', { no: task.caseNo });
      }
      setDone(message);
      setOpen(null);
      setNote('');
      setResult('satisfied');
      list.reload(true);
    } catch (e) {
      setProblem(errorMessage(t, e));
      list.reload(true);
    } finally {
      setBusy(false);
    }
  };

  const reopenCase = async (u: Unsatisfied) => {
    const reason = window.prompt(t('followups.reopenPrompt'), u.note ?? t('followups.reopenReason'))?.trim();
    if (!reason) return;
    setBusy(true);
    setProblem(null);
    try {
      await call(postAction(u.caseId, 'reopen', { version: u.version, reason }));
      setDone(t('followups.reopened', { no: u.caseNo }));
      list.reload(true);
    } catch (e) {
      setProblem(errorMessage(t, e));
    } finally {
      setBusy(false);
    }
  };

  if (list.error) return <ErrorBox error={list.error} onRetry={() => list.reload()} />;
  const data = list.data;

  return (
    <div className="follow-ups" data-ready={data ? 'true' : undefined}>
      <div className="wb-head">
        <h1>{t('followups.title')}</h1>
        {data && (
          <span className="muted" data-testid="follow-up-counts">
            {t('followups.counts', { pending: data.pending, overdue: data.overdue, days: data.days })}
          </span>
        )}
      </div>
      <p className="muted small">{t('followups.intro')}</p>
      <label className="fu-filter">
        <input type="checkbox" checked={overdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)} />{' '}
        {t('followups.overdueOnly')}
      </label>
      {problem && (
        <div className="error-text" role="alert">
          {problem}
        </div>
      )}
      {done && (
        <div className="fu-done" role="status">
          {done}
        </div>
      )}
      {!data ? (
        <Loading />
      ) : (
        <>
          {data.tasks.length === 0 ? (
            <Empty>{t('followups.empty')}</Empty>
          ) : (
            <ul className="fu-list" data-testid="follow-up-tasks">
              {data.tasks.map((task) => {
                const contact = shown[task.caseId];
                return (
                  <li key={task.caseId} className={`fu-task ${task.status}`} data-case={task.caseNo}>
                    <div className="fu-line">
                      <Link to={`/cases/${task.caseId}`}>{task.caseNo}</Link>
                      <span className="tag">{sourceLabel(t, task.source)}</span>
                      {task.status === 'overdue' ? (
                        <span className="tag fu-overdue">{t('followups.overdue')}</span>
                      ) : null}
                      <span className="muted small">
                        {t('followups.closedDue', {
                          closed: dateTime(task.closedAt, lang),
                          due: dateTime(task.dueAt, lang),
                        })}
                      </span>
                    </div>
                    <div className="fu-desc">{task.description}</div>
                    {task.address && <div className="muted small">{task.address}</div>}
                    <div className="fu-line">
                      <span data-testid="reporter">
                        {t('followups.reporter')}: {(contact ? contact.name : task.reporterName) ?? '—'}{' '}
                        {(contact ? contact.phone : task.reporterPhone) ?? ''}
                      </span>
                      {!contact && (
                        <button type="button" className="btn btn-small" onClick={() => void unmask(task)}>
                          {t('followups.show')}
                        </button>
                      )}
                      {open !== task.caseId && (
                        <button
                          type="button"
                          className="btn btn-primary btn-small"
                          data-testid="record"
                          onClick={() => {
                            setOpen(task.caseId);
                            setDone(null);
                          }}
                        >
                          {t('followups.record')}
                        </button>
                      )}
                    </div>
                    {open === task.caseId && (
                      <form
                        className="fu-form"
                        onSubmit={(e) => {
                          e.preventDefault();
                          void record(task);
                        }}
                      >
                        <fieldset>
                          <legend>{t('followups.result')}</legend>
                          {RESULTS.map((r) => (
                            <label key={r}>
                              <input
                                type="radio"
                                name={`result-${task.caseId}`}
                                value={r}
                                checked={result === r}
                                onChange={() => setResult(r)}
                              />{' '}
                              {t(`followups.satisfaction.${r}`)}
                            </label>
                          ))}
                        </fieldset>
                        <label className="fu-note">
                          {t('followups.note')}
                          <textarea
                            value={note}
                            maxLength={1000}
                            rows={2}
                            onChange={(e) => setNote(e.target.value)}
                          />
                        </label>
                        {result === 'unsatisfied' &&
                          (mayReopen ? (
                            <label>
                              <input
                                type="checkbox"
                                checked={reopen}
                                onChange={(e) => setReopen(e.target.checked)}
                              />{' '}
                              {t('followups.alsoReopen')}
                            </label>
                          ) : (
                            <div className="muted small">{t('followups.leadWillReopen')}</div>
                          ))}
                        <div>
                          <button type="submit" className="btn btn-primary" disabled={busy}>
                            {result === 'unsatisfied' && mayReopen && reopen
                              ? t('followups.saveAndReopen')
                              : t('followups.save')}
                          </button>{' '}
                          <button type="button" className="btn" onClick={() => setOpen(null)}>
                            {t('followups.cancel')}
                          </button>
                        </div>
                      </form>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
          {data.pending > data.tasks.length && (
            <p className="muted small">{t('followups.more', { n: data.pending - data.tasks.length })}</p>
          )}
          <Panel title={t('followups.unsatisfiedTitle', { n: data.unsatisfied.length })}>
            {data.unsatisfied.length === 0 ? (
              <Empty>{t('followups.noUnsatisfied')}</Empty>
            ) : (
              <ul className="fu-list" data-testid="unsatisfied">
                {data.unsatisfied.map((u) => (
                  <li key={u.caseId} className="fu-task" data-case={u.caseNo}>
                    <div className="fu-line">
                      <Link to={`/cases/${u.caseId}`}>{u.caseNo}</Link>
                      <span className="muted small">
                        {t('followups.followedUp', { at: dateTime(u.followedUpAt, lang), by: u.by ?? '—' })}
                      </span>
                      {u.canReopen ? (
                        <button
                          type="button"
                          className="btn btn-primary btn-small"
                          disabled={busy}
                          onClick={() => void reopenCase(u)}
                        >
                          {t('followups.reopen')}
                        </button>
                      ) : (
                        <span className="muted small">{t('followups.leadWillReopen')}</span>
                      )}
                    </div>
                    <div className="fu-desc">{u.description}</div>
                    {u.note && <div className="muted small">“{u.note}”</div>}
                  </li>
                ))}
              </ul>
            )}
          </Panel>
        </>
      )}
    </div>
  );
}
