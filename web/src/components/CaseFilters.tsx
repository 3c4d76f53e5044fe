import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { SOURCES, type RegionSummary } from '../api/models';
import type { paths } from '../api/schema';
import { setSearch, useLocation } from '../router';
import { loadCommittees, useMe, useReference } from '../session';
import { sourceLabel } from '../lib/labels';

export const FILTER_KEYS = [
  'street',
  'committee',
  'category',
  'department',
  'source',
  'overdue',
  'q',
] as const;

/** URL filters → the query parameters the case list and the queue counts share (typed by the contract). */
export function filterParams(search: URLSearchParams) {
  const source = search.get('source');
  return {
    street: search.get('street') || undefined,
    committee: search.get('committee') || undefined,
    category: search.get('category') || undefined,
    department: search.get('department') || undefined,
    // one value, possibly comma-separated: the server splits it
    source: source ? [source] : undefined,
    text: search.get('q') || undefined,
  } satisfies NonNullable<QueueQuery>;
}
type QueueQuery = NonNullable<paths['/api/v1/stats/queues']['get']['parameters']['query']>;

/** The workbench filter bar; every filter lives in the URL so a view can be bookmarked or shared. */
export function CaseFilters() {
  const { t, pick } = useI18n();
  const me = useMe();
  const ref = useReference();
  const { search } = useLocation();
  const ownStreet = me.unit.kind === 'region' && me.unit.level === 'street' ? me.unit.code : undefined;
  const street = search.get('street') ?? ownStreet ?? '';
  const [committees, setCommittees] = useState<RegionSummary[]>([]);
  const [text, setText] = useState(search.get('q') ?? '');

  useEffect(() => {
    if (!street) {
      setCommittees([]);
      return;
    }
    let alive = true;
    loadCommittees(street)
      .then((c) => alive && setCommittees(c))
      .catch(() => alive && setCommittees([]));
    return () => {
      alive = false;
    };
  }, [street]);

  // search as the user types, without a request per keystroke
  useEffect(() => {
    const id = setTimeout(() => {
      if ((search.get('q') ?? '') !== text) setSearch({ q: text.trim() || undefined });
    }, 350);
    return () => clearTimeout(id);
  }, [text]);

  const select = (key: string, value: string) =>
    setSearch({ [key]: value || undefined, ...(key === 'street' ? { committee: undefined } : {}) });
  const parents = ref?.categories.filter((c) => !c.parentCode) ?? [];
  const anyFilter = FILTER_KEYS.some((k) => search.get(k));

  return (
    <form className="filters" role="search" aria-label={t('wb.filters')} onSubmit={(e) => e.preventDefault()}>
      {!ownStreet && (
        <label>
          <span>{t('wb.filter.street')}</span>
          <select value={search.get('street') ?? ''} onChange={(e) => select('street', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {ref?.streets.map((s) => (
              <option key={s.code} value={s.code}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        <span>{t('wb.filter.committee')}</span>
        <select
          value={search.get('committee') ?? ''}
          onChange={(e) => select('committee', e.target.value)}
          disabled={!street}
        >
          <option value="">{t('common.all')}</option>
          {committees.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('wb.filter.category')}</span>
        <select value={search.get('category') ?? ''} onChange={(e) => select('category', e.target.value)}>
          <option value="">{t('common.all')}</option>
          {parents.map((p) => (
            <optgroup key={p.code} label={pick(p.nameZh, p.nameEn)}>
              <option value={p.code}>
                {pick(p.nameZh, p.nameEn)} · {t('common.all')}
              </option>
              {ref?.categories
                .filter((c) => c.parentCode === p.code)
                .map((c) => (
                  <option key={c.code} value={c.code}>
                    {pick(c.nameZh, c.nameEn)}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label>
        <span>{t('wb.filter.department')}</span>
        <select value={search.get('department') ?? ''} onChange={(e) => select('department', e.target.value)}>
          <option value="">{t('common.all')}</option>
          {ref?.departments
            .filter((d) => !street || d.level === 'district' || d.regionCode === street)
            .map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
        </select>
      </label>
      <label>
        <span>{t('wb.filter.source')}</span>
        <select value={search.get('source') ?? ''} onChange={(e) => select('source', e.target.value)}>
          <option value="">{t('common.all')}</option>
          {SOURCES.map((s) => (
            <option key={s} value={s}>
              {sourceLabel(t, s)}
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={search.get('overdue') === '1'}
          onChange={(e) => setSearch({ overdue: e.target.checked ? '1' : undefined })}
        />
        <span>{t('wb.filter.overdue')}</span>
      </label>
      <label className="grow">
        <span>{t('wb.filter.text')}</span>
        <input
          type="search"
          value={text}
          placeholder={t('wb.filter.textPlaceholder')}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      {anyFilter && (
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => {
            setText('');
            setSearch(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])));
          }}
        >
          {t('common.reset')}
        </button>
      )}
    </form>
  );
}
