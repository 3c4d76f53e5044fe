import { useI18n } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { Footer, LangToggle } from '../components/Layout';

export function AboutPage() {
  const { t } = useI18n();
  const { me } = useSession();
  return (
    <div className="public-page">
      <header className="topbar">
        <Link to={me ? '/' : '/public'} className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-sub">{t('app.subtitle')}</span>
        </Link>
        <div className="topbar-right">
          <LangToggle />
        </div>
      </header>
      <main id="main" className="main about">
        <h1>{t('app.about')}</h1>
        <p>{t('app.aboutText')}</p>
        <p className="notice-synthetic">{t('app.syntheticNotice')}</p>
        <p>
          API: <a href="/docs">/docs</a> · <a href="/openapi.json">/openapi.json</a>
        </p>
      </main>
      <Footer />
    </div>
  );
}
