import { client, type Answer } from '../api/client';
import { useCall } from '../api/hooks';
import { useI18n } from '../i18n';
import { Link } from '../router';

export type CalendarYearsResponse = Answer<'/api/v1/calendar/years', 'get'>;

/**
 * Shown across the console while the current or next year's holiday schedule is provisional (only
 * statutory holidays known): deadlines that reach into it may move when the schedule is loaded.
 * Administrators get a link to the import page.
 */
export function ProvisionalYearsBanner({ admin }: { admin: boolean }) {
  const { t } = useI18n();
  const years = useCall('calendar years', (signal) => client.GET('/api/v1/calendar/years', { signal }), {
    quiet401: true,
  });
  const provisional = (years.data?.items ?? []).filter((y) => y.provisional).map((y) => y.year);
  if (provisional.length === 0) return null;
  return (
    <div className="notice notice-conflict provisional-banner" role="status" data-testid="provisional-banner">
      {t('cal.banner', { years: provisional.join('、') })}
      {admin && (
        <>
          {' '}
          <Link to="/admin/calendar">{t('cal.bannerAdmin')}</Link>
        </>
      )}
    </div>
  );
}
