import { useI18n } from '../../i18n';
import type { DeadlineView, DuplicateCandidate, PoliceNotice } from '../../api/models';
import { Link } from '../../router';
import { amount, dateTime, duration, minutesUntil } from '../../lib/format';
import { actionLabel, limitLabel, stageLabel, unitHelp, unitLabel } from '../../lib/labels';
import { Panel, ProvisionalMark, StateBadge } from '../../components/ui';

/** Each stage clock of the case: its limit (with extensions), due time, and on time / late / time left. */
export function DeadlinesPanel({ deadlines, now }: { deadlines: DeadlineView[]; now: number }) {
  const { t, lang } = useI18n();
  // the legend explains the units this case's clocks count in, and 超时倍数 when one is shown
  const units = [...new Set(deadlines.map((d) => d.limit.unit))];
  const overrun = deadlines.some((d) => d.overrunMultiple > 0);
  return (
    <Panel title={t('case.deadlines')}>
      {deadlines.length === 0 ? (
        <p className="muted">—</p>
      ) : (
        <table className="mini">
          <tbody>
            {deadlines.map((d) => {
              const left = d.dueAt ? minutesUntil(d.dueAt, now) : null;
              const limit = d.limit.extension
                ? { amount: d.limit.amount + d.limit.extension, unit: d.limit.unit }
                : d.limit;
              return (
                <tr key={d.id} data-stage={d.stage}>
                  <th scope="row">{stageLabel(t, d.stage)}</th>
                  <td className="nowrap term" title={unitHelp(t, limit.unit)} data-unit={limit.unit}>
                    {limitLabel(t, limit)}
                  </td>
                  <td className="mono nowrap">
                    {d.dueAt ? dateTime(d.dueAt, lang) : '—'}
                    {d.status !== 'stopped' && d.provisional && <ProvisionalMark />}
                  </td>
                  <td className="nowrap">
                    {d.status === 'stopped' ? (
                      d.onTime === false ? (
                        <span className="chip chip-red">{t('case.late')}</span>
                      ) : (
                        <span className="chip chip-green">{t('case.onTime')}</span>
                      )
                    ) : d.status === 'paused' ? (
                      <span className="chip chip-paused">{t('case.paused')}</span>
                    ) : left !== null ? (
                      <span className={`chip chip-${d.colour}`}>
                        {left >= 0
                          ? t('wb.dueIn', { t: duration(left, lang) })
                          : t('wb.overdueBy', { t: duration(-left, lang) })}
                      </span>
                    ) : null}
                    {d.overrunMultiple > 0 && (
                      <span className="muted small term" title={t('case.overrunHelp')} data-testid="overrun">
                        {' '}
                        {t('case.overrun', { x: amount(d.overrunMultiple) })}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {deadlines.length > 0 && (
        <dl className="legend small muted" data-testid="deadline-legend">
          {units.map((u) => (
            <div key={u}>
              <dt>{unitLabel(t, u)}</dt>
              <dd>{unitHelp(t, u)}</dd>
            </div>
          ))}
          {overrun && (
            <div>
              <dt>{t('case.overrunTerm')}</dt>
              <dd>{t('case.overrunHelp')}</dd>
            </div>
          )}
        </dl>
      )}
    </Panel>
  );
}

/** Linkage notices (联动通知) to police stations, with their read receipts. */
export function PoliceNoticesPanel({ notices }: { notices: PoliceNotice[] }) {
  const { t, lang } = useI18n();
  return (
    <Panel title={t('case.police')}>
      {notices.length === 0 ? (
        <p className="muted">{t('case.noPolice')}</p>
      ) : (
        <ul className="plain-list">
          {notices.map((n) => (
            <li key={n.id} data-read={n.readAt ? 'true' : 'false'}>
              <div>
                {n.recipientName ?? '—'} <span className="muted small">· {actionLabel(t, n.kind)}</span>
              </div>
              <div className="muted small">
                {dateTime(n.createdAt, lang)} ·{' '}
                {n.readAt ? (
                  <span className="read-yes">
                    {t('case.read', { t: dateTime(n.readAt, lang) })}
                    {n.readByName ? ` · ${n.readByName}` : ''}
                  </span>
                ) : (
                  <span className="read-no">{t('case.unread')}</span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

/** Open cases of the same category nearby: possible duplicates to merge. */
export function DuplicatesPanel({ duplicates }: { duplicates: DuplicateCandidate[] }) {
  const { t } = useI18n();
  return (
    <Panel title={t('case.duplicates')}>
      {duplicates.length === 0 ? (
        <p className="muted">{t('case.noDuplicates')}</p>
      ) : (
        <ul className="plain-list">
          {duplicates.map((d) => (
            <li key={d.id}>
              <Link to={`/cases/${d.id}`} className="mono">
                {d.caseNo}
              </Link>{' '}
              <StateBadge state={d.state} />{' '}
              <span className="muted small">{t('case.distance', { d: Math.round(d.distanceM) })}</span>
              {d.description && <div className="small ellipsis-line">{d.description}</div>}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
