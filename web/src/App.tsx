import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { I18nProvider, useI18n } from './i18n';
import { LiveProvider } from './api/live';
import { SessionProvider, useSession } from './session';
import { match, navigate, useLocation } from './router';
import { homeFor, Layout, mayImport, mayUseDesk } from './components/Layout';
import { Loading } from './components/ui';
import { LoginPage } from './pages/LoginPage';
// small, and needed before anything else when a password must change
import { AccountPage, ForcedPasswordPage } from './pages/AccountPage';

// Each page is its own chunk, loaded when it is first opened: the map and chart libraries come only with
// the pages that draw them, and the action forms' schema checks (the published contract) only with a case.
const MapPage = lazy(() => import('./pages/MapPage'));
const OverviewPage = lazy(() => import('./pages/OverviewPage'));
const EvaluationPage = lazy(() => import('./pages/EvaluationPage'));
const ScreenPage = lazy(() => import('./pages/ScreenPage'));
const WorkbenchPage = lazy(() => import('./pages/WorkbenchPage').then((m) => ({ default: m.WorkbenchPage })));
const CaseDetailPage = lazy(() =>
  import('./pages/CaseDetailPage').then((m) => ({ default: m.CaseDetailPage })),
);
const InboxPage = lazy(() => import('./pages/InboxPage').then((m) => ({ default: m.InboxPage })));
const ReportPage = lazy(() => import('./pages/mobile/ReportPage').then((m) => ({ default: m.ReportPage })));
const TasksPage = lazy(() => import('./pages/mobile/TasksPage').then((m) => ({ default: m.TasksPage })));
const PatrolPage = lazy(() => import('./pages/patrols/PatrolPage').then((m) => ({ default: m.PatrolPage })));
const CoveragePage = lazy(() =>
  import('./pages/patrols/CoveragePage').then((m) => ({ default: m.CoveragePage })),
);
const PublicPage = lazy(() => import('./pages/PublicPage').then((m) => ({ default: m.PublicPage })));
const AboutPage = lazy(() => import('./pages/AboutPage').then((m) => ({ default: m.AboutPage })));
const NotificationsPage = lazy(() =>
  import('./pages/NotificationsPage').then((m) => ({ default: m.NotificationsPage })),
);
const AddressFilePage = lazy(() =>
  import('./pages/AddressFilePage').then((m) => ({ default: m.AddressFilePage })),
);
const BaseInfoPage = lazy(() => import('./pages/BaseInfoPage').then((m) => ({ default: m.BaseInfoPage })));
const CalendarImportPage = lazy(() =>
  import('./pages/CalendarImportPage').then((m) => ({ default: m.CalendarImportPage })),
);
const ImportPage = lazy(() => import('./pages/ImportPage').then((m) => ({ default: m.ImportPage })));

const WebhooksPage = lazy(() => import('./pages/WebhooksPage').then((m) => ({ default: m.WebhooksPage })));
const Open311ClientsPage = lazy(() =>
  import('./pages/Open311ClientsPage').then((m) => ({ default: m.Open311ClientsPage })),
);
// administration (issue 11): one 管理 entry in the header, the pages under a sub-navigation
const AdminShell = lazy(() => import('./pages/admin/AdminNav').then((m) => ({ default: m.AdminShell })));
const UsersPage = lazy(() => import('./pages/admin/UsersPage').then((m) => ({ default: m.UsersPage })));
const OrgPage = lazy(() => import('./pages/admin/OrgPage').then((m) => ({ default: m.OrgPage })));
const CategoriesPage = lazy(() =>
  import('./pages/admin/CategoriesPage').then((m) => ({ default: m.CategoriesPage })),
);
const MatrixPage = lazy(() => import('./pages/admin/MatrixPage').then((m) => ({ default: m.MatrixPage })));
const AuditPage = lazy(() => import('./pages/admin/AuditPage').then((m) => ({ default: m.AuditPage })));
const WarningsPage = lazy(() => import('./pages/WarningsPage').then((m) => ({ default: m.WarningsPage })));
const FollowUpsPage = lazy(() => import('./pages/FollowUpsPage').then((m) => ({ default: m.FollowUpsPage })));
const MyReportsPage = lazy(() =>
  import('./pages/mine/MyReportsPage').then((m) => ({ default: m.MyReportsPage })),
);
const IntakeDeskPage = lazy(() =>
  import('./pages/IntakeDeskPage').then((m) => ({ default: m.IntakeDeskPage })),
);

/** The signed-in pages a citizen has (besides the public pages above). */
const CITIZEN_PAGES = new Set(['/account', '/notifications', '/mine']);
const CampaignsPage = lazy(() =>
  import('./pages/screening/CampaignsPage').then((m) => ({ default: m.CampaignsPage })),
);
const CampaignPage = lazy(() =>
  import('./pages/screening/CampaignPage').then((m) => ({ default: m.CampaignPage })),
);
const ScreeningTasksPage = lazy(() =>
  import('./pages/screening/ScreeningTasksPage').then((m) => ({ default: m.ScreeningTasksPage })),
);

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
  if (path === '/public' || path.startsWith('/public/'))
    return (
      <Suspense fallback={<Loading />}>
        <PublicPage />
      </Suspense>
    );
  if (path === '/about')
    return (
      <Suspense fallback={<Loading />}>
        <AboutPage />
      </Suspense>
    );

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
  // a citizen never reaches a staff page by URL (issue 11 §5): workbench, case files, map, overview… lead
  // back to the citizen's own pages (the API answers them the public view only)
  if (me.role === 'citizen' && !CITIZEN_PAGES.has(path)) return <Redirect to={homeFor(me)} />;

  // 大屏: the command-centre wall, full screen without the desk's frame (issue 14)
  if (path === '/screen')
    return (
      <Suspense fallback={<Loading />}>
        <ScreenPage />
      </Suspense>
    );

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
  else if (path === '/evaluation') page = <EvaluationPage />;
  else if (path === '/m/report') page = <ReportPage mode="report" />;
  else if (path === '/m/self') page = <ReportPage mode="self" />;
  else if (path === '/m/tasks') page = <TasksPage />;
  else if (path === '/m/patrol' && me.role === 'patroller') page = <PatrolPage />;
  else if (path === '/patrols') page = <CoveragePage />;
  else if (path === '/warnings') page = <WarningsPage />;
  else if (path === '/follow-ups') page = <FollowUpsPage />;
  else if (path === '/desk/intake' && mayUseDesk(me)) page = <IntakeDeskPage />;
  else if (path === '/screening') page = <CampaignsPage />;
  else if ((params = match('/screening/:id', path))) page = <CampaignPage id={params.id!} />;
  else if (path === '/m/screening') page = <ScreeningTasksPage />;
  else if (path === '/notifications') page = <NotificationsPage />;
  // 我的上报 (issue 11 §4): the phone's tab and the desk's page
  else if (path === '/m/mine' || path === '/mine') page = <MyReportsPage />;
  else if (path === '/account') page = <AccountPage />;
  else if ((params = match('/addresses/:id', path))) page = <AddressFilePage id={params.id!} />;
  else if (path === '/base') page = <BaseInfoPage />;
  else if (path === '/admin' && me.role === 'admin') return <Redirect to="/admin/users" />;
  else if (path === '/admin/users' && me.role === 'admin') page = <UsersPage />;
  else if (path === '/admin/units' && me.role === 'admin') page = <OrgPage />;
  else if (path === '/admin/categories' && me.role === 'admin') page = <CategoriesPage />;
  else if (path === '/admin/matrix' && me.role === 'admin') page = <MatrixPage />;
  else if (path === '/admin/audit' && me.role === 'admin') page = <AuditPage />;
  else if (path === '/admin/calendar' && me.role === 'admin') page = <CalendarImportPage />;
  else if (path === '/admin/import' && mayImport(me)) page = <ImportPage />;
  else if (path === '/admin/webhooks' && me.role === 'admin') page = <WebhooksPage />;
  else if (path === '/admin/open311' && me.role === 'admin') page = <Open311ClientsPage />;
  else return <NotFound />;
  // an administrator's /admin pages sit under the administration sub-navigation
  if (me.role === 'admin' && path.startsWith('/admin/')) page = <AdminShell>{page}</AdminShell>;

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
