import { useState, type FormEvent } from 'react';
import { call, client } from '../../api/client';
import { useCall } from '../../api/hooks';
import type { components } from '../../api/schema';
import { Empty, ErrorBox, Field, Loading, Panel } from '../../components/ui';
import { useI18n } from '../../i18n';
import { roleLabel } from '../../lib/labels';
import { UnitOptions, formatUnitInput } from './units';

type Schemas = components['schemas'];
type User = Schemas['User'];
type Role = Schemas['Role'];

export const ROLES: Role[] = [
  'patroller',
  'coordinator',
  'station_operator',
  'police',
  'dispatcher',
  'shift_lead',
  'dept_handler',
  'dept_lead',
  'leader',
  'admin',
  'citizen',
];
const PAGE = 50;

/**
 * 用户管理 (admin): the accounts with search and filters (role, unit, disabled), create (a generated or
 * chosen initial password, changed at the first login — the API enforces it), edit name/phone/role/unit,
 * disable/enable, reset password. Every change is audited by the API.
 */
export function UsersPage() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [unit, setUnit] = useState('');
  const [showDisabled, setShowDisabled] = useState(false);
  const [offset, setOffset] = useState(0);
  const [applied, setApplied] = useState({ q: '', unit: '' });
  const key = `admin users ${applied.q}|${role}|${applied.unit}|${showDisabled}|${offset}`;
  const users = useCall(key, (signal) =>
    client.GET('/api/v1/users', {
      params: {
        query: {
          ...(applied.q ? { q: applied.q } : {}),
          ...(role ? { role } : {}),
          ...(applied.unit ? { unit: applied.unit } : {}),
          includeDisabled: showDisabled,
          limit: PAGE,
          offset,
        },
      },
      signal,
    }),
  );
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<{ text: string; password?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await fn();
      users.reload(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (u: User) =>
    run(async () => {
      const path = u.disabled ? '/api/v1/users/{id}/enable' : '/api/v1/users/{id}/disable';
      await call(client.POST(path, { params: { path: { id: u.id } } }));
      setNotice({ text: t('adm.saved') });
    });
  const reset = (u: User) => {
    if (!window.confirm(t('adm.users.resetConfirm', { name: u.displayName }))) return;
    void run(async () => {
      const r = await call(
        client.POST('/api/v1/users/{id}/reset-password', { params: { path: { id: u.id } }, body: {} }),
      );
      setNotice({
        text: t('adm.users.passwordOnce', { name: u.username }),
        ...(r.generatedPassword ? { password: r.generatedPassword } : {}),
      });
    });
  };
  const search = (e: FormEvent) => {
    e.preventDefault();
    setOffset(0);
    setApplied({ q: q.trim(), unit: unit.trim() });
  };
  const total = users.data?.total ?? 0;

  return (
    <div className="page admin-page" data-testid="admin-users">
      <h1>{t('adm.users.title')}</h1>
      <p className="muted">{t('adm.users.intro')}</p>
      <UnitOptions />
      {notice && (
        <div className="notice notice-ok" role="status" data-testid="admin-notice">
          <p>{notice.text}</p>
          {notice.password && (
            <code className="mono secret" data-testid="generated-password">
              {notice.password}
            </code>
          )}
        </div>
      )}
      {error !== null && <ErrorBox error={error} />}
      <form className="filters" onSubmit={search} role="search">
        <label className="grow">
          {t('adm.users.q')}
          <input value={q} maxLength={100} onChange={(e) => setQ(e.target.value)} data-testid="users-q" />
        </label>
        <label>
          {t('adm.users.role')}
          <select
            value={role}
            onChange={(e) => {
              setRole(e.target.value as Role | '');
              setOffset(0);
            }}
          >
            <option value="">{t('adm.any')}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(t, r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('adm.users.unit')}
          <input value={unit} list="admin-units" maxLength={80} onChange={(e) => setUnit(e.target.value)} />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={showDisabled}
            onChange={(e) => {
              setShowDisabled(e.target.checked);
              setOffset(0);
            }}
          />{' '}
          {t('adm.users.showDisabled')}
        </label>
        <button type="submit" className="btn">
          {t('adm.search')}
        </button>
      </form>
      {editing && (
        <EditUser
          user={editing}
          busy={busy}
          onCancel={() => setEditing(null)}
          onSave={(body) =>
            run(async () => {
              await call(client.PATCH('/api/v1/users/{id}', { params: { path: { id: editing.id } }, body }));
              setEditing(null);
              setNotice({ text: t('adm.saved') });
            })
          }
        />
      )}
      <Panel title={t('adm.total', { n: total })}>
        {users.loading && !users.data ? (
          <Loading />
        ) : users.error ? (
          <ErrorBox error={users.error} onRetry={() => users.reload()} />
        ) : users.data?.items.length ? (
          <div className="table-wrap">
            <table className="admin-table" data-testid="users-table">
              <thead>
                <tr>
                  <th>{t('adm.users.username')}</th>
                  <th>{t('adm.users.name')}</th>
                  <th>{t('adm.users.role')}</th>
                  <th className="hide-narrow">{t('adm.users.unit')}</th>
                  <th>{t('adm.users.status')}</th>
                  <th>{t('adm.users.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {users.data.items.map((u) => (
                  <tr key={u.id} data-user={u.username} className={editing?.id === u.id ? 'selected' : ''}>
                    <td className="mono">{u.username}</td>
                    <td>{u.displayName}</td>
                    <td>{roleLabel(t, u.role)}</td>
                    <td className="hide-narrow">{u.unitName ?? formatUnitInput(u.unit)}</td>
                    <td>
                      <span className={`tag ${u.disabled ? 'tag-muted' : 'tag-ok'}`}>
                        {u.disabled ? t('adm.users.disabled') : t('adm.users.active')}
                      </span>
                      {u.mustChangePassword && <span className="tag">{t('adm.users.mustChange')}</span>}
                    </td>
                    <td>
                      <div className="admin-actions">
                        <button type="button" className="btn btn-small" onClick={() => setEditing(u)}>
                          {t('adm.edit')}
                        </button>
                        <button
                          type="button"
                          className="btn btn-small"
                          disabled={busy}
                          onClick={() => void toggle(u)}
                        >
                          {u.disabled ? t('adm.users.enable') : t('adm.users.disable')}
                        </button>
                        <button
                          type="button"
                          className="btn btn-small"
                          disabled={busy}
                          onClick={() => reset(u)}
                        >
                          {t('adm.users.reset')}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>{t('adm.users.none')}</Empty>
        )}
        {total > PAGE && (
          <div className="admin-pager">
            <button
              type="button"
              className="btn btn-small"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE))}
            >
              {t('adm.prev')}
            </button>
            <span className="muted">
              {offset + 1}–{Math.min(offset + PAGE, total)} / {total}
            </span>
            <button
              type="button"
              className="btn btn-small"
              disabled={offset + PAGE >= total}
              onClick={() => setOffset(offset + PAGE)}
            >
              {t('adm.next')}
            </button>
          </div>
        )}
      </Panel>
      <CreateUser
        busy={busy}
        onCreate={(body) =>
          run(async () => {
            const r = await call(client.POST('/api/v1/users', { body }));
            setNotice({
              text: r.generatedPassword
                ? t('adm.users.passwordOnce', { name: r.user.username })
                : t('adm.users.created', { name: r.user.username }),
              ...(r.generatedPassword ? { password: r.generatedPassword } : {}),
            });
          })
        }
      />
    </div>
  );
}

function CreateUser({
  busy,
  onCreate,
}: {
  busy: boolean;
  onCreate: (body: Schemas['CreateUserBody']) => Promise<void>;
}) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('dispatcher');
  const [unit, setUnit] = useState('');
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onCreate({
      username: username.trim(),
      role,
      unit: unit.trim(),
      ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      ...(password ? { password } : {}),
    }).then(() => {
      setUsername('');
      setDisplayName('');
      setPassword('');
      setPhone('');
    });
  };
  return (
    <Panel title={t('adm.users.new')}>
      <form className="admin-form" onSubmit={submit} data-testid="user-create">
        <Field label={t('adm.users.username')} htmlFor="nu-username" required>
          <input
            id="nu-username"
            value={username}
            minLength={2}
            maxLength={40}
            autoComplete="off"
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </Field>
        <Field label={t('adm.users.name')} htmlFor="nu-name">
          <input
            id="nu-name"
            value={displayName}
            maxLength={100}
            onChange={(e) => setDisplayName(e.target.value)}
          />
        </Field>
        <Field label={t('adm.users.role')} htmlFor="nu-role" required>
          <select id="nu-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(t, r)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('adm.users.unit')} htmlFor="nu-unit" hint={t('adm.users.unitHint')} required>
          <input
            id="nu-unit"
            list="admin-units"
            value={unit}
            maxLength={80}
            onChange={(e) => setUnit(e.target.value)}
            required
          />
        </Field>
        <Field label={t('adm.users.phone')} htmlFor="nu-phone">
          <input id="nu-phone" value={phone} maxLength={40} onChange={(e) => setPhone(e.target.value)} />
        </Field>
        <Field label={t('adm.users.password')} htmlFor="nu-password" hint={t('adm.users.passwordHint')}>
          <input
            id="nu-password"
            type="password"
            autoComplete="new-password"
            value={password}
            maxLength={300}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <div className="form-buttons">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy || !username.trim() || !unit.trim()}
          >
            {t('adm.users.create')}
          </button>
        </div>
      </form>
    </Panel>
  );
}

function EditUser({
  user,
  busy,
  onSave,
  onCancel,
}: {
  user: User;
  busy: boolean;
  onSave: (body: Schemas['UpdateUserBody']) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState<Role>(user.role as Role);
  const [unit, setUnit] = useState(formatUnitInput(user.unit));
  const [phone, setPhone] = useState(user.phone ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onSave({ displayName: displayName.trim(), role, unit: unit.trim(), phone: phone.trim() || null });
  };
  return (
    <Panel title={t('adm.users.editTitle', { name: user.username })}>
      <form className="admin-form" onSubmit={submit} data-testid="user-edit">
        <Field label={t('adm.users.name')} htmlFor="eu-name">
          <input
            id="eu-name"
            value={displayName}
            maxLength={100}
            onChange={(e) => setDisplayName(e.target.value)}
          />
        </Field>
        <Field label={t('adm.users.role')} htmlFor="eu-role">
          <select id="eu-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(t, r)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('adm.users.unit')} htmlFor="eu-unit" hint={t('adm.users.unitHint')}>
          <input
            id="eu-unit"
            list="admin-units"
            value={unit}
            maxLength={80}
            onChange={(e) => setUnit(e.target.value)}
          />
        </Field>
        <Field label={t('adm.users.phone')} htmlFor="eu-phone">
          <input id="eu-phone" value={phone} maxLength={40} onChange={(e) => setPhone(e.target.value)} />
        </Field>
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
