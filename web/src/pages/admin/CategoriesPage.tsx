import { useMemo, useState } from 'react';
import { call, client } from '../../api/client';
import { useCall } from '../../api/hooks';
import type { components } from '../../api/schema';
import { Empty, ErrorBox, Loading, Panel } from '../../components/ui';
import { useI18n, type Translate } from '../../i18n';
import { stageLabel, unitLabel } from '../../lib/labels';

type Schemas = components['schemas'];
type Category = Schemas['CategoryAdmin'];
type Limit = Schemas['CategoryStageLimit'];
type PoliceMode = Schemas['PoliceMode'];
type TimeUnit = Schemas['TimeUnit'];
type Stage = Schemas['ClockStage'];
type Urgency = Limit['urgency'];

export const POLICE_MODES: PoliceMode[] = ['none', 'notify', 'assist', 'lead'];
const UNITS: TimeUnit[] = ['work_hour', 'work_day', 'urgent_hour', 'natural_day'];
const STAGES: Stage[] = ['register', 'verify', 'dispatch', 'sign', 'handle', 'check', 'close'];
const URGENCIES: Urgency[] = ['normal', 'urgent'];

/** "5 工作日" */
export const limitText = (t: Translate, l: { amount: number; unit: string }) =>
  `${l.amount} ${unitLabel(t, l.unit)}`;

/** Where an inherited limit comes from, in words. */
function sourceText(t: Translate, source: string): string {
  const [kind, code] = source.split(' ');
  if (kind === 'policy') return t('adm.cat.source.policy', { code: code ?? '' });
  if (kind === 'category') return t('adm.cat.source.category', { code: code ?? '' });
  if (kind === 'fallback') return t('adm.cat.source.fallback');
  return t('adm.cat.source.default');
}

/**
 * 案件类别 (admin): each category's police linkage, public flag and time limit per stage for normal and
 * urgent cases, with where an inherited limit comes from. Saving replaces the limits set on the category;
 * the next clock started for it (the next case) gets them.
 */
export function CategoriesPage() {
  const { t, lang } = useI18n();
  const list = useCall('admin categories', (signal) => client.GET('/api/v1/categories/policy', { signal }));
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const items = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (list.data?.items ?? []).filter(
      (c) => !f || c.code.startsWith(f) || c.nameZh.includes(f) || c.nameEn.toLowerCase().includes(f),
    );
  }, [list.data, filter]);
  const current = list.data?.items.find((c) => c.code === selected) ?? null;
  const name = (c: Category) => (lang === 'zh' ? c.nameZh : c.nameEn);
  const handleOf = (c: Category) => c.limits.find((l) => l.stage === 'handle' && l.urgency === 'normal');

  return (
    <div className="page admin-page" data-testid="admin-categories">
      <h1>{t('adm.cat.title')}</h1>
      <p className="muted">{t('adm.cat.intro')}</p>
      {error !== null && <ErrorBox error={error} />}
      {saved && (
        <div className="notice notice-ok" role="status" data-testid="admin-notice">
          {t('adm.saved')}
        </div>
      )}
      {current && (
        <CategoryEditor
          key={`${current.code}-${JSON.stringify(current.limits)}-${current.policeMode}-${current.public}`}
          category={current}
          title={t('adm.cat.editTitle', { code: current.code, name: name(current) })}
          onError={(e) => {
            setError(e);
            setSaved(false);
          }}
          onSaved={() => {
            setError(null);
            setSaved(true);
            list.reload(true);
          }}
          onClose={() => setSelected(null)}
        />
      )}
      <div className="filters">
        <label className="grow">
          {t('adm.cat.filter')}
          <input value={filter} maxLength={40} onChange={(e) => setFilter(e.target.value)} />
        </label>
      </div>
      <Panel>
        {list.loading && !list.data ? (
          <Loading />
        ) : list.error ? (
          <ErrorBox error={list.error} onRetry={() => list.reload()} />
        ) : items.length ? (
          <div className="table-wrap">
            <table className="admin-table" data-testid="categories-table">
              <thead>
                <tr>
                  <th>{t('adm.cat.code')}</th>
                  <th>{t('adm.cat.name')}</th>
                  <th>{t('adm.cat.police')}</th>
                  <th className="hide-narrow">{t('adm.cat.public')}</th>
                  <th>{t('adm.cat.handle')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {items.map((c) => {
                  const handle = handleOf(c);
                  return (
                    <tr key={c.code} data-category={c.code} className={c.code === selected ? 'selected' : ''}>
                      <td className="mono">{c.code}</td>
                      <td>{c.parentCode ? name(c) : <strong>{name(c)}</strong>}</td>
                      <td>{t(`adm.police.${c.policeMode}`)}</td>
                      <td className="hide-narrow">
                        {c.public ? t('adm.cat.publicYes') : t('adm.cat.publicNo')}
                      </td>
                      <td>{handle ? limitText(t, handle) : ''}</td>
                      <td>
                        <button
                          type="button"
                          className="btn btn-small"
                          onClick={() => {
                            setSelected(c.code);
                            setSaved(false);
                            setError(null);
                            window.scrollTo({ top: 0 });
                          }}
                        >
                          {t('adm.edit')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>—</Empty>
        )}
      </Panel>
    </div>
  );
}

interface Draft {
  own: boolean;
  amount: string;
  unit: TimeUnit;
}

function CategoryEditor({
  category,
  title,
  onSaved,
  onError,
  onClose,
}: {
  category: Category;
  title: string;
  onSaved: () => void;
  onError: (e: unknown) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [police, setPolice] = useState<PoliceMode>(category.policeMode);
  const [isPublic, setPublic] = useState(category.public);
  const [busy, setBusy] = useState(false);
  const initial = () => {
    const d: Record<string, Draft> = {};
    for (const l of category.limits)
      d[`${l.stage}/${l.urgency}`] = { own: l.own, amount: String(l.amount), unit: l.unit };
    return d;
  };
  const [draft, setDraft] = useState<Record<string, Draft>>(initial);
  const limitOf = (stage: Stage, urgency: Urgency) =>
    category.limits.find((l) => l.stage === stage && l.urgency === urgency);
  const change = (k: string, patch: Partial<Draft>) =>
    setDraft((d) => ({ ...d, [k]: { ...d[k]!, ...patch } }));

  const save = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      onSaved();
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  const saveLimits = () =>
    save(() =>
      call(
        client.PUT('/api/v1/categories/{code}/limits', {
          params: { path: { code: category.code } },
          body: {
            limits: Object.entries(draft)
              .filter(([, d]) => d.own)
              .map(([k, d]) => {
                const [stage, urgency] = k.split('/') as [Stage, Urgency];
                return { stage, urgency, amount: Number(d.amount), unit: d.unit };
              }),
          },
        }),
      ),
    );
  const saveFlags = () =>
    save(() =>
      call(
        client.PATCH('/api/v1/categories/{code}', {
          params: { path: { code: category.code } },
          body: { policeMode: police, ...(category.stability ? {} : { public: isPublic }) },
        }),
      ),
    );

  return (
    <Panel
      title={title}
      actions={
        <button type="button" className="btn btn-small" onClick={onClose}>
          {t('adm.cancel')}
        </button>
      }
    >
      <div className="admin-form" data-testid="category-flags">
        <div className="field">
          <label htmlFor="cat-police">{t('adm.cat.police')}</label>
          <select id="cat-police" value={police} onChange={(e) => setPolice(e.target.value as PoliceMode)}>
            {POLICE_MODES.map((m) => (
              <option key={m} value={m}>
                {t(`adm.police.${m}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="admin-check">
            <input
              type="checkbox"
              checked={isPublic}
              disabled={category.stability}
              onChange={(e) => setPublic(e.target.checked)}
            />
            {t('adm.cat.public')}
          </label>
          {category.stability && <div className="hint">{t('adm.cat.stabilityNote')}</div>}
        </div>
        <div className="form-buttons">
          <button type="button" className="btn" disabled={busy} onClick={() => void saveFlags()}>
            {t('adm.cat.saveFlags')}
          </button>
        </div>
      </div>
      <div className="table-wrap">
        <table className="limit-grid" data-testid="category-limits">
          <thead>
            <tr>
              <th>{t('adm.cat.stage')}</th>
              {URGENCIES.map((u) => (
                <th key={u}>{u === 'normal' ? t('adm.cat.normal') : t('adm.cat.urgent')}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {STAGES.map((stage) => (
              <tr key={stage} data-stage={stage}>
                <th scope="row">{stageLabel(t, stage)}</th>
                {URGENCIES.map((urgency) => {
                  const k = `${stage}/${urgency}`;
                  const d = draft[k];
                  const l = limitOf(stage, urgency);
                  if (!d || !l) return <td key={urgency} />;
                  const label = `${stageLabel(t, stage)} · ${urgency === 'normal' ? t('adm.cat.normal') : t('adm.cat.urgent')}`;
                  return (
                    <td key={urgency} data-urgency={urgency}>
                      <div className="limit-cell">
                        <label className="check">
                          <input
                            type="checkbox"
                            checked={d.own}
                            aria-label={`${label} · ${t('adm.cat.own')}`}
                            onChange={(e) => change(k, { own: e.target.checked })}
                          />{' '}
                          {t('adm.cat.own')}
                        </label>
                        <input
                          type="number"
                          inputMode="decimal"
                          step="any"
                          min="0"
                          aria-label={`${label} · ${t('adm.cat.amount')}`}
                          value={d.amount}
                          disabled={!d.own}
                          onChange={(e) => change(k, { amount: e.target.value })}
                        />
                        <select
                          aria-label={`${label} · ${t('adm.cat.unit')}`}
                          value={d.unit}
                          disabled={!d.own}
                          onChange={(e) => change(k, { unit: e.target.value as TimeUnit })}
                        >
                          {UNITS.map((u) => (
                            <option key={u} value={u} title={t(`unit.help.${u}`)}>
                              {unitLabel(t, u)}
                            </option>
                          ))}
                        </select>
                      </div>
                      {!d.own && (
                        <div className="limit-src">
                          {t('adm.cat.inherited', { source: sourceText(t, l.source) })}
                        </div>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">
        {t('adm.cat.rangeHint')} {t('unit.help.urgent_hour')}
      </p>
      <button
        type="button"
        className="btn btn-primary"
        disabled={busy}
        onClick={() => void saveLimits()}
        data-testid="save-limits"
      >
        {t('adm.cat.saveLimits')}
      </button>
    </Panel>
  );
}
