import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { client, isApiError } from '../api/client';
import { useCall } from '../api/hooks';
import { errorMessage } from '../lib/labels';
import { Footer, LangToggle } from '../components/Layout';
import { Link } from '../router';

const DEMO_USERS = [
  'gumei.dispatcher',
  'gumei.lead',
  'gumei.patroller',
  'gumei.coordinator',
  'gumei.police',
  'gumei.station',
  'housing.handler',
  'market.handler',
  'chengguan.handler',
  'xinhong.dispatcher',
  'district.dispatcher',
  'district.lead',
  'district.leader',
  'admin',
  'citizen',
];

export function LoginPage() {
  const { t } = useI18n();
  const { login } = useSession();
  const config = useCall('map config', (signal) => client.GET('/api/v1/map/config', { signal }), {
    quiet401: true,
  });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
      // the router sends the user to ?next= or their home page
    } catch (err) {
      if (isApiError(err) && err.status === 401) setError(t('login.failed'));
      else if (isApiError(err) && err.status === 429) setError(t('login.locked'));
      else setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <div className="login-top">
        <LangToggle />
      </div>
      <main id="main" className="login-card">
        <div className="login-brand">
          <span className="brand-mark brand-mark-lg" aria-hidden="true" />
          <div>
            <div className="login-title">
              {t('app.name')} · {t('app.district')}
            </div>
            <div className="muted">{t('app.subtitle')}</div>
          </div>
        </div>
        <h1 className="sr-only">{t('login.title')}</h1>
        <form
          onSubmit={(e) => void submit(e)}
          className="form"
          aria-describedby={error ? 'login-error' : undefined}
        >
          <div className="field">
            <label htmlFor="username">{t('login.username')}</label>
            <input
              id="username"
              name="username"
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
              autoFocus
            />
          </div>
          <div className="field">
            <label htmlFor="password">{t('login.password')}</label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </div>
          {error && (
            <div id="login-error" className="error-box" role="alert">
              {error}
            </div>
          )}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? t('common.submitting') : t('login.submit')}
          </button>
        </form>
        {config.data?.demo && (
          <div className="demo-hint">
            <div>{t('login.demoHint')}</div>
            <div className="demo-users">
              {DEMO_USERS.map((u) => (
                <button
                  key={u}
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setUsername(u);
                    setPassword('liandong-demo');
                  }}
                >
                  {u}
                </button>
              ))}
            </div>
          </div>
        )}
        <p className="login-public">
          <Link to="/public">{t('login.publicLink')}</Link>
        </p>
        <p className="notice-synthetic">{t('app.syntheticNotice')}</p>
      </main>
      <Footer />
    </div>
  );
}
