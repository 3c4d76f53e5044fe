import { useEffect, useState, type FormEvent } from 'react';
import { call, client, uploadImport } from '../api/client';
import { useCall } from '../api/hooks';
import {
  IMPORT_KINDS,
  type ImportKind,
  type ImportRowErrorPage,
  type ImportRun,
  type ImportUpload,
} from '../api/models';
import { useI18n, type MessageKey } from '../i18n';
import { useSession } from '../session';
import { Empty, ErrorBox, Field, Loading, Panel } from '../components/ui';
import '../styles/imports.css';

const REPORT_ROWS = 100;

/**
 * 基础信息导入 (issue 12 §4): choose what to import, upload a CSV/.xlsx, check the column mapping and the
 * first rows, dry-run or import, watch the progress, read the refused rows and download them as CSV.
 * Administrators pick a street (or none: placed by coordinates); street operators import into theirs.
 */
export function ImportPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const admin = me?.role === 'admin';
  const streets = useCall(admin ? 'streets' : null, (signal) =>
    client.GET('/api/v1/regions', { params: { query: { level: 'street' } }, signal }),
  );
  const history = useCall('imports', (signal) =>
    client.GET('/api/v1/imports', { params: { query: { limit: 10 } }, signal }),
  );
  const [kind, setKind] = useState<ImportKind>('people');
  const [street, setStreet] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [upload, setUpload] = useState<ImportUpload | null>(null);
  const [run, setRun] = useState<ImportRun | null>(null);
  const [report, setReport] = useState<ImportRowErrorPage | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  // poll the running run until it is done
  const runId = run?.id;
  const running = run?.status === 'running' || run?.status === 'uploaded';
  useEffect(() => {
    if (!runId || !running) return;
    let stop = false;
    const timer = setInterval(() => {
      call(client.GET('/api/v1/imports/{id}', { params: { path: { id: runId } } }))
        .then((next) => {
          if (!stop) setRun(next);
        })
        .catch((err: unknown) => {
          if (!stop) setError(err);
        });
    }, 700);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [runId, running]);

  // the row report once the run is done
  const finished = run?.status === 'done';
  const reload = history.reload;
  useEffect(() => {
    if (!runId || !finished) return;
    reload(true);
    call(
      client.GET('/api/v1/imports/{id}/errors', {
        params: { path: { id: runId }, query: { limit: REPORT_ROWS } },
      }),
    )
      .then(setReport)
      .catch(setError);
  }, [runId, finished, reload]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setUpload(null);
    setRun(null);
    setReport(null);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      setUpload(await uploadImport({ kind, street: street || undefined }, form));
      history.reload(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const start = async (dryRun: boolean) => {
    const id = run?.id ?? upload?.run.id;
    if (!id) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      setRun(
        await call(client.POST('/api/v1/imports/{id}/start', { params: { path: { id } }, body: { dryRun } })),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const preview = upload?.preview;
  const fieldLabel = (f: string) => t(`import.field.${f}` as MessageKey);
  const previewFields = preview ? Object.keys(preview.mapping) : [];

  return (
    <div className="page import-page" data-testid="import-page">
      <h1>{t('import.title')}</h1>
      <p className="muted">{t('import.intro')}</p>
      <Panel>
        <form className="form import-form" onSubmit={(e) => void submit(e)}>
          <Field label={t('import.kind')} htmlFor="import-kind" required>
            <select id="import-kind" value={kind} onChange={(e) => setKind(e.target.value as ImportKind)}>
              {IMPORT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`import.kind.${k}`)}
                </option>
              ))}
            </select>
          </Field>
          {admin && (
            <Field label={t('import.street')} htmlFor="import-street">
              <select id="import-street" value={street} onChange={(e) => setStreet(e.target.value)}>
                <option value="">{t('import.street.any')}</option>
                {streets.data?.items.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.name}
                  </option>
                ))}
              </select>
            </Field>
          )}
          <Field label={t('import.file')} htmlFor="import-file" required>
            <input
              id="import-file"
              type="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              required
            />
          </Field>
          <button type="submit" className="btn btn-primary" disabled={busy || !file}>
            {t('import.upload')}
          </button>
        </form>
        {error !== null && <ErrorBox error={error} />}
      </Panel>

      {preview && upload && (
        <Panel title={`${t('import.preview')} · ${upload.run.fileName}`}>
          <div className="table-wrap">
            <table className="mini" data-testid="import-mapping">
              <thead>
                <tr>
                  <th>{t('import.mapping.field')}</th>
                  <th>{t('import.mapping.column')}</th>
                </tr>
              </thead>
              <tbody>
                {previewFields.map((f) => (
                  <tr key={f}>
                    <td>{fieldLabel(f)}</td>
                    <td>{preview.mapping[f]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {preview.ignored.length > 0 && (
            <p className="hint">{t('import.ignored', { columns: preview.ignored.join('、') })}</p>
          )}
          {preview.missing.length > 0 && (
            <p className="notice notice-error" role="alert">
              {t('import.missing', {
                columns: preview.missing.map((m) => m.split('|').map(fieldLabel).join(' / ')).join('、'),
              })}
            </p>
          )}
          <h3>{t('import.firstRows')}</h3>
          <div className="table-wrap">
            <table className="mini import-rows">
              <thead>
                <tr>
                  <th>{t('import.row')}</th>
                  {previewFields.map((f) => (
                    <th key={f}>{fieldLabel(f)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.row}>
                    <td>{r.row}</td>
                    {previewFields.map((f) => (
                      <td key={f}>{r.values[f] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="import-actions">
            <button
              type="button"
              className="btn"
              disabled={busy || running || preview.missing.length > 0}
              onClick={() => void start(true)}
              data-testid="import-dry-run"
            >
              {t('import.dryRun')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || running || preview.missing.length > 0}
              onClick={() => void start(false)}
              data-testid="import-run"
            >
              {t('import.run')}
            </button>
          </div>
        </Panel>
      )}

      {run && (
        <Panel title={`${t('import.progress')} · ${t(`import.status.${run.status}`)}`}>
          <div
            className="import-progress"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(run.progress * 100)}
            data-testid="import-progress"
            data-status={run.status}
          >
            <div className="import-progress-fill" style={{ width: `${Math.round(run.progress * 100)}%` }} />
          </div>
          <p role="status">
            {t(run.dryRun ? 'import.countsDry' : 'import.counts', {
              rows: run.rowsRead,
              inserted: run.inserted,
              updated: run.updated,
              unchanged: run.unchanged,
              refused: run.refused,
            })}
          </p>
          {run.status === 'failed' && (
            <p className="notice notice-error" role="alert">
              {t('import.failed', { error: run.error ?? '' })}
            </p>
          )}
        </Panel>
      )}

      {run && report && (
        <Panel
          title={t('import.report', { total: report.total })}
          actions={
            report.total > 0 ? (
              // a download link, not a JSON call: the contract answers text/csv
              <a
                className="btn"
                href={`/api/v1/imports/${run.id}/errors.csv`}
                download
                data-testid="import-download"
              >
                {t('import.download')}
              </a>
            ) : undefined
          }
        >
          {report.total === 0 ? (
            <Empty>{t('import.report.none')}</Empty>
          ) : (
            <>
              <div className="table-wrap">
                <table className="mini" data-testid="import-report">
                  <thead>
                    <tr>
                      <th>{t('import.row')}</th>
                      <th>{t('import.report.column')}</th>
                      <th>{t('import.report.value')}</th>
                      <th>{t('import.report.reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.items.map((e, i) => (
                      <tr key={i} data-row={e.row}>
                        <td>{e.row}</td>
                        <td>{e.column ?? ''}</td>
                        <td className="mono">{e.value ?? ''}</td>
                        <td>{t(`import.reason.${e.reason}`)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {report.total > report.items.length && (
                <p className="hint">{t('import.report.more', { shown: report.items.length })}</p>
              )}
            </>
          )}
        </Panel>
      )}

      <Panel title={t('import.history')}>
        {history.loading && !history.data ? (
          <Loading />
        ) : history.error ? (
          <ErrorBox error={history.error} onRetry={() => history.reload()} />
        ) : !history.data || history.data.items.length === 0 ? (
          <Empty>{t('import.history.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="mini" data-testid="import-history">
              <thead>
                <tr>
                  <th>{t('import.history.when')}</th>
                  <th>{t('import.kind')}</th>
                  <th>{t('import.history.file')}</th>
                  <th>{t('import.history.mode')}</th>
                  <th>{t('import.progress')}</th>
                </tr>
              </thead>
              <tbody>
                {history.data.items.map((r) => (
                  <tr key={r.id}>
                    <td>{new Date(r.createdAt).toLocaleString()}</td>
                    <td>{t(`import.kind.${r.kind}`)}</td>
                    <td className="import-file-name">{r.fileName}</td>
                    <td>{t(r.dryRun ? 'import.history.modeDry' : 'import.history.modeReal')}</td>
                    <td>
                      {t(`import.status.${r.status}`)} ·{' '}
                      {t('import.history.counts', {
                        inserted: r.inserted,
                        updated: r.updated,
                        refused: r.refused,
                      })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </div>
  );
}
