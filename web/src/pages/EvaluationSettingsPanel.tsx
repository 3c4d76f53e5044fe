import { useState } from 'react';
import { call, client } from '../api/client';
import { useCall } from '../api/hooks';
import type { EvaluationUnitKind } from '../api/models';
import { ErrorBox, Loading, Panel } from '../components/ui';
import { useI18n } from '../i18n';

interface Indicator {
  id: string;
  name: { zh: string; en: string };
  weight: number;
}

/**
 * 权重设置 (district admins): the weights of one unit kind's indicators (each 0–100, adding up to 100),
 * the small-sample threshold and the follow-up delay in working days. The server validates the same and
 * audits the change (`evaluation.settings`); `onSaved` reloads the table.
 */
export function EvaluationSettingsPanel(props: {
  kind: EvaluationUnitKind;
  kindName: string;
  indicators: Indicator[];
  defaults: Record<string, number>;
  onSaved: () => void;
  onClose: () => void;
}) {
  const { t, pick } = useI18n();
  const settings = useCall('evaluation settings', (signal) =>
    client.GET('/api/v1/evaluation/settings', { signal }),
  );
  const [edit, setEdit] = useState<Record<string, string> | null>(null);
  const [minDen, setMinDen] = useState<string | null>(null);
  const [days, setDays] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  if (settings.error) return <ErrorBox error={settings.error} onRetry={() => settings.reload()} />;
  const s = settings.data;
  if (!s) return <Loading />;
  const weights =
    edit ??
    Object.fromEntries(
      props.indicators.map((i) => [i.id, String(s.weights[props.kind]?.[i.id] ?? i.weight)]),
    );
  const min = minDen ?? String(s.minDenominator);
  const delay = days ?? String(s.followUpDays ?? 3);
  const values = Object.values(weights).map(Number);
  const sum = Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;
  const problems: string[] = [];
  if (values.some((w) => !Number.isFinite(w) || w < 0 || w > 100))
    problems.push(t('evaluation.settings.range'));
  if (sum !== 100) problems.push(t('evaluation.settings.sum', { sum }));
  if (!/^\d+$/.test(min) || Number(min) < 1) problems.push(t('evaluation.settings.minInvalid'));
  if (!/^\d+$/.test(delay) || Number(delay) < 1 || Number(delay) > 30)
    problems.push(t('evaluation.settings.daysInvalid'));

  const save = async () => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await call(
        client.PUT('/api/v1/evaluation/settings', {
          body: {
            weights: {
              ...s.weights,
              [props.kind]: Object.fromEntries(Object.entries(weights).map(([id, w]) => [id, Number(w)])),
            },
            minDenominator: Number(min),
            followUpDays: Number(delay),
          },
        }),
      );
      setSaved(true);
      setEdit(null);
      setMinDen(null);
      setDays(null);
      settings.reload(true);
      props.onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel
      title={t('evaluation.settings.title', { kind: props.kindName })}
      className="eval-settings"
      actions={
        <button type="button" className="btn" onClick={props.onClose}>
          {t('evaluation.close')}
        </button>
      }
    >
      <form
        data-testid="evaluation-settings"
        onSubmit={(e) => {
          e.preventDefault();
          if (problems.length === 0) void save();
        }}
      >
        <div className="eval-weights">
          {props.indicators.map((i) => (
            <label key={i.id}>
              <span>{pick(i.name.zh, i.name.en)}</span>
              <input
                type="number"
                min={0}
                max={100}
                step="any"
                inputMode="decimal"
                data-weight={i.id}
                value={weights[i.id] ?? ''}
                onChange={(e) => {
                  setSaved(false);
                  setEdit({ ...weights, [i.id]: e.target.value });
                }}
              />
              <span className="muted small">
                {t('evaluation.settings.default', { w: props.defaults[i.id] ?? '—' })}
              </span>
            </label>
          ))}
        </div>
        <div className={`small ${sum === 100 ? 'muted' : 'error-text'}`} data-testid="weight-sum">
          {t('evaluation.settings.total', { sum })}
        </div>
        <div className="eval-weights">
          <label>
            <span>{t('evaluation.settings.minDenominator')}</span>
            <input
              type="number"
              min={1}
              data-setting="minDenominator"
              value={min}
              onChange={(e) => {
                setSaved(false);
                setMinDen(e.target.value);
              }}
            />
          </label>
          <label>
            <span>{t('evaluation.settings.followUpDays')}</span>
            <input
              type="number"
              min={1}
              max={30}
              data-setting="followUpDays"
              value={delay}
              onChange={(e) => {
                setSaved(false);
                setDays(e.target.value);
              }}
            />
          </label>
        </div>
        {problems.length > 0 && (
          <ul className="error-text small" data-testid="settings-problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {error ? <ErrorBox error={error} /> : null}
        <div className="eval-settings-actions">
          <button type="submit" className="btn btn-primary" disabled={busy || problems.length > 0}>
            {t('evaluation.settings.save')}
          </button>{' '}
          <button
            type="button"
            className="btn"
            onClick={() => {
              setEdit(
                Object.fromEntries(props.indicators.map((i) => [i.id, String(props.defaults[i.id] ?? 0)])),
              );
              setSaved(false);
            }}
          >
            {t('evaluation.settings.reset')}
          </button>{' '}
          {saved && <span className="muted small">{t('evaluation.settings.saved')}</span>}
        </div>
        <p className="muted small">{t('evaluation.settings.help')}</p>
      </form>
    </Panel>
  );
}
