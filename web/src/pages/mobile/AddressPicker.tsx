import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { call, client } from '../../api/client';
import { useCall } from '../../api/hooks';
import type { components } from '../../api/schema';
import '../../styles/baseui.css';

type Address = components['schemas']['BaseAddress'];
export type PickedAddress = Pick<Address, 'id' | 'fullText'>;

/**
 * 选择标准地址 on the patroller's phone (issue 12): the standard addresses nearest the GPS point, as a
 * short list to tap, or a search. The picked address's id goes with the report so the case lands in that
 * address's file (一址一档). No address nearby (streets without base data) is a hint, never an error.
 */
export function AddressPicker({
  point,
  value,
  onChange,
}: {
  point: [number, number] | null;
  value: PickedAddress | null;
  onChange: (address: PickedAddress | null) => void;
}) {
  const { t } = useI18n();
  // ~1 m steps: a GPS jitter does not reload the list
  const key = point ? `nearest ${point[0].toFixed(5)},${point[1].toFixed(5)}` : null;
  const nearest = useCall(key, (signal) =>
    client.GET('/api/v1/base/addresses/nearest', {
      params: { query: { lon: point![0], lat: point![1], radius: 200, limit: 6 } },
      signal,
    }),
  );
  const [text, setText] = useState('');
  const [found, setFound] = useState<Address[]>([]);

  useEffect(() => {
    const q = text.trim();
    if (q === '') {
      setFound([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      call(
        client.GET('/api/v1/base/addresses', {
          params: { query: { q, limit: 6 } },
          signal: controller.signal,
        }),
      )
        .then((r) => setFound(r.items))
        .catch(() => setFound([]));
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text]);

  const items: (Address & { distanceM?: number })[] = text.trim() ? found : (nearest.data?.items ?? []);
  const pick = (a: Address) => {
    onChange({ id: a.id, fullText: a.fullText });
    setText('');
  };

  return (
    <fieldset className="field address-picker" data-testid="address-picker">
      <legend>{t('baseui.pick.label')}</legend>
      {value && (
        <div className="field-row" data-testid="picked-address">
          <span className="picked-text">{t('baseui.pick.picked', { address: value.fullText })}</span>
          <button type="button" className="btn btn-small" onClick={() => onChange(null)}>
            {t('baseui.pick.clear')}
          </button>
        </div>
      )}
      <input
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={t('baseui.pick.searchPlaceholder')}
        aria-label={t('baseui.pick.search')}
        data-testid="address-picker-search"
      />
      {!text.trim() && <div className="muted small">{t('baseui.pick.nearest')}</div>}
      {!text.trim() && nearest.loading ? (
        <div className="muted small">{t('baseui.pick.loading')}</div>
      ) : items.length === 0 ? (
        <div className="muted small" role="status">
          {text.trim() ? t('base.search.none') : t('baseui.pick.none')}
        </div>
      ) : (
        <ul className="address-choices" role="list">
          {items.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className={`address-choice${value?.id === a.id ? ' selected' : ''}`}
                aria-pressed={value?.id === a.id}
                onClick={() => pick(a)}
              >
                <span className="address-choice-text">{a.fullText}</span>
                {a.distanceM !== undefined && (
                  <span className="muted small">{t('baseui.pick.metres', { n: a.distanceM })}</span>
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
