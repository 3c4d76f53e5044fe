import { useI18n } from '../i18n';
import '../styles/baseui.css';

/**
 * 导出 the people or units list with the filters on screen, as .xlsx or CSV (issue 12 §8). Plain links: the
 * browser streams the file straight to disk with the session cookie; the server masks it as the list and
 * audits the export.
 */
export function BaseExport({ list, filter }: { list: 'people' | 'units'; filter: Record<string, string> }) {
  const { t } = useI18n();
  const href = (format: 'xlsx' | 'csv') => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v.trim() !== '') search.set(k, v.trim());
    search.set('format', format);
    return `/api/v1/base/${list}/export?${search.toString()}`;
  };
  return (
    <div className="base-export" role="group" aria-label={t('baseui.export.label')}>
      <a className="btn btn-small" href={href('xlsx')} download data-testid={`export-${list}-xlsx`}>
        {t('baseui.export.xlsx')}
      </a>
      <a className="btn btn-small" href={href('csv')} download data-testid={`export-${list}-csv`}>
        {t('baseui.export.csv')}
      </a>
      <span className="muted small">{t('baseui.export.hint')}</span>
    </div>
  );
}
