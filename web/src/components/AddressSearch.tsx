import { useEffect, useId, useState } from 'react';
import { useI18n } from '../i18n';
import { call, client } from '../api/client';
import type { BaseAddress as Address } from '../api/models';
import { navigate } from '../router';
import '../styles/baseinfo.css';

/**
 * 地址搜索 in the header (issue 12): type part of an address ("古美路1弄 3号 502", full-width digits and
 * 号/弄/幢/栋 variants are fine), pick one, land on its one-address file (一址一档).
 */
export function AddressSearch() {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [items, setItems] = useState<Address[]>([]);
  const [open, setOpen] = useState(false);
  const listId = useId();

  useEffect(() => {
    const q = text.trim();
    if (q === '') {
      setItems([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      call(
        client.GET('/api/v1/base/addresses', {
          params: { query: { q, limit: 8 } },
          signal: controller.signal,
        }),
      )
        .then((r) => {
          setItems(r.items);
          setOpen(true);
        })
        .catch(() => undefined);
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text]);

  const go = (a: Address) => {
    setOpen(false);
    setText('');
    navigate(`/addresses/${encodeURIComponent(a.id)}`);
  };

  return (
    <form
      className="addr-search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (items[0]) go(items[0]);
      }}
    >
      <input
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onFocus={() => setOpen(items.length > 0)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        placeholder={t('base.search.placeholder')}
        aria-label={t('base.search.label')}
        aria-controls={listId}
        aria-expanded={open}
        data-testid="address-search"
      />
      {open && text.trim() !== '' && (
        <ul id={listId} className="addr-results" role="listbox">
          {items.length === 0 ? (
            <li className="muted">{t('base.search.none')}</li>
          ) : (
            items.map((a) => (
              <li key={a.id} role="option" aria-selected="false">
                <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => go(a)}>
                  <span>{a.fullText}</span>
                  <span className="muted small">{t(`base.level.${a.level}`)}</span>
                </button>
              </li>
            ))
          )}
        </ul>
      )}
    </form>
  );
}
