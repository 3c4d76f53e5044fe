import { useMemo, useState, type FormEvent } from 'react';
import { call, client } from '../../api/client';
import { useCall } from '../../api/hooks';
import type { components } from '../../api/schema';
import type { Department, RegionSummary } from '../../api/models';
import { Empty, ErrorBox, Field, Loading, Panel } from '../../components/ui';
import { useI18n } from '../../i18n';

type DepartmentType = components['schemas']['DepartmentBody']['type'];
const TYPES: DepartmentType[] = [
  'police',
  'city_management',
  'market_regulation',
  'housing',
  'health',
  'fire',
  'ecology',
  'planning',
  'civil_affairs',
  'transport',
  'water',
  'greening',
  'sanitation',
  'emergency',
  'other',
];

/**
 * 组织与部门 (admin): the territory tree (district → streets, with their committee counts) and the
 * departments of each street or of the district with the regions they cover; create or edit a
 * department and its coverage (audited by the API).
 */
export function OrgPage() {
  const { t } = useI18n();
  // the district, its streets and committees (grids are many, and not needed here)
  const streetList = useCall('admin org streets', (signal) =>
    client.GET('/api/v1/regions', { params: { query: { level: 'street' } }, signal }),
  );
  const districtList = useCall('admin org district', (signal) =>
    client.GET('/api/v1/regions', { params: { query: { level: 'district' } }, signal }),
  );
  const committeeList = useCall('admin org committees', (signal) =>
    client.GET('/api/v1/regions', { params: { query: { level: 'committee' } }, signal }),
  );
  const regions = {
    data:
      streetList.data && districtList.data
        ? {
            items: [
              ...districtList.data.items,
              ...streetList.data.items,
              ...(committeeList.data?.items ?? []),
            ],
          }
        : undefined,
    loading: streetList.loading || districtList.loading,
    error: streetList.error ?? districtList.error,
    reload: () => {
      streetList.reload();
      districtList.reload();
    },
  };
  // the disabled ones too: an administrator re-enables them here
  const departments = useCall('admin org departments', (signal) =>
    client.GET('/api/v1/departments', { params: { query: { includeDisabled: true } }, signal }),
  );
  const setActive = async (d: Department, active: boolean) => {
    if (!active && !window.confirm(t('adm.units.disableConfirm', { name: d.name }))) return;
    setError(null);
    setSaved(false);
    try {
      await call(
        client.PATCH('/api/v1/departments/{id}', { params: { path: { id: d.id } }, body: { active } }),
      );
      setSaved(true);
      departments.reload(true);
    } catch (e) {
      setError(e);
    }
  };
  const [street, setStreet] = useState('');
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const byCode = useMemo(() => {
    const m = new Map<string, Pick<RegionSummary, 'code' | 'name'>>();
    for (const r of regions.data?.items ?? []) m.set(r.code, r);
    return m;
  }, [regions.data]);
  const district = (regions.data?.items ?? []).find((r) => r.level === 'district');
  const streets = (regions.data?.items ?? []).filter((r) => r.level === 'street');
  const committeesOf = (code: string) =>
    (regions.data?.items ?? []).filter((r) => r.level === 'committee' && r.parentCode === code).length;
  const depts = (departments.data?.items ?? []).filter((d) => !street || d.regionCode === street);
  const deptCount = (code: string) =>
    (departments.data?.items ?? []).filter((d) => d.regionCode === code).length;
  const regionName = (code: string) => byCode.get(code)?.name ?? code;

  return (
    <div className="page admin-page" data-testid="admin-units">
      <h1>{t('adm.units.title')}</h1>
      <p className="muted">{t('adm.units.intro')}</p>
      {error !== null && <ErrorBox error={error} />}
      {saved && (
        <div className="notice notice-ok" role="status" data-testid="admin-notice">
          {t('adm.saved')}
        </div>
      )}
      {editing && (
        <DepartmentForm
          key={editing === 'new' ? 'new' : editing.id}
          department={editing === 'new' ? null : editing}
          defaultSeat={street || district?.code || ''}
          onCancel={() => setEditing(null)}
          onSave={async (id, body) => {
            setError(null);
            setSaved(false);
            try {
              await call(client.PUT('/api/v1/departments/{id}', { params: { path: { id } }, body }));
              setEditing(null);
              setSaved(true);
              departments.reload(true);
            } catch (e) {
              setError(e);
            }
          }}
        />
      )}
      <Panel title={t('adm.units.tree')}>
        {regions.loading && !regions.data ? (
          <Loading />
        ) : regions.error ? (
          <ErrorBox error={regions.error} onRetry={() => regions.reload()} />
        ) : district ? (
          <ul className="org-tree" data-testid="org-tree">
            <li>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                onClick={() => setStreet(district.code)}
              >
                <strong>{district.name}</strong>
              </button>{' '}
              <span className="muted">
                {district.code} · {t('adm.units.deptCount', { n: deptCount(district.code) })}
              </span>
              <ul>
                {streets.map((s) => (
                  <li key={s.code}>
                    <button
                      type="button"
                      className={`btn btn-ghost btn-small ${street === s.code ? 'active' : ''}`}
                      aria-pressed={street === s.code}
                      onClick={() => setStreet(street === s.code ? '' : s.code)}
                    >
                      {s.name}
                    </button>{' '}
                    <span className="muted">
                      {s.code} · {t('adm.units.committees', { n: committeesOf(s.code) })} ·{' '}
                      {t('adm.units.deptCount', { n: deptCount(s.code) })}
                    </span>
                  </li>
                ))}
              </ul>
            </li>
          </ul>
        ) : (
          <Empty>—</Empty>
        )}
      </Panel>
      <Panel
        title={`${t('adm.units.departments')}${street ? ` · ${regionName(street)}` : ''}`}
        actions={
          <button type="button" className="btn btn-small btn-primary" onClick={() => setEditing('new')}>
            {t('adm.units.new')}
          </button>
        }
      >
        {departments.loading && !departments.data ? (
          <Loading />
        ) : departments.error ? (
          <ErrorBox error={departments.error} onRetry={() => departments.reload()} />
        ) : depts.length ? (
          <div className="table-wrap">
            <table className="admin-table" data-testid="departments-table">
              <thead>
                <tr>
                  <th>{t('adm.units.name')}</th>
                  <th className="hide-narrow">{t('adm.units.id')}</th>
                  <th>{t('adm.units.level')}</th>
                  <th>{t('adm.units.coverage')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {depts.map((d) => (
                  <tr
                    key={d.id}
                    data-department={d.id}
                    data-active={d.active ? 'true' : 'false'}
                    className={d.active ? '' : 'row-disabled'}
                  >
                    <td>
                      {d.name}
                      {!d.active && <span className="badge badge-muted">{t('adm.units.disabled')}</span>}
                    </td>
                    <td className="mono hide-narrow">{d.id}</td>
                    <td>{t(`adm.units.level.${d.level}`)}</td>
                    <td className="wrap">{d.coverage.map(regionName).join('、')}</td>
                    <td>
                      <div className="admin-actions">
                        <button type="button" className="btn btn-small" onClick={() => setEditing(d)}>
                          {t('adm.edit')}
                        </button>
                        <button
                          type="button"
                          className="btn btn-small"
                          data-testid={d.active ? 'department-disable' : 'department-enable'}
                          onClick={() => void setActive(d, !d.active)}
                        >
                          {d.active ? t('adm.units.disable') : t('adm.units.enable')}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>—</Empty>
        )}
      </Panel>
    </div>
  );
}

function DepartmentForm({
  department,
  defaultSeat,
  onSave,
  onCancel,
}: {
  department: Department | null;
  defaultSeat: string;
  onSave: (id: string, body: components['schemas']['DepartmentBody']) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [id, setId] = useState(department?.id ?? '');
  const [name, setName] = useState(department?.name ?? '');
  const [type, setType] = useState<DepartmentType>((department?.type as DepartmentType) ?? 'other');
  const [seat, setSeat] = useState(department?.regionCode ?? defaultSeat);
  const [coverage, setCoverage] = useState((department?.coverage ?? [defaultSeat]).join(' '));
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    void onSave(id.trim(), {
      name: name.trim(),
      type,
      level: seat.trim().length === 6 ? 'district' : 'street',
      regionCode: seat.trim(),
      coverage: coverage.split(/[\s,，、]+/).filter(Boolean),
    }).finally(() => setBusy(false));
  };
  return (
    <Panel title={department ? t('adm.units.editTitle', { name: department.name }) : t('adm.units.new')}>
      <form className="admin-form" onSubmit={submit} data-testid="department-form">
        <Field label={t('adm.units.id')} htmlFor="dp-id" required>
          <input
            id="dp-id"
            value={id}
            pattern="[a-z0-9][a-z0-9_\-]*"
            maxLength={64}
            readOnly={department !== null}
            onChange={(e) => setId(e.target.value)}
            required
          />
        </Field>
        <Field label={t('adm.units.name')} htmlFor="dp-name" required>
          <input
            id="dp-name"
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.target.value)}
            required
          />
        </Field>
        <Field label={t('adm.units.type')} htmlFor="dp-type">
          <select id="dp-type" value={type} onChange={(e) => setType(e.target.value as DepartmentType)}>
            {TYPES.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('adm.units.seat')} htmlFor="dp-seat" required>
          <input
            id="dp-seat"
            list="admin-units"
            value={seat}
            onChange={(e) => setSeat(e.target.value)}
            required
          />
        </Field>
        <div className="wide">
          <Field
            label={t('adm.units.coverage')}
            htmlFor="dp-coverage"
            hint={t('adm.units.coverageHint')}
            required
          >
            <input id="dp-coverage" value={coverage} onChange={(e) => setCoverage(e.target.value)} required />
          </Field>
        </div>
        <div className="form-buttons">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('adm.save')}
          </button>{' '}
          <button type="button" className="btn" onClick={onCancel}>
            {t('adm.cancel')}
          </button>
        </div>
      </form>
    </Panel>
  );
}
