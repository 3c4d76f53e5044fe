import { useState, type FormEvent } from 'react';
import { call, client } from '../../api/client';
import { useCall } from '../../api/hooks';
import type { components } from '../../api/schema';
import { Empty, ErrorBox, Loading, Panel } from '../../components/ui';
import { useI18n } from '../../i18n';
import { dateTime } from '../../lib/format';
import { roleLabel } from '../../lib/labels';

type Verification = components['schemas']['AuditVerification'];
const PAGE = 50;
const ENTITIES = ['user', 'case', 'category', 'department', 'matrix', 'calendar', 'session', 'webhook'];

/** A recorded payload as readable lines ("before.kind: holiday"), not raw JSON. */
export function payloadLines(value: unknown, prefix = ''): string[] {
  if (value === null || value === undefined) return prefix ? [`${prefix}: —`] : [];
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null))
      return [`${prefix || '·'}: ${value.length ? value.join(', ') : '—'}`];
    return value.flatMap((v, i) => payloadLines(v, `${prefix}[${i + 1}]`));
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return prefix ? [`${prefix}: —`] : [];
    return entries.flatMap(([k, v]) => payloadLines(v, prefix ? `${prefix}.${k}` : k));
  }
  return [`${prefix || '·'}: ${String(value)}`];
}

/** "case · dispatch": the recorded action, readable (and never mistaken for a dictionary key). */
const actionText = (action: string) => action.replace('.', ' · ');

interface Filters {
  actorName: string;
  action: string;
  entity: string;
  from: string;
  to: string;
}
const EMPTY: Filters = { actorName: '', action: '', entity: '', from: '', to: '' };

/**
 * 审计日志 (admin): the hash-chained log with filters (actor, action, object type, period), newest first,
 * paged by keyset ("older records"), and a button that verifies the chain and names a broken record.
 */
export function AuditPage() {
  const { t, lang } = useI18n();
  const [form, setForm] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  // keyset pages: the `before` of each page shown so far (undefined: the newest)
  const [pages, setPages] = useState<(number | undefined)[]>([undefined]);
  const before = pages.at(-1);
  const query = {
    ...(filters.actorName ? { actorName: filters.actorName } : {}),
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.entity ? { entity: filters.entity } : {}),
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
    ...(before !== undefined ? { before } : {}),
    limit: PAGE,
  };
  const log = useCall(`admin audit ${JSON.stringify(query)}`, (signal) =>
    client.GET('/api/v1/audit', { params: { query }, signal }),
  );
  const [verification, setVerification] = useState<Verification | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const [verifying, setVerifying] = useState(false);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({ ...form, actorName: form.actorName.trim(), action: form.action.trim() });
    setPages([undefined]);
  };
  const verify = async () => {
    setVerifying(true);
    setVerifyError(null);
    try {
      setVerification(await call(client.GET('/api/v1/audit/verify')));
    } catch (e) {
      setVerifyError(e);
    } finally {
      setVerifying(false);
    }
  };
  const field = (k: keyof Filters) => ({
    value: form[k],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value })),
  });

  return (
    <div className="page admin-page" data-testid="admin-audit">
      <h1>{t('adm.audit.title')}</h1>
      <p className="muted">{t('adm.audit.intro')}</p>
      <div className="form-buttons">
        <button
          type="button"
          className="btn"
          disabled={verifying}
          onClick={() => void verify()}
          data-testid="audit-verify"
        >
          {t('adm.audit.verify')}
        </button>
      </div>
      {verifyError !== null && <ErrorBox error={verifyError} />}
      {verification && (
        <div
          className={`notice ${verification.ok ? 'notice-ok' : 'notice-error'}`}
          role="status"
          data-testid="audit-verification"
        >
          {verification.ok || !verification.broken
            ? t('adm.audit.verifyOk', { n: verification.records })
            : t('adm.audit.verifyBroken', {
                seq: verification.broken.seq,
                message: verification.broken.message,
              })}
        </div>
      )}
      <form className="filters" onSubmit={apply} role="search">
        <label>
          {t('adm.audit.actor')}
          <input maxLength={64} {...field('actorName')} />
        </label>
        <label>
          {t('adm.audit.action')}
          <input maxLength={64} placeholder="user.create" {...field('action')} />
        </label>
        <label>
          {t('adm.audit.entity')}
          <select {...field('entity')}>
            <option value="">{t('adm.any')}</option>
            {ENTITIES.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('adm.audit.from')}
          <input type="date" {...field('from')} />
        </label>
        <label>
          {t('adm.audit.to')}
          <input type="date" {...field('to')} />
        </label>
        <button type="submit" className="btn">
          {t('adm.search')}
        </button>
      </form>
      <Panel>
        {log.loading && !log.data ? (
          <Loading />
        ) : log.error ? (
          <ErrorBox error={log.error} onRetry={() => log.reload()} />
        ) : log.data?.items.length ? (
          <div className="table-wrap">
            <table className="admin-table" data-testid="audit-table">
              <thead>
                <tr>
                  <th>#</th>
                  <th>{t('adm.audit.at')}</th>
                  <th>{t('adm.audit.actor')}</th>
                  <th>{t('adm.audit.action')}</th>
                  <th>{t('adm.audit.target')}</th>
                  <th className="hide-narrow">{t('adm.audit.details')}</th>
                </tr>
              </thead>
              <tbody>
                {log.data.items.map((r) => (
                  <tr key={r.seq} data-action={r.action}>
                    <td className="num mono">{r.seq}</td>
                    <td>{dateTime(r.at, lang)}</td>
                    <td>
                      {r.actor.name ?? '—'}
                      {r.actor.role && <div className="muted small">{roleLabel(t, r.actor.role)}</div>}
                    </td>
                    <td className="mono">{actionText(r.action)}</td>
                    <td className="mono">{r.target ?? ''}</td>
                    <td className="hide-narrow wrap">
                      <pre className="audit-payload">{payloadLines(r.payload).join('\n')}</pre>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>{t('adm.audit.none')}</Empty>
        )}
        <div className="admin-pager">
          {pages.length > 1 && (
            <button type="button" className="btn btn-small" onClick={() => setPages([undefined])}>
              {t('adm.audit.newest')}
            </button>
          )}
          {typeof log.data?.nextBefore === 'number' && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setPages((p) => [...p, log.data!.nextBefore!])}
            >
              {t('adm.audit.more')}
            </button>
          )}
        </div>
      </Panel>
    </div>
  );
}
