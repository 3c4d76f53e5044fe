import { useState, type FormEvent } from 'react';
import { call, client } from '../api/client';
import { useCall } from '../api/hooks';
import type { components } from '../api/schema';
import { ErrorBox, Empty, Field, Loading, Panel } from '../components/ui';
import { useI18n } from '../i18n';
import { dateTime } from '../lib/format';
import '../styles/webhooks.css';

type Schemas = components['schemas'];
type Client = Schemas['Open311Client'];
type Source = Client['source'];

/**
 * Open311 接入系统 (admin): the client systems allowed to POST service requests — 12345 hotline, apps —
 * with their source, state and request counts; register (the key is shown once) and disable/enable.
 */
export function Open311ClientsPage() {
  const { t, lang } = useI18n();
  const clients = useCall('open311 clients', (signal) => client.GET('/api/v1/open311/clients', { signal }));
  const [key, setKey] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState('');
  const [source, setSource] = useState<Source>('hotline');

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      clients.reload(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (c: Client) =>
    run(async () => {
      await call(
        client.PUT('/api/v1/open311/clients/{id}/enabled', {
          params: { path: { id: c.id } },
          body: { enabled: !c.enabled },
        }),
      );
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await call(client.POST('/api/v1/open311/clients', { body: { name: name.trim(), source } }));
      setKey({ name: r.client.name, key: r.key });
      setName('');
    });
  };

  return (
    <div className="page webhooks-page" data-testid="open311-clients">
      <h1>{t('o311.title')}</h1>
      <p className="muted">{t('o311.intro')}</p>
      {key && (
        <div className="notice notice-ok" role="status" data-testid="open311-key">
          <p>
            <strong>{key.name}</strong> · {t('o311.keyOnce')}
          </p>
          <code className="mono secret">{key.key}</code>
        </div>
      )}
      {error !== null && <ErrorBox error={error} />}
      <Panel title={t('o311.clients')}>
        {clients.loading ? (
          <Loading />
        ) : clients.error ? (
          <ErrorBox error={clients.error} onRetry={() => clients.reload()} />
        ) : clients.data?.items.length ? (
          <ul className="webhook-list">
            {clients.data.items.map((c) => (
              <li key={c.id} className="webhook-item" data-client={c.name}>
                <div className="webhook-head">
                  <strong>{c.name}</strong>
                  <span className={`tag ${c.enabled ? 'tag-ok' : 'tag-muted'}`}>
                    {c.enabled ? t('o311.enabled') : t('o311.disabled')}
                  </span>
                  <span className="tag">{t(`o311.source.${c.source}`)}</span>
                </div>
                <div className="muted small">
                  <span className="mono">{c.keyHint}</span> ·{' '}
                  {t('o311.created', { at: dateTime(c.createdAt, lang) })} ·{' '}
                  {t('o311.requests', { n: c.requestCount })}
                </div>
                <div className="webhook-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={busy}
                    onClick={() => void toggle(c)}
                  >
                    {c.enabled ? t('o311.disable') : t('o311.enable')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <Empty>{t('o311.none')}</Empty>
        )}
      </Panel>
      <Panel title={t('o311.new')}>
        <form className="form" onSubmit={submit} data-testid="open311-form">
          <Field label={t('o311.name')} htmlFor="o311-name" required>
            <input
              id="o311-name"
              value={name}
              maxLength={100}
              onChange={(e) => setName(e.target.value)}
              required
            />
          </Field>
          <Field label={t('o311.sourceLabel')} htmlFor="o311-source" hint={t('o311.sourceHint')}>
            <select id="o311-source" value={source} onChange={(e) => setSource(e.target.value as Source)}>
              <option value="hotline">{t('o311.source.hotline')}</option>
              <option value="citizen">{t('o311.source.citizen')}</option>
            </select>
          </Field>
          <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
            {t('o311.register')}
          </button>
        </form>
      </Panel>
    </div>
  );
}
