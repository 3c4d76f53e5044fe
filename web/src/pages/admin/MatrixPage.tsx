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
  // disabled departments too: rows naming one show it, marked; the pickers offer only enabled ones
  const departments = useCall('admin matrix departments', (signal) =>
    client.GET('/api/v1/departments', { params: { query: { includeDisabled: true } }, signal }),
  );
  const streets = useCall('admin matrix streets', (signal) =>
    client.GET('/api/v1/regions', { params: { query: { level: 'street' } }, signal }),
  );
  const district = useCall('admin matrix district', (signal) =>
    client.GET('/api/v1/regions', { params: { query: { level: 'district' } }, signal }),
  );
  const places = useMemo(
    () => [...(district.data?.items ?? []), ...(streets.data?.items ?? [])],
    [district.data, streets.data],
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
    for (const d of departments.data?.items ?? [])
      m.set(d.id, d.active ? d.name : `${d.name}${t('adm.mx.disabledDept')}`);
    return (id: string) => m.get(id) ?? id;
  }, [departments.data, t]);
  const regionName = useMemo(() => {
    const m = new Map<string, string>();
    for (const s of places) m.set(s.code, s.name);
    return (code: string) => m.get(code) ?? code;
  }, [places]);

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
      <RoutingPreviewPanel
        catName={catName}
        deptName={deptName}
        regionName={regionName}
        categories={categories.data?.items ?? []}
        places={places}
      />
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
          categories={categories.data?.items ?? []}
          departments={departments.data?.items ?? []}
          places={places}
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

type Category = Schemas['Category'];
type Department = Schemas['Department'];
type Region = Pick<Schemas['RegionSummary'], 'code' | 'name'>;

/** Categories as a select: 大类 as option groups, each with itself and its 小类. */
function CategoryOptions({ categories }: { categories: readonly Category[] }) {
  const { lang } = useI18n();
  const name = (c: Category) => `${c.code} ${lang === 'zh' ? c.nameZh : c.nameEn}`;
  const majors = categories.filter((c) => c.code.length === 2);
  return (
    <>
      {majors.map((m) => (
        <optgroup key={m.code} label={name(m)}>
          <option value={m.code}>{name(m)}</option>
          {categories
            .filter((c) => c.code.length === 4 && c.code.startsWith(m.code))
            .map((c) => (
              <option key={c.code} value={c.code}>
                {name(c)}
              </option>
            ))}
        </optgroup>
      ))}
    </>
  );
}

/** A territory picker: the district or a street, then (optionally) one of the street's committees. */
function TerritoryPicker({
  id,
  value,
  onChange,
  places,
}: {
  id: string;
  value: string;
  onChange: (code: string) => void;
  places: readonly Region[];
}) {
  const { t } = useI18n();
  const top = value.slice(0, 9);
  const street = top.length === 9 ? top : value;
  const committees = useCall(street.length === 9 ? `admin matrix committees ${street}` : null, (signal) =>
    client.GET('/api/v1/regions', { params: { query: { level: 'committee', parent: street } }, signal }),
  );
  return (
    <div className="territory-picker">
      <select id={id} value={street} onChange={(e) => onChange(e.target.value)} required>
        <option value="">{t('adm.mx.pickStreet')}</option>
        {places.map((r) => (
          <option key={r.code} value={r.code}>
            {r.name}
          </option>
        ))}
      </select>
      {street.length === 9 && (
        <select
          id={`${id}-committee`}
          aria-label={t('adm.mx.committee')}
          value={value.length === 12 ? value : ''}
          onChange={(e) => onChange(e.target.value || street)}
        >
          <option value="">{t('adm.mx.wholeStreet')}</option>
          {(committees.data?.items ?? []).map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}

/** Departments that serve a territory: a coverage region is the territory, inside it or above it. */
const serves = (d: Department, code: string) =>
  !code || d.coverage.some((c) => c.startsWith(code) || code.startsWith(c));

function RowForm({
  row,
  onSave,
  onCancel,
  categories,
  departments,
  places,
}: {
  row: Partial<Row>;
  onSave: (body: Schemas['MatrixRowBody']) => Promise<void>;
  onCancel: () => void;
  categories: readonly Category[];
  departments: readonly Department[];
  places: readonly Region[];
}) {
  const { t } = useI18n();
  const [categoryCode, setCategoryCode] = useState(row.categoryCode ?? '');
  const [regionCode, setRegionCode] = useState(row.regionCode ?? '');
  const [lead, setLead] = useState(row.leadDepartmentId ?? '');
  const [assisting, setAssisting] = useState<string[]>(row.assistingDepartmentIds ?? []);
  const [police, setPolice] = useState<PoliceMode | ''>(row.policeMode ?? '');
  const [busy, setBusy] = useState(false);
  // enabled departments serving the territory; a disabled one already on the row stays visible, marked
  const choices = departments.filter(
    (d) => (d.active && serves(d, regionCode)) || d.id === lead || assisting.includes(d.id),
  );
  const label = (d: Department) => `${d.name}${d.active ? '' : t('adm.mx.disabledDept')}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    void onSave({
      categoryCode,
      regionCode,
      leadDepartmentId: lead,
      assistingDepartmentIds: assisting.filter((id) => id !== lead),
      policeMode: police || null,
    }).finally(() => setBusy(false));
  };
  return (
    <Panel title={t('adm.mx.edit')}>
      <form className="admin-form" onSubmit={submit} data-testid="matrix-form">
        <Field label={t('adm.mx.category')} htmlFor="mx-cat" required>
          <select id="mx-cat" value={categoryCode} onChange={(e) => setCategoryCode(e.target.value)} required>
            <option value="">{t('adm.mx.pickCategory')}</option>
            <CategoryOptions categories={categories} />
          </select>
        </Field>
        <Field label={t('adm.mx.region')} htmlFor="mx-region" required>
          <TerritoryPicker id="mx-region" value={regionCode} onChange={setRegionCode} places={places} />
        </Field>
        <Field label={t('adm.mx.lead')} htmlFor="mx-lead" required>
          <select id="mx-lead" value={lead} onChange={(e) => setLead(e.target.value)} required>
            <option value="">{t('adm.mx.pickLead')}</option>
            {choices.map((d) => (
              <option key={d.id} value={d.id}>
                {label(d)}
              </option>
            ))}
          </select>
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
        <fieldset className="wide" data-testid="mx-assisting">
          <legend>{t('adm.mx.assisting')}</legend>
          {choices.filter((d) => d.id !== lead).length === 0 ? (
            <p className="muted small">{t('adm.mx.assistingNone')}</p>
          ) : (
            <div className="check-list">
              {choices
                .filter((d) => d.id !== lead)
                .map((d) => (
                  <label key={d.id}>
                    <input
                      type="checkbox"
                      value={d.id}
                      checked={assisting.includes(d.id)}
                      onChange={(e) =>
                        setAssisting((list) =>
                          e.target.checked ? [...list, d.id] : list.filter((x) => x !== d.id),
                        )
                      }
                    />
                    {label(d)}
                  </label>
                ))}
            </div>
          )}
        </fieldset>
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
  categories,
  places,
}: {
  catName: (code: string) => string;
  deptName: (id: string) => string;
  regionName: (code: string) => string;
  categories: readonly Category[];
  places: readonly Region[];
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
            params: { query: { category, region } },
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
          <select id="pv-cat" value={category} onChange={(e) => setCategory(e.target.value)} required>
            <option value="">{t('adm.mx.pickCategory')}</option>
            <CategoryOptions categories={categories} />
          </select>
        </Field>
        <Field label={t('adm.mx.region')} htmlFor="pv-region" required>
          <TerritoryPicker id="pv-region" value={region} onChange={setRegion} places={places} />
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
