import { useI18n, type Translate } from '../../i18n';
import type { CaseEvent } from '../../api/models';
import { useReference } from '../../session';
import { amount, dateTime } from '../../lib/format';
import { roleLabel, stageLabel, unitHelp, unitLabel } from '../../lib/labels';

type Escalation = NonNullable<CaseEvent['escalation']>;
type Recipient = Escalation['notified'][number];

/**
 * Which timeline rows are the same escalation written more than once (same clock — or stage, for events
 * written before the clock was recorded —, level and deadline): the first is shown with the count, the
 * others are folded into it. Distinct levels, clocks or deadlines (an extension's new deadline) stay
 * separate entries. The event log itself is untouched.
 */
export function foldEscalations(events: readonly CaseEvent[]): Map<number, number> {
  const first = new Map<string, number>();
  const shown = new Map<number, number>(); // event id → how many records it stands for (0: folded away)
  for (const e of events) {
    if (!e.escalation) continue;
    const x = e.escalation;
    const key = `${x.clockId ?? x.stage}|${x.level}|${x.dueAt ?? ''}`;
    const at = first.get(key);
    if (at === undefined) {
      first.set(key, e.id);
      shown.set(e.id, 1);
    } else {
      shown.set(at, (shown.get(at) ?? 1) + 1);
      shown.set(e.id, 0);
    }
  }
  return shown;
}

function recipientLabel(
  t: Translate,
  r: Recipient,
  lookup: { region: (code: string) => string | undefined; department: (id: string) => string | undefined },
): string {
  switch (r.kind) {
    case 'region':
      return r.name ?? lookup.region(r.id) ?? r.id;
    case 'department': {
      const name = r.name ?? lookup.department(r.id) ?? r.id;
      return r.role ? `${name} · ${roleLabel(t, r.role)}` : name;
    }
    case 'user':
      return r.name ? `${r.name} · ${roleLabel(t, r.role)}` : roleLabel(t, r.role);
    case 'police':
      return t('esc.police');
    case 'reporters':
      return t('esc.reporters');
  }
}

/**
 * One escalation level as one timeline entry (issue 11 §6): the level and what it means, the stage whose
 * limit ran out, time used against the limit in the limit's unit, the overrun, and who was told.
 */
export function EscalationEntry({ event, records }: { event: CaseEvent; records: number }) {
  const { t, lang } = useI18n();
  const ref = useReference();
  const x = event.escalation!;
  const unit = x.unit ? unitLabel(t, x.unit) : '';
  const told = x.notified.map((r) =>
    recipientLabel(t, r, {
      region: (code) => ref?.regionName.get(code),
      department: (id) => ref?.departmentById.get(id)?.name,
    }),
  );
  return (
    <li
      className={`tl-item tl-escalation tl-level-${x.level}`}
      data-action={event.action}
      data-level={x.level}
      data-stage={x.stage}
    >
      <div className="tl-marker" aria-hidden="true" />
      <div className="tl-body">
        <div className="tl-head">
          <strong className="tl-action">{t('action.overdue_escalation')}</strong>
          <span className={`chip esc-level esc-level-${x.level}`}>{t(`esc.level.${x.level}`)}</span>
          <span className="tl-states">{t(`esc.levelName.${x.level}`)}</span>
          <time className="tl-time mono" dateTime={event.at}>
            {dateTime(event.at, lang)}
          </time>
        </div>
        <div className="tl-clock">
          <span>{t('esc.stage', { stage: stageLabel(t, x.stage) })}</span>
          {x.used !== null && (
            <span
              className={x.unit ? 'term' : undefined}
              title={x.unit ? unitHelp(t, x.unit) : undefined}
              data-unit={x.unit ?? undefined}
            >
              {x.limit !== null
                ? t('case.used', { used: `${amount(x.used)} ${unit}`, limit: `${amount(x.limit)} ${unit}` })
                : t('case.usedOnly', { used: `${amount(x.used)} ${unit}` })}
            </span>
          )}
          {x.overrunMultiple !== null && (
            <span className="term" title={t('case.overrunHelp')}>
              {t('case.overrun', { x: amount(x.overrunMultiple) })}
            </span>
          )}
          {x.dueAt && <span className="muted">{t('esc.due', { t: dateTime(x.dueAt, lang) })}</span>}
        </div>
        <div className="tl-text esc-told">
          <span className="muted">{t('esc.notified')}</span>
          {lang === 'zh' ? '：' : ': '}
          {told.length > 0 ? told.join(lang === 'zh' ? '、' : ', ') : t('esc.nobody')}
        </div>
        <div className="tl-actor muted">
          {t('esc.by')}
          {records > 1 && <> · {t('esc.repeated', { n: records })}</>}
        </div>
      </div>
    </li>
  );
}
