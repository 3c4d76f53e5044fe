import { useI18n } from '../../i18n';
import type { CaseEvent } from '../../api/types';
import { useReference } from '../../session';
import { dateTime, duration } from '../../lib/format';
import { actionLabel, limitLabel, roleLabel, stageLabel, stateLabel } from '../../lib/labels';
import { attachmentUrl } from '../../components/PhotoInput';

// payload fields worth showing on the record, in this order
const TEXT_FIELDS = ['reason', 'result', 'feedback', 'ruling', 'text', 'note', 'description'] as const;

function actorOf(e: CaseEvent): { name: string; role?: string; unit?: string | null } {
  const a = e.actor;
  return {
    name: a?.displayName ?? a?.name ?? e.actorName ?? a?.username ?? '—',
    role: a?.role ?? e.actorRole ?? undefined,
    unit: a?.unitName ?? e.unitName ?? null,
  };
}

/** The full record of a case: who did what, when, and how long the step took against its limit. */
export function Timeline({ events }: { events: CaseEvent[] }) {
  const { t, lang } = useI18n();
  const ref = useReference();
  if (!events.length) return <p className="muted">{t('case.timelineEmpty')}</p>;
  return (
    <ol className="timeline">
      {events.map((e) => {
        const actor = actorOf(e);
        const payload = e.payload ?? {};
        const photos = [...((payload.photos as string[] | undefined) ?? []), ...((payload.afterPhotos as string[] | undefined) ?? [])];
        const lead = payload.leadDepartmentId as string | undefined;
        const assisting = (payload.assistingDepartmentIds as string[] | undefined) ?? [];
        const limitText = e.limit ? limitLabel(t, e.limit) : e.limitMinutes ? duration(e.limitMinutes, lang) : null;
        return (
          <li key={String(e.id)} className={`tl-item ${e.onTime === false ? 'tl-late' : ''}`} data-action={e.action}>
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
                {actor.name}
                {actor.role && <span className="muted"> · {roleLabel(t, actor.role)}</span>}
                {actor.unit && <span className="muted"> · {actor.unit}</span>}
              </div>
              {(e.usedMinutes !== null && e.usedMinutes !== undefined) || e.onTime !== undefined ? (
                <div className="tl-clock">
                  {e.stage && <span className="muted">{stageLabel(t, e.stage)} </span>}
                  {e.usedMinutes !== null && e.usedMinutes !== undefined && (
                    <span>
                      {limitText
                        ? t('case.used', { used: duration(e.usedMinutes, lang), limit: limitText })
                        : t('case.usedOnly', { used: duration(e.usedMinutes, lang) })}
                    </span>
                  )}
                  {e.onTime === true && <span className="chip chip-green">{t('case.onTime')}</span>}
                  {e.onTime === false && <span className="chip chip-red">{t('case.late')}</span>}
                </div>
              ) : null}
              {lead && (
                <div className="tl-text">
                  {t('form.leadDept')}：{ref?.departmentById.get(lead)?.name ?? lead}
                  {assisting.length > 0 && (
                    <>
                      {'；'}
                      {t('form.assistDepts')}：{assisting.map((id) => ref?.departmentById.get(id)?.name ?? id).join('、')}
                    </>
                  )}
                </div>
              )}
              {TEXT_FIELDS.filter((k) => typeof payload[k] === 'string' && payload[k]).map((k) => (
                <div key={k} className="tl-text">
                  {String(payload[k])}
                </div>
              ))}
              {typeof payload.passed === 'boolean' && <div className="tl-text">{payload.passed ? t('form.pass') : t('form.fail')}</div>}
              {typeof payload.confirmed === 'boolean' && (
                <div className="tl-text">{payload.confirmed ? t('form.confirmTrue') : t('form.confirmFalse')}</div>
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
