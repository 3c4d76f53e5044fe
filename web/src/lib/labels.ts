import { hasMessage, type Translate } from '../i18n';
import { isApiError } from '../api/client';
import { amount } from './format';

// Server vocabularies (states, actions, roles…) → translated labels. An unknown value never shows a raw
// key: it falls back to a generic label that still names it.

function lookup(
  t: Translate,
  prefix: string,
  value: string | null | undefined,
  fallback: () => string,
): string {
  if (!value) return '—';
  const key = `${prefix}.${value}`;
  return hasMessage(key) ? t(key) : fallback();
}

export const stateLabel = (t: Translate, s: string | null | undefined) =>
  lookup(t, 'state', s, () => s ?? '');
export const sourceLabel = (t: Translate, s: string | null | undefined) =>
  lookup(t, 'source', s, () => s ?? '');
export const roleLabel = (t: Translate, s: string | null | undefined) => lookup(t, 'role', s, () => s ?? '');
export const stageLabel = (t: Translate, s: string | null | undefined) =>
  lookup(t, 'stage', s, () => s ?? '');
export const unitLabel = (t: Translate, s: string | null | undefined) => lookup(t, 'unit', s, () => s ?? '');
export const publicStatusLabel = (t: Translate, s: string | null | undefined) =>
  lookup(t, 'public.status', s, () => s ?? '');
export const actionLabel = (t: Translate, s: string | null | undefined) =>
  lookup(t, 'action', s, () => t('action.unknown', { name: s ?? '' }));

export function limitLabel(t: Translate, limit: { amount: number; unit: string } | null | undefined): string {
  if (!limit) return '—';
  return `${amount(limit.amount)} ${unitLabel(t, limit.unit)}`;
}

/** What a time unit counts (紧急时 runs through nights and holidays…), for a tooltip or a legend. */
export function unitHelp(t: Translate, unit: string): string {
  const key = `unit.help.${unit}`;
  return hasMessage(key) ? t(key) : unitLabel(t, unit);
}

/** A user-facing message for any error thrown by the API client. */
export function errorMessage(t: Translate, error: unknown): string {
  if (isApiError(error)) {
    // a domain refusal's stable sub-code (src/core/errors.ts REFUSAL_REASONS) says it in the user's language
    const reason = error.problem.reason;
    const reasonKey = `error.reason.${typeof reason === 'string' ? reason : ''}`;
    if (typeof reason === 'string' && hasMessage(reasonKey)) return t(reasonKey);
    const code = error.code === 'network' ? 'network' : error.code;
    const key = `error.${code}`;
    if (code === 'validation_failed')
      return t('error.validation_failed', { detail: error.problem.detail ?? '' });
    if (hasMessage(key)) return t(key);
    return t('error.generic', {
      code: error.code,
      detail: error.problem.detail ?? error.problem.title ?? '',
    });
  }
  return t('error.generic', {
    code: 'client',
    detail: error instanceof Error ? error.message : String(error),
  });
}
