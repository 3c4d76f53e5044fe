import { useState, type FormEvent } from 'react';
import { call, client, isApiError } from '../api/client';
import { useCall } from '../api/hooks';
import { LangToggle } from '../components/Layout';
import { ErrorBox, Field, Loading, Panel } from '../components/ui';
import { useI18n, type MessageKey } from '../i18n';
import { dateTime } from '../lib/format';
import { errorMessage } from '../lib/labels';
import { useMe, useSession } from '../session';

const MIN_LENGTH = 10;

/** What a refused new password broke (`rule` of reason `weak_password`), in the user's language. */
const RULE_MESSAGE: Record<string, MessageKey> = {
  length: 'account.rule.length',
  username: 'account.rule.username',
  guessable: 'account.rule.guessable',
  unchanged: 'account.rule.unchanged',
};

/** 修改密码: current, new, repeat. On success the caller decides where to go (`onChanged`). */
export function ChangePasswordForm({ onChanged }: { onChanged: () => void | Promise<void> }) {
  const { t } = useI18n();
  const me = useMe();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    if (next !== repeat) return setError(t('account.mismatch'));
    if (next.length < MIN_LENGTH) return setError(t('account.rule.length'));
    setBusy(true);
    try {
      await call(
        client.POST('/api/v1/me/password', { body: { currentPassword: current, newPassword: next } }),
      );
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
      await onChanged();
    } catch (err) {
      const rule = isApiError(err) ? err.problem.rule : undefined;
      if (
        isApiError(err) &&
        err.problem.reason === 'weak_password' &&
        typeof rule === 'string' &&
        RULE_MESSAGE[rule]
      )
        setError(t(RULE_MESSAGE[rule]));
      else if (isApiError(err) && err.status === 429) setError(t('login.locked'));
      else setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="form" aria-describedby="password-rules">
      <input type="text" name="username" autoComplete="username" value={me.username} readOnly hidden />
      <Field label={t('account.current')} htmlFor="current-password" required>
        <input
          id="current-password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          required
        />
      </Field>
      <Field label={t('account.new')} htmlFor="new-password" required>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          minLength={MIN_LENGTH}
          maxLength={256}
          required
        />
      </Field>
      <Field label={t('account.repeat')} htmlFor="repeat-password" required>
        <input
          id="repeat-password"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          required
        />
      </Field>
      <p id="password-rules" className="hint">
        {t('account.rules', { min: MIN_LENGTH })}
      </p>
      {error && (
        <div className="error-box" role="alert">
          {error}
        </div>
      )}
      {done && (
        <div className="ok-box" role="status">
          {t('account.changed')}
        </div>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? t('common.submitting') : t('account.change')}
      </button>
    </form>
  );
}

/** A short name for a browser's user agent (Chrome · Linux); the full string stays in the title. */
export function deviceOf(userAgent: string | null): string {
  if (!userAgent) return '—';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /MicroMessenger/.test(userAgent)
        ? 'WeChat'
        : /Chrom(e|ium)\//.test(userAgent)
          ? 'Chrome'
          : /Safari\//.test(userAgent)
            ? 'Safari'
            : userAgent.split(/[\s/]/)[0]!;
  const os = /iPhone|iPad/.test(userAgent)
    ? 'iOS'
    : /Android/.test(userAgent)
      ? 'Android'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'macOS'
          : /Linux|X11/.test(userAgent)
            ? 'Linux'
            : null;
  return os ? `${browser} · ${os}` : browser;
}

/** 登录设备: one's active sessions, with sign-out of one or of all the others. */
function Sessions() {
  const { t, lang } = useI18n();
  const { logout } = useSession();
  const list = useCall('my sessions', (signal) => client.GET('/api/v1/me/sessions', { signal }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);

  const act = async (run: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setMessage(await run());
      list.reload(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const signOut = (id: string, current: boolean) =>
    act(async () => {
      await call(client.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id } } }));
      if (current) await logout();
      return t('account.sessionEnded');
    });
  const signOutOthers = () =>
    act(async () => {
      const { revoked } = await call(client.POST('/api/v1/me/sessions/revoke-others'));
      return t('account.othersEnded', { n: revoked });
    });

  const items = list.data?.items ?? [];
  const others = items.filter((s) => !s.current).length;
  return (
    <Panel
      title={t('account.sessions')}
      actions={
        <button
          type="button"
          className="btn"
          disabled={busy || others === 0}
          onClick={() => void signOutOthers()}
        >
          {t('account.signOutOthers')}
        </button>
      }
    >
      {list.loading && !list.data && <Loading />}
      {list.error !== undefined && list.error !== null && (
        <ErrorBox error={list.error} onRetry={() => list.reload()} />
      )}
      {error !== null && <ErrorBox error={error} />}
      {message && (
        <div className="ok-box" role="status">
          {message}
        </div>
      )}
      {list.data && (
        <ul className="session-list" data-testid="sessions">
          {items.map((s) => (
            <li key={s.id} className="session-item">
              <div className="session-main">
                <strong title={s.userAgent ?? undefined}>{deviceOf(s.userAgent)}</strong>
                {s.current && <span className="badge">{t('account.thisSession')}</span>}
                <div className="muted">
                  {t('account.sessionMeta', {
                    address: s.address ?? '—',
                    created: dateTime(s.createdAt, lang),
                    seen: dateTime(s.lastSeenAt, lang),
                  })}
                </div>
              </div>
              <button
                type="button"
                className="btn btn-ghost"
                disabled={busy}
                onClick={() => void signOut(s.id, s.current)}
              >
                {s.current ? t('nav.logout') : t('account.signOut')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

/** 账号与安全: change one's password and see where one is signed in. */
export function AccountPage() {
  const { t } = useI18n();
  const me = useMe();
  return (
    <div className="page-narrow">
      <h1>{t('account.title')}</h1>
      <p className="muted">
        {me.displayName} · {me.username}
      </p>
      <Panel title={t('account.password')}>
        <ChangePasswordForm onChanged={() => undefined} />
      </Panel>
      <Sessions />
    </div>
  );
}

/**
 * The forced change (after an admin reset or a generated first password): until it is done the API
 * answers nothing else, so this page stands alone — no navigation, no live stream, no notifications.
 */
export function ForcedPasswordPage({ onChanged }: { onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const { logout } = useSession();
  return (
    <div className="login-page">
      <div className="login-top">
        <LangToggle />
      </div>
      <main id="main" className="login-card">
        <h1>{t('account.forcedTitle')}</h1>
        <p className="muted">{t('account.forcedText')}</p>
        <ChangePasswordForm onChanged={onChanged} />
        <p className="login-public">
          <button type="button" className="link-button" onClick={() => void logout()}>
            {t('nav.logout')}
          </button>
        </p>
      </main>
    </div>
  );
}
