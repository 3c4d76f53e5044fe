import { useI18n } from '../i18n';
import type { CaseSummary } from '../api/models';
import { Link, navigate } from '../router';
import { useReference } from '../session';
import { deadlineColour, shortDateTime } from '../lib/format';
import { sourceLabel } from '../lib/labels';
import { DeadlineChip, StateBadge } from './ui';

export function categoryName(
  c: Pick<CaseSummary, 'categoryCode'>,
  pick: (zh: string, en: string) => string,
  byCode?: Map<string, { nameZh: string; nameEn: string }>,
): string {
  if (!c.categoryCode) return '—';
  const cat = byCode?.get(c.categoryCode);
  return cat ? pick(cat.nameZh, cat.nameEn) : c.categoryCode;
}

/** 街镇 · 居村 from the reference names (the list carries codes only). */
export function placeName(
  c: Pick<CaseSummary, 'streetCode' | 'committeeCode' | 'address'>,
  names?: Map<string, string>,
): string {
  const parts = [c.streetCode, c.committeeCode]
    .map((code) => (code ? names?.get(code) : undefined))
    .filter(Boolean);
  return parts.length ? parts.join(' · ') : (c.address ?? '—');
}

/** A dense, urgency-coloured list of cases; a row opens the case (mouse or keyboard). */
export function CaseTable({
  items,
  now,
  highlight,
  columns = ['number', 'category', 'place', 'state', 'deadline', 'source', 'dept', 'reported', 'description'],
}: {
  items: CaseSummary[];
  now: number;
  highlight?: Set<string>;
  columns?: (
    'number' | 'category' | 'place' | 'state' | 'deadline' | 'source' | 'dept' | 'reported' | 'description'
  )[];
}) {
  const { t, pick, lang } = useI18n();
  const ref = useReference();
  const has = (c: string) => columns.includes(c as never);
  return (
    <div className="table-wrap">
      <table className="cases">
        <thead>
          <tr>
            <th className="col-dot" aria-label={t('wb.col.deadline')} />
            {has('number') && <th>{t('wb.col.number')}</th>}
            {has('category') && <th>{t('wb.col.category')}</th>}
            {has('place') && <th>{t('wb.col.place')}</th>}
            {has('state') && <th>{t('wb.col.state')}</th>}
            {has('deadline') && <th>{t('wb.col.deadline')}</th>}
            {has('source') && <th>{t('wb.col.source')}</th>}
            {has('dept') && <th>{t('wb.col.dept')}</th>}
            {has('reported') && <th>{t('wb.col.reported')}</th>}
            {has('description') && <th className="col-desc">{t('wb.col.description')}</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((c) => {
            const colour = deadlineColour(c, now);
            const dept = c.leadDepartmentId
              ? (ref?.departmentById.get(c.leadDepartmentId)?.name ?? c.leadDepartmentId)
              : null;
            return (
              <tr
                key={c.id}
                className={`row-${colour ?? 'none'} ${highlight?.has(c.id) ? 'row-new' : ''}`}
                data-case-number={c.caseNo}
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('a')) return;
                  navigate(`/cases/${c.id}`);
                }}
              >
                <td className="col-dot">
                  <span className={`bar bar-${colour ?? 'none'}`} />
                </td>
                {has('number') && (
                  <td className="mono nowrap">
                    <Link to={`/cases/${c.id}`}>{c.caseNo}</Link>
                    {c.urgency === 'urgent' && <span className="tag tag-urgent">{t('urgency.urgent')}</span>}
                    {c.supervised && <span className="tag tag-supervised">{t('case.supervised')}</span>}
                  </td>
                )}
                {has('category') && <td className="nowrap">{categoryName(c, pick, ref?.categoryByCode)}</td>}
                {has('place') && <td className="nowrap">{placeName(c, ref?.regionName)}</td>}
                {has('state') && (
                  <td>
                    <StateBadge state={c.state} />
                  </td>
                )}
                {has('deadline') && (
                  <td className="nowrap">
                    <DeadlineChip c={c} now={now} />
                  </td>
                )}
                {has('source') && <td className="nowrap">{sourceLabel(t, c.source)}</td>}
                {has('dept') && <td className="nowrap">{dept ?? '—'}</td>}
                {has('reported') && <td className="nowrap mono">{shortDateTime(c.reportedAt, lang)}</td>}
                {has('description') && <td className="col-desc ellipsis">{c.description}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
