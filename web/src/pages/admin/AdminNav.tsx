import type { ReactNode } from 'react';
import { useI18n, type MessageKey } from '../../i18n';
import { Link, useLocation } from '../../router';
import '../../styles/admin.css';

/** The administration pages, in the order of the sub-navigation (the header has one 管理 entry). */
export const ADMIN_PAGES: { to: string; label: MessageKey }[] = [
  { to: '/admin/users', label: 'adm.nav.users' },
  { to: '/admin/units', label: 'adm.nav.units' },
  { to: '/admin/categories', label: 'adm.nav.categories' },
  { to: '/admin/matrix', label: 'adm.nav.matrix' },
  { to: '/admin/calendar', label: 'nav.calendar' },
  { to: '/admin/audit', label: 'adm.nav.audit' },
  { to: '/admin/import', label: 'nav.import' },
  { to: '/admin/webhooks', label: 'nav.webhooks' },
  { to: '/admin/open311', label: 'nav.open311' },
];

/** An administration page under the sub-navigation (a row of tabs that scrolls by itself on a phone). */
export function AdminShell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { path } = useLocation();
  return (
    <div className="admin-shell">
      <nav className="admin-subnav" aria-label={t('adm.nav')} data-testid="admin-subnav">
        {ADMIN_PAGES.map((p) => (
          <Link
            key={p.to}
            to={p.to}
            className={path === p.to ? 'active' : ''}
            aria-current={path === p.to ? 'page' : undefined}
          >
            {t(p.label)}
          </Link>
        ))}
      </nav>
      {children}
    </div>
  );
}
