import { useEffect, useState, type FormEvent } from 'react';
import { call, client, withoutEmpty } from '../api/client';
import { useCall } from '../api/hooks';
import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_STATUSES,
  type CreateWebhookSubscriptionBody,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookEventType,
  type WebhookSubscription,
} from '../api/models';
import { ErrorBox, Empty, Field, Loading, Panel } from '../components/ui';
import { useI18n, type MessageKey } from '../i18n';
import { dateTime, shortDateTime } from '../lib/format';
import '../styles/webhooks.css';

const codes = (text: string) =>
  text
    .split(/[\s,，、]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * 数据推送 (admin): webhook subscriptions — endpoint, event types, territory and category filters, personal
 * data or not — with the secret shown once at creation and rotation; the deliveries with every attempt,
 * and replay.
 */
export function WebhooksPage() {
  const { t, lang } = useI18n();
  const subs = useCall('webhook subscriptions', (signal) =>
    client.GET('/api/v1/webhooks/subscriptions', { signal }),
  );
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [filter, setFilter] = useState<{
    subscriptionId: string;
    status: WebhookDeliveryStatus | '';
    caseNo: string;
  }>({
    subscriptionId: '',
    status: '',
    caseNo: '',
  });
  const deliveriesQuery = { ...withoutEmpty(filter), limit: 50 };
  const deliveries = useCall(`webhook deliveries ${JSON.stringify(deliveriesQuery)}`, (signal) =>
    client.GET('/api/v1/webhooks/deliveries', { params: { query: deliveriesQuery }, signal }),
  );
  // the counts on the subscriptions follow the deliveries shown
  const reloadSubs = subs.reload;
  useEffect(() => {
    if (deliveries.data) reloadSubs(true);
  }, [deliveries.data, reloadSubs]);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      subs.reload(true);
      deliveries.reload(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (s: WebhookSubscription) =>
    run(async () => {
      await call(
        client.PATCH('/api/v1/webhooks/subscriptions/{id}', {
          params: { path: { id: s.id } },
          body: { enabled: !s.enabled },
        }),
      );
    });
  const rotate = (s: WebhookSubscription) => {
    if (!window.confirm(t('wh.confirmRotate', { name: s.name }))) return;
    void run(async () => {
      const r = await call(
        client.POST('/api/v1/webhooks/subscriptions/{id}/rotate-secret', { params: { path: { id: s.id } } }),
      );
      setSecret({ name: s.name, secret: r.secret });
    });
  };
  const remove = (s: WebhookSubscription) => {
    if (!window.confirm(t('wh.confirmDelete', { name: s.name }))) return;
    void run(async () => {
      await call(client.DELETE('/api/v1/webhooks/subscriptions/{id}', { params: { path: { id: s.id } } }));
    });
  };

  return (
    <div className="page webhooks-page" data-testid="webhooks">
      <h1>{t('wh.title')}</h1>
      <p className="muted">{t('wh.intro')}</p>
      {secret && (
        <div className="notice notice-ok" role="status" data-testid="webhook-secret">
          <p>
            <strong>{secret.name}</strong> · {t('wh.secretOnce')}
          </p>
          <code className="mono secret">{secret.secret}</code>
        </div>
      )}
      {error !== null && <ErrorBox error={error} />}

      <Panel title={t('wh.subscriptions')}>
        {subs.loading ? (
          <Loading />
        ) : subs.error ? (
          <ErrorBox error={subs.error} onRetry={() => subs.reload()} />
        ) : subs.data?.items.length ? (
          <ul className="webhook-list">
            {subs.data.items.map((s) => (
              <li key={s.id} className="webhook-item" data-subscription={s.name}>
                <div className="webhook-head">
                  <strong>{s.name}</strong>
                  <span className={`tag ${s.enabled ? 'tag-ok' : 'tag-muted'}`}>
                    {s.enabled ? t('wh.enabled') : t('wh.disabled')}
                  </span>
                  <span className="tag">{s.includePersonal ? t('wh.personalYes') : t('wh.personalNo')}</span>
                </div>
                <div className="mono webhook-url">{s.url}</div>
                <div className="muted small">
                  {s.eventTypes.length
                    ? s.eventTypes
                        .map((e) => t(`wh.type.${e}` as MessageKey))
                        .join(lang === 'zh' ? '、' : ', ')
                    : t('wh.allEvents')}
                  {' · '}
                  {s.regionCodes.length ? s.regionCodes.join(', ') : t('wh.allRegions')}
                  {' · '}
                  {s.categoryCodes.length ? s.categoryCodes.join(', ') : t('wh.allCategories')}
                </div>
                <div className="small">
                  {t('wh.counts', s.deliveries)}
                  {s.previousSecretUntil && (
                    <span className="muted">
                      {' '}
                      · {t('wh.rotating', { until: dateTime(s.previousSecretUntil, lang) })}
                    </span>
                  )}
                </div>
                <div className="webhook-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={busy}
                    onClick={() => void toggle(s)}
                  >
                    {s.enabled ? t('wh.disable') : t('wh.enable')}
                  </button>
                  <button type="button" className="btn btn-small" disabled={busy} onClick={() => rotate(s)}>
                    {t('wh.rotate')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => setFilter({ ...filter, subscriptionId: s.id })}
                  >
                    {t('wh.showDeliveries')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    disabled={busy}
                    onClick={() => remove(s)}
                  >
                    {t('wh.delete')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <Empty>{t('wh.none')}</Empty>
        )}
      </Panel>

      <NewSubscription
        busy={busy}
        onCreate={(body) =>
          run(async () => {
            const r = await call(client.POST('/api/v1/webhooks/subscriptions', { body }));
            setSecret({ name: r.subscription.name, secret: r.secret });
          })
        }
      />

      <Panel title={t('wh.deliveries')}>
        <div className="filters">
          <label>
            {t('wh.filter.subscription')}
            <select
              value={filter.subscriptionId}
              onChange={(e) => setFilter({ ...filter, subscriptionId: e.target.value })}
            >
              <option value="">{t('wh.filter.all')}</option>
              {subs.data?.items.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('wh.filter.status')}
            <select
              value={filter.status}
              onChange={(e) => setFilter({ ...filter, status: e.target.value as WebhookDeliveryStatus | '' })}
            >
              <option value="">{t('wh.filter.all')}</option>
              {WEBHOOK_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`wh.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('wh.filter.caseNo')}
            <input
              value={filter.caseNo}
              onChange={(e) => setFilter({ ...filter, caseNo: e.target.value.trim() })}
              placeholder="310112-2026-000001"
            />
          </label>
        </div>
        {deliveries.loading && !deliveries.data ? (
          <Loading />
        ) : deliveries.error ? (
          <ErrorBox error={deliveries.error} onRetry={() => deliveries.reload()} />
        ) : deliveries.data?.items.length ? (
          <DeliveryTable items={deliveries.data.items} onReplayed={() => run(async () => undefined)} />
        ) : (
          <Empty>{t('wh.noDeliveries')}</Empty>
        )}
      </Panel>
    </div>
  );
}

function NewSubscription({
  busy,
  onCreate,
}: {
  busy: boolean;
  onCreate: (body: CreateWebhookSubscriptionBody) => Promise<void>;
}) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('https://');
  const [types, setTypes] = useState<WebhookEventType[]>([]);
  const [regions, setRegions] = useState('');
  const [categories, setCategories] = useState('');
  const [personal, setPersonal] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onCreate({
      name: name.trim(),
      url: url.trim(),
      eventTypes: types,
      regionCodes: codes(regions),
      categoryCodes: codes(categories),
      includePersonal: personal,
    });
  };
  return (
    <Panel title={t('wh.new')}>
      <form className="form" onSubmit={submit} data-testid="webhook-form">
        <Field label={t('wh.name')} htmlFor="wh-name" required>
          <input
            id="wh-name"
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.target.value)}
            required
          />
        </Field>
        <Field label={t('wh.url')} htmlFor="wh-url" hint={t('wh.urlHint')} required>
          <input
            id="wh-url"
            type="url"
            inputMode="url"
            value={url}
            maxLength={2000}
            onChange={(e) => setUrl(e.target.value)}
            required
          />
        </Field>
        <fieldset className="webhook-types">
          <legend>{t('wh.eventTypes')}</legend>
          {WEBHOOK_EVENT_TYPES.map((e) => (
            <label key={e} className="check">
              <input
                type="checkbox"
                checked={types.includes(e)}
                onChange={(ev) => setTypes(ev.target.checked ? [...types, e] : types.filter((x) => x !== e))}
              />
              {t(`wh.type.${e}`)}
            </label>
          ))}
        </fieldset>
        <Field label={t('wh.regionCodes')} htmlFor="wh-regions">
          <input
            id="wh-regions"
            value={regions}
            onChange={(e) => setRegions(e.target.value)}
            placeholder="310112006"
          />
        </Field>
        <Field label={t('wh.categoryCodes')} htmlFor="wh-categories">
          <input
            id="wh-categories"
            value={categories}
            onChange={(e) => setCategories(e.target.value)}
            placeholder="01, 0501"
          />
        </Field>
        <label className="check">
          <input type="checkbox" checked={personal} onChange={(e) => setPersonal(e.target.checked)} />
          {t('wh.includePersonal')}
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
          {t('wh.create')}
        </button>
      </form>
    </Panel>
  );
}

function DeliveryTable({ items, onReplayed }: { items: WebhookDelivery[]; onReplayed: () => Promise<void> }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState<number | null>(null);
  return (
    <div className="table-wrap">
      <table className="cases webhook-deliveries">
        <thead>
          <tr>
            <th>{t('wh.col.created')}</th>
            <th>{t('wh.col.case')}</th>
            <th>{t('wh.col.event')}</th>
            <th className="hide-narrow">{t('wh.col.subscription')}</th>
            <th>{t('wh.col.status')}</th>
            <th className="hide-narrow">{t('wh.col.attempts')}</th>
            <th className="hide-narrow">{t('wh.col.code')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <DeliveryRow
              key={d.id}
              d={d}
              open={open === d.id}
              onToggle={() => setOpen(open === d.id ? null : d.id)}
              onReplayed={onReplayed}
              lang={lang}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DeliveryRow({
  d,
  open,
  onToggle,
  onReplayed,
  lang,
}: {
  d: WebhookDelivery;
  open: boolean;
  onToggle: () => void;
  onReplayed: () => Promise<void>;
  lang: 'zh' | 'en';
}) {
  const { t } = useI18n();
  return (
    <>
      <tr onClick={onToggle} data-delivery={d.id} data-status={d.status} aria-expanded={open}>
        <td className="nowrap">{shortDateTime(d.createdAt, lang)}</td>
        <td className="mono nowrap">{d.caseNo}</td>
        <td>{t(`wh.type.${d.eventType}` as MessageKey)}</td>
        <td className="hide-narrow">{d.subscriptionName}</td>
        <td>
          <span className={`tag wh-${d.status}`}>{t(`wh.status.${d.status}`)}</span>
        </td>
        <td className="hide-narrow">{d.attempts}</td>
        <td className="hide-narrow">{d.lastStatusCode ?? (d.lastError ? '—' : '')}</td>
      </tr>
      {open && (
        <tr className="webhook-detail-row">
          <td colSpan={7}>
            <DeliveryDetailView id={d.id} onReplayed={onReplayed} />
          </td>
        </tr>
      )}
    </>
  );
}

function DeliveryDetailView({ id, onReplayed }: { id: number; onReplayed: () => Promise<void> }) {
  const { t, lang } = useI18n();
  const detail = useCall(`webhook delivery ${id}`, (signal) =>
    client.GET('/api/v1/webhooks/deliveries/{id}', { params: { path: { id } }, signal }),
  );
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (detail.loading && !detail.data) return <Loading />;
  if (detail.error) return <ErrorBox error={detail.error} />;
  const d = detail.data!;
  const replay = async () => {
    setError(null);
    try {
      detail.setData(
        await call(client.POST('/api/v1/webhooks/deliveries/{id}/replay', { params: { path: { id } } })),
      );
      setNote(t('wh.replayed'));
      await onReplayed();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div className="webhook-detail" data-testid="webhook-detail">
      <div className="small">
        {t('wh.messageId')}: <code className="mono">{d.messageId}</code>
        {d.nextAttemptAt && (
          <span className="muted"> · {t('wh.nextAttempt', { at: dateTime(d.nextAttemptAt, lang) })}</span>
        )}
      </div>
      <h3>{t('wh.attempts')}</h3>
      <ol className="webhook-attempts">
        {d.attemptLog.map((a) => (
          <li key={a.attempt} className={`wh-outcome-${a.outcome}`}>
            {t('wh.attempt', {
              n: a.attempt,
              at: dateTime(a.at, lang),
              latency: a.latencyMs,
              outcome: t(`wh.outcome.${a.outcome}`) + (a.statusCode ? ` ${a.statusCode}` : ''),
            })}
            {a.error && <div className="muted small mono">{a.error}</div>}
          </li>
        ))}
      </ol>
      <details className="webhook-body-toggle">
        <summary>{t('wh.body')}</summary>
        <pre className="mono webhook-body">{prettyJson(d.body)}</pre>
      </details>
      <button type="button" className="btn btn-small btn-primary" onClick={() => void replay()}>
        {t('wh.replay')}
      </button>
      {note && (
        <span className="notice-inline" role="status">
          {' '}
          {note}
        </span>
      )}
      {error !== null && <ErrorBox error={error} />}
    </div>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
