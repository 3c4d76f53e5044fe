import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import type { CaseSummary, DeadlineColour } from '../api/models';
import { deadlineColour, duration, minutesUntil } from '../lib/format';
import { errorMessage, stateLabel } from '../lib/labels';

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </div>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="error-box" role="alert">
      <strong>{t('error.title')}</strong>
      <span>{errorMessage(t, error)}</span>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export function StateBadge({ state }: { state: string }) {
  const { t } = useI18n();
  return <span className={`badge state-${state}`}>{stateLabel(t, state)}</span>;
}

export function ColourDot({ colour }: { colour: DeadlineColour | null }) {
  const { t } = useI18n();
  if (!colour) return <span className="dot dot-none" aria-hidden="true" />;
  return (
    <span
      className={`dot dot-${colour}`}
      role="img"
      aria-label={t(`colour.${colour}`)}
      title={t(`colour.${colour}`)}
    />
  );
}

/** "剩 2时15分" / "超 1天3时" with the deadline colour. */
export function DeadlineChip({ c, now }: { c: CaseSummary; now: number }) {
  const { t, lang } = useI18n();
  const d = c.deadline;
  const colour = deadlineColour(c, now);
  if (c.state === 'suspended') return <span className="chip chip-paused">{t('case.paused')}</span>;
  if (!d?.dueAt) return <span className="muted">{t('wb.noDeadline')}</span>;
  const left = minutesUntil(d.dueAt, now);
  const text =
    left >= 0 ? t('wb.dueIn', { t: duration(left, lang) }) : t('wb.overdueBy', { t: duration(-left, lang) });
  return (
    <span className={`chip chip-${colour ?? 'none'}`}>
      <ColourDot colour={colour} />
      {text}
      {d.provisional && <ProvisionalMark />}
    </span>
  );
}

/** 可能变动: the deadline depends on a year whose holiday schedule is not confirmed yet. */
export function ProvisionalMark() {
  const { t } = useI18n();
  return (
    <span className="provisional-mark" title={t('cal.provisionalHint')} data-testid="provisional-mark">
      {' '}
      ({t('cal.provisional')})
    </span>
  );
}

export function Field({
  label,
  htmlFor,
  hint,
  required,
  children,
}: {
  label: string;
  htmlFor?: string;
  hint?: string;
  required?: boolean;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="field">
      <label htmlFor={htmlFor}>
        {label}
        {required ? (
          <span className="req" aria-hidden="true">
            *
          </span>
        ) : null}
        {required ? <span className="sr-only">（{t('common.required')}）</span> : null}
      </label>
      {children}
      {hint && <div className="hint">{hint}</div>}
    </div>
  );
}

export function Panel({
  title,
  actions,
  children,
  className,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`panel ${className ?? ''}`}>
      {(title || actions) && (
        <header className="panel-head">
          {title && <h2>{title}</h2>}
          {actions && <div className="panel-actions">{actions}</div>}
        </header>
      )}
      <div className="panel-body">{children}</div>
    </section>
  );
}
