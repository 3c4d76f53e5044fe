import { useEffect, useState, type ReactNode } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import { Link, useLocation } from '../router';
import { useSession } from '../session';
import { useLiveEvents } from '../api/live';
import { client } from '../api/client';
import { useCall, useThrottled } from '../api/hooks';
import { roleLabel } from '../lib/labels';
import type { Me } from '../api/models';
import { ProvisionalYearsBanner } from './ProvisionalYearsBanner';
import { AddressSearch } from './AddressSearch';

interface NavItem {
  to: string;
  label: MessageKey;
}

const DESK: NavItem[] = [
  { to: '/workbench', label: 'nav.workbench' },
  { to: '/map', label: 'nav.map' },
  { to: '/overview', label: 'nav.overview' },
  { to: '/patrols', label: 'nav.patrols' },
  { to: '/warnings', label: 'nav.warnings' },
  { to: '/screening', label: 'nav.screening' },
  { to: '/base', label: 'nav.base' },
];
/** 综合评价 (issue 14): leaders and admins. */
const EVALUATION: NavItem = { to: '/evaluation', label: 'nav.evaluation' };
const DEPT: NavItem[] = [
  { to: '/inbox', label: 'nav.inbox' },
  { to: '/map', label: 'nav.map' },
  { to: '/base', label: 'nav.base' },
];
const FIELD: NavItem[] = [
  { to: '/m/report', label: 'nav.mobileReport' },
  { to: '/m/tasks', label: 'nav.mobileTasks' },
  { to: '/m/self', label: 'nav.mobileSelf' },
  { to: '/m/screening', label: 'nav.mobileScreening' },
];

const IMPORT: NavItem = { to: '/admin/import', label: 'nav.import' };
/** 我的上报 (issue 11 §4): the cases one reported (a tab on the phone, a page on the desk). */
const MINE: NavItem = { to: '/mine', label: 'nav.mine' };
const MOBILE_MINE: NavItem = { to: '/m/mine', label: 'nav.mobileMine' };
/** 回访 (issue 14): the intake staff of a centre. */
const FOLLOW_UPS: NavItem = { to: '/follow-ups', label: 'nav.followUps' };
/** 受理台 (issue 11): a centre's dispatchers and shift leads take calls, visits and instructions. */
const INTAKE: NavItem = { to: '/desk/intake', label: 'nav.intake' };
export const mayUseDesk = (me: Me): boolean =>
  (me.role === 'dispatcher' || me.role === 'shift_lead') && me.unit.kind === 'region';

/** Base-information import: district admins, and a street's dispatchers and shift leads (the server decides). */
export const mayImport = (me: Me): boolean =>
  me.role === 'admin' ||
  ((me.role === 'dispatcher' || me.role === 'shift_lead') &&
    me.unit.kind === 'region' &&
    me.unit.level === 'street');

/** The street and district centres see warnings (the server decides; this only spares a refused request). */
export const seesWarnings = (me: Me): boolean =>
  ['dispatcher', 'shift_lead', 'leader', 'admin'].includes(me.role) &&
  me.unit.kind === 'region' &&
  (me.unit.level === 'street' || me.unit.level === 'district');

/** The pages a role works in (the server decides what each page may show). */
export function navFor(role: string, me?: Me): NavItem[] {
  switch (role) {
    case 'dispatcher':
    case 'shift_lead':
      return [DESK[0]!, INTAKE, ...DESK.slice(1), FOLLOW_UPS, ...(me && mayImport(me) ? [IMPORT] : [])];
    case 'admin':
      // every administration page sits under one entry, with its own sub-navigation (pages/admin/AdminNav)
      return [...DESK, EVALUATION, { to: '/admin', label: 'nav.admin' }];
    case 'leader':
      return [DESK[2]!, EVALUATION, DESK[0]!, DESK[1]!, DESK[3]!];
    case 'dept_lead':
      return [...DEPT, EVALUATION];
    case 'dept_handler':
    case 'police':
      return DEPT;
    case 'station_operator':
      // the committee work station does intake for its committee (小事不出居村) and reports too
      return [DESK[0]!, DESK[1]!, FOLLOW_UPS, { to: '/m/report', label: 'nav.mobileReport' }, MINE];
    case 'patroller':
      // reporting stays the first page (a patroller's home); the patrol screen is next to it
      return [
        FIELD[0]!,
        { to: '/m/patrol', label: 'nav.mobilePatrol' },
        FIELD[1]!,
        MOBILE_MINE,
        FIELD[2]!,
        FIELD[3]!,
      ];
    case 'coordinator':
      return [...FIELD.slice(0, 2), MOBILE_MINE, ...FIELD.slice(2)];
    default:
      return [{ to: '/public', label: 'nav.public' }, MINE];
  }
}

export const homeFor = (me: Me): string => navFor(me.role)[0]!.to;

/** The groups of the desk roles' side navigation, in this order; a page not listed goes to its own group. */
const GROUP_OF: Record<string, MessageKey> = {
  '/workbench': 'nav.group.cases',
  '/desk/intake': 'nav.group.cases',
  '/inbox': 'nav.group.cases',
  '/follow-ups': 'nav.group.cases',
  '/m/report': 'nav.group.cases',
  '/map': 'nav.group.situation',
  '/overview': 'nav.group.situation',
  '/patrols': 'nav.group.proactive',
  '/warnings': 'nav.group.proactive',
  '/screening': 'nav.group.proactive',
  '/base': 'nav.group.base',
  '/admin/import': 'nav.group.base',
  '/evaluation': 'nav.group.evaluation',
  '/admin': 'nav.group.admin',
};
const GROUP_ORDER: MessageKey[] = [
  'nav.group.cases',
  'nav.group.situation',
  'nav.group.proactive',
  'nav.group.base',
  'nav.group.evaluation',
  'nav.group.admin',
];

export interface NavGroup {
  label: MessageKey;
  items: NavItem[];
}

/**
 * A desk role's pages in groups (案件 / 态势 / 主动发现 / 基础数据 / 考评 / 系统): a dispatcher has ten
 * entries, which no longer fit one header line. The role's home page stays first in its group.
 */
export function navGroupsFor(items: readonly NavItem[]): NavGroup[] {
  const groups = new Map<MessageKey, NavItem[]>();
  for (const item of items) {
    const label = GROUP_OF[item.to] ?? item.label;
    const list = groups.get(label) ?? [];
    if (!list.some((i) => i.to === item.to)) list.push(item);
    groups.set(label, list);
  }
  const rank = (k: MessageKey) => {
    const i = GROUP_ORDER.indexOf(k);
    return i < 0 ? GROUP_ORDER.length : i;
  };
  return [...groups.entries()]
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([label, list]) => ({ label, items: list }));
}
export const isFieldRole = (role: string) => role === 'patroller' || role === 'coordinator';

export function LangToggle() {
  const { lang, setLang, t } = useI18n();
  return (
    <button
      type="button"
      className="btn btn-ghost lang-toggle"
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
      aria-label={t('app.language')}
      lang={lang === 'zh' ? 'en' : 'zh-CN'}
    >
      {t('app.switchLang')}
    </button>
  );
}

export function Footer() {
  const { t } = useI18n();
  return (
    <footer className="footer">
      <span>{t('footer.synthetic')}</span>
      <span aria-hidden="true">·</span>
      <Link to="/about">{t('app.about')}</Link>
      <span aria-hidden="true">·</span>
      <span>{t('footer.openSource')}</span>
    </footer>
  );
}

/** The bell: unread notifications of me and my unit, refreshed on live events. */
function Bell() {
  const { t } = useI18n();
  const { path } = useLocation();
  const unread = useCall('unread notifications', (signal) =>
    client.GET('/api/v1/notifications', { params: { query: { unread: true, limit: 1 } }, signal }),
  );
  const refresh = useThrottled(() => unread.reload(true), 1500);
  useLiveEvents(() => refresh());
  useEffect(() => {
    const id = setInterval(() => unread.reload(true), 60_000);
    return () => clearInterval(id);
  }, [unread.reload]);
  const n = unread.data?.unreadCount ?? 0;
  useEffect(() => {
    if (path === '/notifications') refresh();
  }, [path, refresh]);
  return (
    <Link
      to="/notifications"
      className="bell"
      aria-label={t('notif.bell', { n })}
      title={t('notif.bell', { n })}
      data-testid="bell"
    >
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
        />
      </svg>
      {n > 0 && <span className="bell-count">{n > 99 ? '99+' : n}</span>}
    </Link>
  );
}

/** The count of new warnings beside 预警 in the menu, re-read when a warning event arrives (issue 13). */
function WarningBadge() {
  const { t } = useI18n();
  const fresh = useCall('new warnings', (signal) =>
    client.GET('/api/v1/warnings', { params: { query: { state: 'new', limit: 1 } }, signal }),
  );
  const refresh = useThrottled(() => fresh.reload(true), 1000);
  useLiveEvents((e) => {
    if (e.type === 'warning') refresh();
  });
  const n = fresh.data?.total ?? 0;
  if (n === 0) return null;
  return (
    <span className="nav-badge" data-testid="warning-badge" title={t('warnings.badge', { n })}>
      {n > 99 ? '99+' : n}
    </span>
  );
}

function LiveIndicator() {
  const { t } = useI18n();
  const connected = useLiveEvents(() => undefined);
  return (
    <span className={`live ${connected ? 'live-on' : 'live-off'}`} role="status" data-testid="live-indicator">
      <span className="live-dot" aria-hidden="true" />
      <span className="live-text">{connected ? t('app.live') : t('app.offline')}</span>
    </span>
  );
}

export function Layout({ children, wide }: { children: ReactNode; wide?: boolean }) {
  const { t } = useI18n();
  const { me, logout } = useSession();
  const { path } = useLocation();
  const field = me ? isFieldRole(me.role) : false;
  const items = me ? navFor(me.role, me) : [];
  // desk roles get the grouped side navigation (a drawer behind 菜单 on a phone); field roles the tab bar
  const side = !field && items.length > 1;
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  useEffect(() => {
    if (!menuOpen) return;
    const close = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setMenuOpen(false);
    };
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [menuOpen]);
  return (
    <div className={`shell ${field ? 'shell-mobile' : ''}`}>
      <a className="skip" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <Link to={me ? homeFor(me) : '/'} className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-sub">{t('app.subtitle')}</span>
        </Link>
        {!field && !side && items.length > 0 && (
          // one page (a citizen's): a plain link in the bar
          <nav aria-label={t('nav.menu')} className="topnav">
            {items.map((i) => (
              <Link key={i.to} to={i.to} aria-current={path.startsWith(i.to) ? 'page' : undefined}>
                {t(i.label)}
              </Link>
            ))}
          </nav>
        )}
        {side && (
          <button
            type="button"
            className="btn btn-ghost menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="sidenav"
            onClick={() => setMenuOpen((o) => !o)}
            data-testid="menu-toggle"
          >
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
              <path fill="currentColor" d="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z" />
            </svg>
            <span>{menuOpen ? t('nav.close') : t('nav.open')}</span>
          </button>
        )}
        {me && !field && me.role !== 'citizen' && <AddressSearch />}
        <div className="topbar-right">
          {me && <LiveIndicator />}
          {me && <Bell />}
          <LangToggle />
          {me && (
            <Link
              to="/account"
              className="who"
              title={`${me.username} · ${t('account.title')}`}
              aria-current={path === '/account' ? 'page' : undefined}
              data-testid="account-link"
            >
              <span className="who-name">{me.displayName}</span>
              <span className="who-role">{roleLabel(t, me.role)}</span>
            </Link>
          )}
          {me && (
            // phones hide the name: the same way to 账号与安全, as an icon
            <Link
              to="/account"
              className="account-icon"
              aria-label={t('account.title')}
              title={t('account.title')}
            >
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path
                  fill="currentColor"
                  d="M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9Zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5Z"
                />
              </svg>
            </Link>
          )}
          {me && (
            <button type="button" className="btn btn-ghost" onClick={() => void logout()}>
              {t('nav.logout')}
            </button>
          )}
        </div>
      </header>
      <div className={side ? 'shell-body' : 'shell-body shell-body-plain'}>
        {side && (
          <nav
            id="sidenav"
            aria-label={t('nav.menu')}
            className={`sidenav ${menuOpen ? 'sidenav-open' : ''}`}
            data-testid="sidenav"
          >
            {navGroupsFor(items).map((g) => (
              <div key={g.label} className="nav-group" role="group" aria-label={t(g.label)}>
                <div className="nav-group-title" aria-hidden="true">
                  {t(g.label)}
                </div>
                {g.items.map((i) => (
                  <Link
                    key={i.to}
                    to={i.to}
                    className={path.startsWith(i.to) ? 'active' : ''}
                    aria-current={path.startsWith(i.to) ? 'page' : undefined}
                  >
                    {t(i.label)}
                    {i.to === '/warnings' && me && seesWarnings(me) && <WarningBadge />}
                  </Link>
                ))}
              </div>
            ))}
          </nav>
        )}
        {side && menuOpen && (
          <div className="sidenav-backdrop" aria-hidden="true" onClick={() => setMenuOpen(false)} />
        )}
        <main id="main" className={wide ? 'main main-wide' : 'main'} tabIndex={-1}>
          {me && !field && <ProvisionalYearsBanner admin={me.role === 'admin'} />}
          {children}
        </main>
      </div>
      {field && (
        <nav aria-label={t('nav.menu')} className="tabbar">
          {items.map((i) => (
            <Link
              key={i.to}
              to={i.to}
              className={path.startsWith(i.to) ? 'active' : ''}
              aria-current={path.startsWith(i.to) ? 'page' : undefined}
            >
              {t(i.label)}
            </Link>
          ))}
        </nav>
      )}
      {!field && <Footer />}
    </div>
  );
}
