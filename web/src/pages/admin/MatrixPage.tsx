import { useMemo, useState, type FormEvent } from 'react';
import { call, client } from '../../api/client';
import { useCall } from '../../api/hooks';
import type { components } from '../../api/schema';
import { Empty, ErrorBox, Field, Loading, Panel } from '../../components/ui';
import { useI18n } from '../../i18n';
import { limitText, POLICE_MODES } from './CategoriesPage';

type Schemas = components['schemas'];
type Row = Schemas['MatrixRow'];
type Preview = Schemas['RoutingPreview'];
type PoliceMode = Schemas['PoliceMode'];

const splitIds = (s: string) => s.split(/[\s,，、]+/).filter(Boolean);

/**
 * 权责清单 (admin): category × territory → lead and assisting departments (and a police-linkage override),
 * filtered by category and territory; edit or add a row, remove one; and a preview of where a new case of
 * a category at a place would go, computed by the routing code of intake.
 */
export function MatrixPage() {
  const { t, lang } = useI18n();
  const categories = useCall('admin matrix categories', (signal) =>
    client.GET('/api/v1/categories', { signal }),
  );
  const departments = useCall('admin matrix departments', (signal) =>
    client.GET('/api/v1/departments', { signal }),
  );
  const streets = useCall('admin matrix streets', (signal) =>
    client.GET('/api/v1/regions', { params: { query: { level: 'street' } }, signal }),
  );
  const [category, setCategory] = useState('');
  const [region, setRegion] = useState('');
  const rows = useCall(`admin matrix ${category}|${region}`, (signal) =>
    client.GET('/api/v1/responsibility-matrix', {
      params: { query: { ...(category ? { category } : {}), ...(region ? { region } : {}), limit: 200 } },
      signal,
    }),
  );
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [editing, setEditing] = useState<Partial<Row> | null>(null);

  const catName = useMemo(() => {
    const m = new Map<string, string>();
    for (const c of categories.data?.items ?? []) m.set(c.code, lang === 'zh' ? c.nameZh : c.nameEn);
    return (code: string) => m.get(code) ?? code;
  }, [categories.data, lang]);
  const deptName = useMemo(() => {
    const m = new Map<string, string>();
    for (const d of departments.data?.items ?? []) m.set(d.id, d.name);
    return (id: string) => m.get(id) ?? id;
  }, [departments.data]);
  const regionName = useMemo(() => {
    const m = new Map<string, string>();
    for (const s of streets.data?.items ?? []) m.set(s.code, s.name);
    return (code: string) => m.get(code) ?? code;
  }, [streets.data]);

  const remove = async (row: Row) => {
    if (!window.confirm(`${t('adm.remove')} ${row.categoryCode}@${row.regionCode}?`)) return;
    setError(null);
    setSaved(false);
    try {
      await call(client.DELETE('/api/v1/responsibility-matrix/{id}', { params: { path: { id: row.id } } }));
      setSaved(true);
      rows.reload(true);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className="page admin-page" data-testid="admin-matrix">
      <h1>{t('adm.mx.title')}</h1>
      <p className="muted">{t('adm.mx.intro')}</p>
      <datalist id="admin-departments">
        {(departments.data?.items ?? []).map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </datalist>
      <datalist id="admin-categories">
        {(categories.data?.items ?? []).map((c) => (
          <option key={c.code} value={c.code}>
            {lang === 'zh' ? c.nameZh : c.nameEn}
          </option>
        ))}
      </datalist>
      <datalist id="admin-regions">
        {(streets.data?.items ?? []).map((s) => (
          <option key={s.code} value={s.code}>
            {s.name}
          </option>
        ))}
      </datalist>
      <RoutingPreviewPanel catName={catName} deptName={deptName} regionName={regionName} />
      {error !== null && <ErrorBox error={error} />}
      {saved && (
        <div className="notice notice-ok" role="status" data-testid="admin-notice">
          {t('adm.saved')}
        </div>
      )}
      {editing && (
        <RowForm
          key={editing.id ?? 'new'}
          row={editing}
          onCancel={() => setEditing(null)}
          onSave={async (body) => {
            setError(null);
            setSaved(false);
            try {
              await call(client.PUT('/api/v1/responsibility-matrix', { body }));
              setEditing(null);
              setSaved(true);
              rows.reload(true);
            } catch (e) {
              setError(e);
            }
          }}
        />
      )}
      <div className="filters">
        <label>
          {t('adm.mx.category')}
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">{t('adm.any')}</option>
            {(categories.data?.items ?? []).map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} {lang === 'zh' ? c.nameZh : c.nameEn}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('adm.mx.region')}
          <select value={region} onChange={(e) => setRegion(e.target.value)}>
            <option value="">{t('adm.any')}</option>
            {(streets.data?.items ?? []).map((s) => (
              <option key={s.code} value={s.code}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn"
          onClick={() =>
            setEditing({ categoryCode: category, regionCode: region, assistingDepartmentIds: [] })
          }
        >
          {t('adm.mx.edit')}
        </button>
      </div>
      <Panel
        title={
          rows.data ? t('adm.mx.shown', { shown: rows.data.items.length, total: rows.data.total }) : undefined
        }
      >
        {rows.loading && !rows.data ? (
          <Loading />
        ) : rows.error ? (
          <ErrorBox error={rows.error} onRetry={() => rows.reload()} />
        ) : rows.data?.items.length ? (
          <div className="table-wrap">
            <table className="admin-table" data-testid="matrix-table">
              <thead>
                <tr>
                  <th>{t('adm.mx.category')}</th>
                  <th>{t('adm.mx.region')}</th>
                  <th>{t('adm.mx.lead')}</th>
                  <th className="hide-narrow">{t('adm.mx.assisting')}</th>
                  <th className="hide-narrow">{t('adm.mx.police')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {rows.data.items.map((r) => (
                  <tr key={r.id} data-row={`${r.categoryCode}@${r.regionCode}`}>
                    <td>
                      <span className="mono">{r.categoryCode}</span> {catName(r.categoryCode)}
                    </td>
                    <td>{regionName(r.regionCode)}</td>
                    <td>{deptName(r.leadDepartmentId)}</td>
                    <td className="hide-narrow wrap">{r.assistingDepartmentIds.map(deptName).join('、')}</td>
                    <td className="hide-narrow">
                      {r.policeMode ? t(`adm.police.${r.policeMode}`) : t('adm.mx.policeInherit')}
                    </td>
                    <td>
                      <div className="admin-actions">
                        <button type="button" className="btn btn-small" onClick={() => setEditing(r)}>
                          {t('adm.edit')}
                        </button>
                        <button type="button" className="btn btn-small" onClick={() => void remove(r)}>
                          {t('adm.remove')}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>{t('adm.mx.none')}</Empty>
        )}
      </Panel>
    </div>
  );
}

function RowForm({
  row,
  onSave,
  onCancel,
}: {
  row: Partial<Row>;
  onSave: (body: Schemas['MatrixRowBody']) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [categoryCode, setCategoryCode] = useState(row.categoryCode ?? '');
  const [regionCode, setRegionCode] = useState(row.regionCode ?? '');
  const [lead, setLead] = useState(row.leadDepartmentId ?? '');
  const [assisting, setAssisting] = useState((row.assistingDepartmentIds ?? []).join(' '));
  const [police, setPolice] = useState<PoliceMode | ''>(row.policeMode ?? '');
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    void onSave({
      categoryCode: categoryCode.trim(),
      regionCode: regionCode.trim(),
      leadDepartmentId: lead.trim(),
      assistingDepartmentIds: splitIds(assisting),
      policeMode: police || null,
    }).finally(() => setBusy(false));
  };
  return (
    <Panel title={t('adm.mx.edit')}>
      <form className="admin-form" onSubmit={submit} data-testid="matrix-form">
        <Field label={t('adm.mx.category')} htmlFor="mx-cat" required>
          <input
            id="mx-cat"
            list="admin-categories"
            value={categoryCode}
            pattern="[0-9]{2}([0-9]{2})?"
            onChange={(e) => setCategoryCode(e.target.value)}
            required
          />
        </Field>
        <Field label={t('adm.mx.region')} htmlFor="mx-region" required>
          <input
            id="mx-region"
            list="admin-regions"
            value={regionCode}
            onChange={(e) => setRegionCode(e.target.value)}
            required
          />
        </Field>
        <Field label={t('adm.mx.lead')} htmlFor="mx-lead" required>
          <input
            id="mx-lead"
            list="admin-departments"
            value={lead}
            onChange={(e) => setLead(e.target.value)}
            required
          />
        </Field>
        <Field label={t('adm.mx.assisting')} htmlFor="mx-assist" hint={t('adm.mx.assistingHint')}>
          <input id="mx-assist" value={assisting} onChange={(e) => setAssisting(e.target.value)} />
        </Field>
        <Field label={t('adm.mx.police')} htmlFor="mx-police">
          <select
            id="mx-police"
            value={police}
            onChange={(e) => setPolice(e.target.value as PoliceMode | '')}
          >
            <option value="">{t('adm.mx.policeInherit')}</option>
            {POLICE_MODES.map((m) => (
              <option key={m} value={m}>
                {t(`adm.police.${m}`)}
              </option>
            ))}
          </select>
        </Field>
        <div className="form-buttons">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('adm.mx.set')}
          </button>{' '}
          <button type="button" className="btn" onClick={onCancel}>
            {t('adm.cancel')}
          </button>
        </div>
      </form>
    </Panel>
  );
}

function RoutingPreviewPanel({
  catName,
  deptName,
  regionName,
}: {
  catName: (code: string) => string;
  deptName: (id: string) => string;
  regionName: (code: string) => string;
}) {
  const { t } = useI18n();
  const [category, setCategory] = useState('');
  const [region, setRegion] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setPreview(null);
    try {
      setPreview(
        await call(
          client.GET('/api/v1/responsibility-matrix/preview', {
            params: { query: { category: category.trim(), region: region.trim() } },
          }),
        ),
      );
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Panel title={t('adm.mx.preview')}>
      <form className="admin-form" onSubmit={run} data-testid="matrix-preview-form">
        <Field label={t('adm.mx.category')} htmlFor="pv-cat" required>
          <input
            id="pv-cat"
            list="admin-categories"
            value={category}
            onChange={(e) => setCategory(e.target.value)}
            required
          />
        </Field>
        <Field label={t('adm.mx.region')} htmlFor="pv-region" required>
          <input
            id="pv-region"
            list="admin-regions"
            value={region}
            onChange={(e) => setRegion(e.target.value)}
            required
          />
        </Field>
        <div className="form-buttons">
          <button type="submit" className="btn btn-primary">
            {t('adm.mx.previewRun')}
          </button>
        </div>
      </form>
      {error !== null && <ErrorBox error={error} />}
      {preview && (
        <div className="notice notice-ok preview-box" role="status" data-testid="matrix-preview">
          <p>
            {t('adm.mx.previewText', {
              region: regionName(preview.regionCode),
              category: catName(preview.categoryCode),
              lead: preview.leadDepartmentId ? deptName(preview.leadDepartmentId) : t('adm.mx.noLead'),
            })}
            {preview.assistingDepartmentIds.length > 0 &&
              t('adm.mx.previewAssist', { list: preview.assistingDepartmentIds.map(deptName).join('、') })}
            {t('adm.mx.previewPolice', {
              mode: t(`adm.police.${preview.policeMode}`),
              station: preview.policeDepartmentId
                ? t('adm.mx.previewStation', { name: deptName(preview.policeDepartmentId) })
                : '',
            })}
            {t('adm.mx.previewEnd')}
          </p>
          <p>
            {t('adm.mx.previewLimits', {
              register: limitText(t, preview.limits.register),
              handle: limitText(t, preview.limits.handle),
            })}{' '}
            <span className="muted">
              {preview.matchedRule
                ? t('adm.mx.previewRule', { rule: preview.matchedRule })
                : t('adm.mx.previewNoRule')}
            </span>
          </p>
        </div>
      )}
    </Panel>
  );
}
