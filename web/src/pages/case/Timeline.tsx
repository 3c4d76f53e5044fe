import { useI18n } from '../../i18n';
import type { CaseEvent } from '../../api/models';
import { useReference } from '../../session';
import { amount, dateTime } from '../../lib/format';
import { actionLabel, roleLabel, stageLabel, stateLabel, unitHelp, unitLabel } from '../../lib/labels';
import { attachmentUrl } from '../../components/PhotoInput';
import { EscalationEntry, foldEscalations } from './EscalationEntry';

// payload fields worth showing on the record, in this order
const TEXT_FIELDS = ['reason', 'result', 'feedback', 'ruling', 'text', 'note', 'description'] as const;

/** The full record of a case: who did what, when, and how long the step took against its limit. */
export function Timeline({ events, names }: { events: CaseEvent[]; names: Record<string, string> }) {
  const { t, lang } = useI18n();
  const ref = useReference();
  if (!events.length) return <p className="muted">{t('case.timelineEmpty')}</p>;
  const colon = lang === 'zh' ? '：' : ': ';
  // the sweeper's escalations: one entry per level, with its stage, time used vs limit and who was told
  const escalations = foldEscalations(events);
  return (
    <ol className="timeline">
      {events.map((e) => {
        if (e.escalation) {
          const records = escalations.get(e.id) ?? 1;
          return records === 0 ? null : <EscalationEntry key={String(e.id)} event={e} records={records} />;
        }
        const payload = e.payload ?? {};
        const unitKey = e.actor.unit.startsWith('dept:') ? e.actor.unit.slice(5) : e.actor.unit;
        const unitName =
          unitKey === 'none'
            ? null
            : (names[unitKey] ??
              ref?.departmentById.get(unitKey)?.name ??
              ref?.regionName.get(unitKey) ??
              null);
        const unit = e.timeUnit ? unitLabel(t, e.timeUnit) : '';
        const photos = [
          ...((payload.photos as string[] | undefined) ?? []),
          ...((payload.afterPhotos as string[] | undefined) ?? []),
        ];
        const lead = payload.leadDepartmentId as string | undefined;
        const assisting = (payload.assistingDepartmentIds as string[] | undefined) ?? [];
        return (
          <li
            key={String(e.id)}
            className={`tl-item ${e.onTime === false ? 'tl-late' : ''}`}
            data-action={e.action}
          >
            <div className="tl-marker" aria-hidden="true" />
            <div className="tl-body">
              <div className="tl-head">
                <strong className="tl-action">{actionLabel(t, e.action)}</strong>
                {e.fromState && e.toState && e.fromState !== e.toState && (
                  <span className="tl-states">
                    {stateLabel(t, e.fromState)} → {stateLabel(t, e.toState)}
                  </span>
                )}
                <time className="tl-time mono" dateTime={e.at}>
                  {dateTime(e.at, lang)}
                </time>
              </div>
              <div className="tl-actor">
                {e.actor.name ?? roleLabel(t, e.actor.role)}
                <span className="muted"> · {roleLabel(t, e.actor.role)}</span>
                {unitName && <span className="muted"> · {unitName}</span>}
              </div>
              {e.stage && (e.timeUsed !== null || e.onTime !== null) ? (
                <div className="tl-clock">
                  <span className="muted">{stageLabel(t, e.stage)}</span>
                  {e.timeUsed !== null && (
                    <span
                      className={e.timeUnit ? 'term' : undefined}
                      title={e.timeUnit ? unitHelp(t, e.timeUnit) : undefined}
                      data-unit={e.timeUnit ?? undefined}
                    >
                      {e.timeLimit !== null
                        ? t('case.used', {
                            used: `${amount(e.timeUsed)} ${unit}`,
                            limit: `${amount(e.timeLimit)} ${unit}`,
                          })
                        : t('case.usedOnly', { used: `${amount(e.timeUsed)} ${unit}` })}
                    </span>
                  )}
                  {e.onTime === true && <span className="chip chip-green">{t('case.onTime')}</span>}
                  {e.onTime === false && <span className="chip chip-red">{t('case.late')}</span>}
                </div>
              ) : null}
              {lead && (
                <div className="tl-text">
                  {t('form.leadDept')}
                  {colon}
                  {names[lead] ?? ref?.departmentById.get(lead)?.name ?? lead}
                  {assisting.length > 0 && (
                    <>
                      {lang === 'zh' ? '；' : '; '}
                      {t('form.assistDepts')}
                      {colon}
                      {assisting
                        .map((id) => names[id] ?? ref?.departmentById.get(id)?.name ?? id)
                        .join(lang === 'zh' ? '、' : ', ')}
                    </>
                  )}
                </div>
              )}
              {TEXT_FIELDS.filter((k) => typeof payload[k] === 'string' && payload[k]).map((k) => (
                <div key={k} className="tl-text">
                  {String(payload[k])}
                </div>
              ))}
              {typeof payload.passed === 'boolean' && (
                <div className="tl-text">{payload.passed ? t('form.pass') : t('form.fail')}</div>
              )}
              {typeof payload.confirmed === 'boolean' && (
                <div className="tl-text">
                  {payload.confirmed ? t('form.confirmTrue') : t('form.confirmFalse')}
                </div>
              )}
              {photos.length > 0 && (
                <div className="tl-photos">
                  {photos.map((id) => (
                    <a key={id} href={attachmentUrl(id)} target="_blank" rel="noreferrer">
                      <img src={attachmentUrl(id)} alt={t('case.photos')} loading="lazy" />
                    </a>
                  ))}
                </div>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
