import { useState, type FormEvent } from 'react';
import { call, client } from '../../api/client';
import { useCall } from '../../api/hooks';
import { Empty, ErrorBox, Field, Loading, Panel } from '../../components/ui';
import { useI18n } from '../../i18n';

/** Beijing's calendar year now. */
const beijingYear = () => new Date(Date.now() + 8 * 3600_000).getUTCFullYear();

/**
 * 单日调整 (admin, on the calendar page): the overrides of this year and next, set one day as a working
 * day or a holiday, remove one. The server recomputes that year's running deadlines and audits it.
 */
export function CalendarOverrides() {
  const { t } = useI18n();
  const year = beijingYear();
  const overrides = useCall('calendar overrides', (signal) =>
    client.GET('/api/v1/calendar/overrides', {
      params: { query: { from: `${year}-01-01`, to: `${year + 1}-12-31` } },
      signal,
    }),
  );
  const [date, setDate] = useState('');
  const [kind, setKind] = useState<'workday' | 'holiday'>('workday');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      overrides.reload(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await call(
        client.PUT('/api/v1/calendar/overrides/{date}', {
          params: { path: { date } },
          body: { kind, ...(note.trim() ? { note: note.trim() } : {}) },
        }),
      );
      setNote('');
    });
  };
  return (
    <Panel title={t('adm.calo.title')}>
      <p className="muted">{t('adm.calo.intro')}</p>
      {error !== null && <ErrorBox error={error} />}
      {overrides.loading && !overrides.data ? (
        <Loading />
      ) : overrides.data?.items.length ? (
        <div className="table-wrap">
          <table className="admin-table" data-testid="calendar-overrides">
            <thead>
              <tr>
                <th>{t('adm.calo.date')}</th>
                <th>{t('adm.calo.kind')}</th>
                <th>{t('adm.calo.note')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {overrides.data.items.map((o) => (
                <tr key={o.date} data-date={o.date}>
                  <td className="mono">{o.date}</td>
                  <td>{o.kind === 'workday' ? t('adm.calo.workday') : t('adm.calo.holiday')}</td>
                  <td>{o.note}</td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={busy}
                      onClick={() =>
                        void run(() =>
                          call(
                            client.DELETE('/api/v1/calendar/overrides/{date}', {
                              params: { path: { date: o.date } },
                            }),
                          ),
                        )
                      }
                    >
                      {t('adm.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>{t('adm.calo.none')}</Empty>
      )}
      <form className="admin-form" onSubmit={submit} data-testid="calendar-override-form">
        <Field label={t('adm.calo.date')} htmlFor="co-date" required>
          <input id="co-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </Field>
        <Field label={t('adm.calo.kind')} htmlFor="co-kind">
          <select
            id="co-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as 'workday' | 'holiday')}
          >
            <option value="workday">{t('adm.calo.workday')}</option>
            <option value="holiday">{t('adm.calo.holiday')}</option>
          </select>
        </Field>
        <Field label={t('adm.calo.note')} htmlFor="co-note">
          <input id="co-note" value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
        </Field>
        <div className="form-buttons">
          <button type="submit" className="btn btn-primary" disabled={busy || !date}>
            {t('adm.calo.set')}
          </button>
        </div>
      </form>
    </Panel>
  );
}
