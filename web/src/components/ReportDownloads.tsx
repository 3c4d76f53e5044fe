import { useState } from 'react';
import { useI18n } from '../i18n';
import { useMe, useReference } from '../session';
import '../styles/reports.css';

/** Query values as a URL search (arrays joined by commas, empty values dropped). */
function searchOf(query: Record<string, string | number | boolean | readonly string[] | undefined | null>) {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    s.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  return s.toString();
}

/**
 * 导出 the case list on screen (its queue and filters, the caller's scope) as .xlsx or CSV (issue 14).
 * Plain links: the browser streams the file to disk with the session cookie; the server reads the list in
 * pages while it writes, masks the reporter per role and audits the export.
 */
export function CaseExport({
  query,
}: {
  query: Record<string, string | number | boolean | readonly string[] | undefined | null>;
}) {
  const { t, lang } = useI18n();
  const { cursor: _cursor, limit: _limit, ...filters } = query;
  const href = (format: 'xlsx' | 'csv') => `/api/v1/cases/export?${searchOf({ ...filters, format, lang })}`;
  return (
    <div className="report-downloads" role="group" aria-label={t('reports.export.label')}>
      <a className="btn btn-small" href={href('xlsx')} download data-testid="export-cases-xlsx">
        {t('reports.export.xlsx')}
      </a>
      <a className="btn btn-small" href={href('csv')} download data-testid="export-cases-csv">
        {t('reports.export.csv')}
      </a>
    </div>
  );
}

/** The evaluation table (and a drill-down) as .xlsx, beside the page's CSV links. */
export function EvaluationXlsx({
  path,
  query,
}: {
  path: 'export' | 'cases/export';
  query: Record<string, string>;
}) {
  const { t, lang } = useI18n();
  return (
    <a
      className="btn"
      href={`/api/v1/evaluation/${path}.xlsx?${searchOf({ ...query, lang })}`}
      download
      data-testid={`evaluation-${path.replace('/', '-')}-xlsx`}
    >
      {t('reports.export.xlsx')}
    </a>
  );
}

/**
 * 月度报告: the monthly report PDF of the district or a street for the month shown (a month only). A district
 * leader picks the district or any street; a street leader gets their street.
 */
export function MonthlyReportLink({ period }: { period: string }) {
  const { t } = useI18n();
  const me = useMe();
  const ref = useReference();
  const district = me.unit.kind === 'region' && me.unit.level === 'district' ? me.unit.code : undefined;
  const street = me.unit.kind === 'region' && me.unit.level === 'street' ? me.unit.code : undefined;
  const [unit, setUnit] = useState<string>(district ?? street ?? '');
  if (!/^\d{4}-\d{2}$/.test(period) || (!district && !street)) return null;
  return (
    <span className="report-downloads" role="group" aria-label={t('reports.monthly.label')}>
      {district && (
        <select aria-label={t('reports.monthly.unit')} value={unit} onChange={(e) => setUnit(e.target.value)}>
          <option value={district}>{t('reports.monthly.district')}</option>
          {(ref?.streets ?? []).map((s) => (
            <option key={s.code} value={s.code}>
              {s.name}
            </option>
          ))}
        </select>
      )}
      <a
        className="btn"
        href={`/api/v1/reports/monthly?${searchOf({ period, unit })}`}
        download
        data-testid="monthly-report-pdf"
      >
        {t('reports.monthly.pdf')}
      </a>
    </span>
  );
}
