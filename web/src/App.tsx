import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { I18nProvider, useI18n } from './i18n';
import { LiveProvider } from './api/live';
import { SessionProvider, useSession } from './session';
import { match, navigate, useLocation } from './router';
import { homeFor, Layout } from './components/Layout';
import { Loading } from './components/ui';
import { LoginPage } from './pages/LoginPage';
import { WorkbenchPage } from './pages/WorkbenchPage';
import { CaseDetailPage } from './pages/CaseDetailPage';
import { InboxPage } from './pages/InboxPage';
import { ReportPage } from './pages/mobile/ReportPage';
import { TasksPage } from './pages/mobile/TasksPage';
import { PublicPage } from './pages/PublicPage';
import { AboutPage } from './pages/AboutPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { CalendarImportPage } from './pages/CalendarImportPage';
import { AccountPage, ForcedPasswordPage } from './pages/AccountPage';

// the map and chart libraries are large; load them with the pages that need them
const MapPage = lazy(() => import('./pages/MapPage'));
const OverviewPage = lazy(() => import('./pages/OverviewPage'));

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <Layout>
      <h1>{t('error.pageNotFound')}</h1>
    </Layout>
  );
}

function Routes() {
  const { me, refresh } = useSession();
  const { path, search } = useLocation();

  // pages that need no sign-in
  if (path === '/public' || path.startsWith('/public/')) return <PublicPage />;
  if (path === '/about') return <AboutPage />;

  if (me === undefined) return <Loading />;
  if (me === null) {
    if (path !== '/login')
      return <Redirect to={`/login?next=${encodeURIComponent(path + location.search)}`} />;
    return <LoginPage />;
  }
  const next = search.get('next');
  const safeNext = next && next.startsWith('/') && !next.startsWith('//') ? next : null;
  // after an admin reset or a generated first password the API answers nothing but me, change password
  // and logout: every page is the change-password page until it is done, then the user goes on
  if (me.mustChangePassword) {
    if (path !== '/account') {
      const back = path === '/login' || path === '/' ? safeNext : path + location.search;
      return <Redirect to={`/account${back ? `?next=${encodeURIComponent(back)}` : ''}`} />;
    }
    return (
      <ForcedPasswordPage
        onChanged={async () => {
          await refresh();
          navigate(safeNext ?? '/', { replace: true });
        }}
      />
    );
  }
  if (path === '/login' || path === '/') {
    return <Redirect to={safeNext ?? homeFor(me)} />;
  }

  let page: ReactNode;
  let wide = false;
  let params: Record<string, string> | null;
  if (path === '/workbench') page = <WorkbenchPage />;
  else if ((params = match('/cases/:id', path))) page = <CaseDetailPage id={params.id!} />;
  else if (path === '/map') {
    page = <MapPage />;
    wide = true;
  } else if (path === '/inbox') page = <InboxPage />;
  else if (path === '/overview') page = <OverviewPage />;
  else if (path === '/m/report') page = <ReportPage mode="report" />;
  else if (path === '/m/self') page = <ReportPage mode="self" />;
  else if (path === '/m/tasks') page = <TasksPage />;
  else if (path === '/notifications') page = <NotificationsPage />;
  else if (path === '/account') page = <AccountPage />;
  else if (path === '/admin/calendar' && me.role === 'admin') page = <CalendarImportPage />;
  else return <NotFound />;

  return (
    <Layout wide={wide}>
      <Suspense fallback={<Loading />}>{page}</Suspense>
    </Layout>
  );
}

function Live({ children }: { children: ReactNode }) {
  const { me } = useSession();
  return <LiveProvider enabled={!!me && !me.mustChangePassword}>{children}</LiveProvider>;
}

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Live>
          <Routes />
        </Live>
      </SessionProvider>
    </I18nProvider>
  );
}
