import { lazy, Suspense, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n';
import { call, client } from '../api/client';
import { useCall } from '../api/hooks';
import type { components } from '../api/schema';
import type { BaseAddress } from '../api/models';
import { Link, navigate } from '../router';
import { useReference } from '../session';
import { errorMessage } from '../lib/labels';
import { uuid } from '../lib/idempotency';
import { Field, Loading } from '../components/ui';
import '../styles/intake.css';

const PointMap = lazy(() => import('../map/PointMap'));

type DeskSource = components['schemas']['DeskSource'];
type IntakeCheck = components['schemas']['IntakeCheck'];
const SOURCES: DeskSource[] = ['hotline', 'walk_in', 'leader', 'department'];

/**
 * 受理台 (issue 11 §1): a form built for a phone call. The operator types what the caller says; the
 * categories it points to are offered as buttons; open cases of that category near the picked place are
 * shown before saving, with "merge into this one". Keyboard: Tab walks the fields in order, Enter in a
 * field or Ctrl+Enter anywhere saves; the saved case (or the one merged into) opens.
 */
export function IntakeDeskPage() {
  const { t, pick } = useI18n();
  const ref = useReference();
  const desk = useCall('intake desk', (signal) => client.GET('/api/v1/intake/desk', { signal }));
  const [key, setKey] = useState(uuid); // one Idempotency-Key per call taken
  const [source, setSource] = useState<DeskSource>('hotline');
  const [ticketNo, setTicketNo] = useState('');
  const [callerName, setCallerName] = useState('');
  const [callerPhone, setCallerPhone] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState('');
  const [urgent, setUrgent] = useState(false);
  const [addressText, setAddressText] = useState('');
  const [found, setFound] = useState<BaseAddress[]>([]);
  const [address, setAddress] = useState<{ id: string | null; text: string } | null>(null);
  const [point, setPoint] = useState<[number, number] | null>(null);
  const [check, setCheck] = useState<IntakeCheck | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submitting = useRef(false);

  // address search over the standard addresses (一址一档): a pick sets the point too
  useEffect(() => {
    const q = addressText.trim();
    // nothing typed, or the text is the address just picked: no list
    if (q === '' || (address?.id && q === address.text)) {
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
  }, [addressText, address]);

  // suggestions and duplicates, while the call goes on (debounced)
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      call(
        client.POST('/api/v1/intake/check', {
          body: {
            description,
            category: category || null,
            location: point ? { lon: point[0], lat: point[1] } : null,
          },
          signal: controller.signal,
        }),
      )
        .then(setCheck)
        .catch(() => undefined);
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [description, category, point]);

  const pickAddress = (a: BaseAddress) => {
    setAddress({ id: a.id, text: a.fullText });
    setAddressText(a.fullText);
    setFound([]);
    if (a.lon !== null && a.lat !== null) setPoint([a.lon, a.lat]);
  };

  const save = async (mergeInto: string | null) => {
    if (submitting.current) return;
    if (!description.trim()) return setError(t('intake.needDescription'));
    if (!point) return setError(t('intake.needPlace'));
    submitting.current = true;
    setBusy(true);
    setError(null);
    try {
      const caller = {
        ...(callerName.trim() ? { name: callerName.trim() } : {}),
        ...(callerPhone.trim() ? { phone: callerPhone.trim() } : {}),
      };
      const result = await call(
        client.POST('/api/v1/intake', {
          params: { header: { 'idempotency-key': key } },
          body: {
            source,
            ...(source === 'hotline' && ticketNo.trim() ? { ticketNo: ticketNo.trim() } : {}),
            ...(Object.keys(caller).length ? { caller } : {}),
            category: category || null,
            urgency: urgent ? 'urgent' : 'normal',
            description: description.trim(),
            location: { lon: point[0], lat: point[1], crs: 'wgs84' },
            ...(address ? { address: address.text, ...(address.id ? { addressId: address.id } : {}) } : {}),
            ...(mergeInto ? { mergeInto } : {}),
          },
        }),
      );
      setKey(uuid());
      navigate(`/cases/${result.openCaseId}`);
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      submitting.current = false;
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(null);
  };
  // Ctrl+Enter (⌘+Enter) saves from anywhere, the description box included
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void save(null);
    }
  };

  if (desk.error) return <div className="error-box">{errorMessage(t, desk.error)}</div>;
  if (!desk.data || !ref) return <Loading />;
  const home = desk.data.center
    ? { center: [desk.data.center.lon, desk.data.center.lat] as [number, number], zoom: desk.data.zoom }
    : null;
  const parents = ref.categories.filter((c) => !c.parentCode);
  const suggestions = check?.suggestions ?? [];
  const duplicates = check?.duplicates ?? [];
  const dupCategory = check?.duplicatesFor ? ref.categoryByCode.get(check.duplicatesFor) : undefined;

  return (
    <form
      className="intake-desk"
      onSubmit={submit}
      onKeyDown={onKeyDown}
      noValidate
      data-idempotency-key={key}
    >
      <div className="intake-head">
        <h1>{t('intake.title')}</h1>
        <span className="muted small">{t('intake.deskOf', { name: desk.data.region.name })}</span>
      </div>
      <p className="hint">{t('intake.keys')}</p>

      <div className="intake-grid">
        <div className="intake-main">
          <fieldset className="field intake-sources">
            <legend>{t('intake.source')}</legend>
            <div className="intake-source-chips">
              {SOURCES.map((s) => (
                <label key={s} className={`cat-chip ${source === s ? 'active' : ''}`}>
                  <input
                    type="radio"
                    name="source"
                    value={s}
                    checked={source === s}
                    onChange={() => setSource(s)}
                    data-testid={`intake-source-${s}`}
                  />
                  {t(`intake.source.${s}`)}
                </label>
              ))}
            </div>
          </fieldset>

          <div className="intake-row">
            {source === 'hotline' && (
              <Field label={t('intake.ticketNo')} htmlFor="intake-ticket" hint={t('intake.ticketHint')}>
                <input
                  id="intake-ticket"
                  value={ticketNo}
                  onChange={(e) => setTicketNo(e.target.value)}
                  autoComplete="off"
                  inputMode="text"
                  maxLength={40}
                />
              </Field>
            )}
            <Field label={t('intake.callerName')} htmlFor="intake-caller">
              <input
                id="intake-caller"
                value={callerName}
                onChange={(e) => setCallerName(e.target.value)}
                autoComplete="off"
                maxLength={100}
              />
            </Field>
            <Field label={t('intake.callerPhone')} htmlFor="intake-phone" hint={t('intake.phoneHint')}>
              <input
                id="intake-phone"
                type="tel"
                value={callerPhone}
                onChange={(e) => setCallerPhone(e.target.value)}
                autoComplete="off"
                maxLength={40}
              />
            </Field>
          </div>

          <Field label={t('form.description')} htmlFor="intake-description" required>
            <textarea
              id="intake-description"
              rows={4}
              value={description}
              placeholder={t('intake.descriptionPlaceholder')}
              onChange={(e) => setDescription(e.target.value)}
            />
          </Field>

          <div className="field">
            <label htmlFor="intake-category">{t('mobile.report.category')}</label>
            {suggestions.length > 0 && (
              <div className="intake-suggestions" data-testid="intake-suggestions">
                <span className="muted small">{t('intake.suggested')}</span>
                {suggestions.map((s) => (
                  <button
                    key={s.code}
                    type="button"
                    className={`btn btn-small ${category === s.code ? 'btn-primary' : ''}`}
                    aria-pressed={category === s.code}
                    title={s.matched.join(' · ')}
                    onClick={() => setCategory(s.code)}
                  >
                    {pick(s.nameZh, s.nameEn)}
                  </button>
                ))}
              </div>
            )}
            <select id="intake-category" value={category} onChange={(e) => setCategory(e.target.value)}>
              <option value="">{t('intake.categoryLater')}</option>
              {parents.map((p) => (
                <optgroup key={p.code} label={pick(p.nameZh, p.nameEn)}>
                  {ref.categories
                    .filter((c) => c.parentCode === p.code)
                    .map((c) => (
                      <option key={c.code} value={c.code}>
                        {pick(c.nameZh, c.nameEn)}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </div>

          <label className="check">
            <input type="checkbox" checked={urgent} onChange={(e) => setUrgent(e.target.checked)} />
            {t('urgency.urgent')}
          </label>
        </div>

        <div className="intake-side">
          <div className="field intake-address">
            <label htmlFor="intake-address">{t('intake.address')}</label>
            <input
              id="intake-address"
              type="search"
              value={addressText}
              placeholder={t('baseui.pick.searchPlaceholder')}
              onChange={(e) => {
                setAddressText(e.target.value);
                setAddress(e.target.value.trim() ? { id: null, text: e.target.value.trim() } : null);
              }}
              autoComplete="off"
              data-testid="intake-address"
            />
            {found.length > 0 && (
              <ul className="address-choices" role="list">
                {found.map((a) => (
                  <li key={a.id}>
                    <button type="button" className="address-choice" onClick={() => pickAddress(a)}>
                      <span className="address-choice-text">{a.fullText}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <span className="muted small">{t('intake.mapHint')}</span>
          </div>
          <Suspense fallback={<Loading />}>
            <PointMap
              point={point}
              editable
              onChange={setPoint}
              height={260}
              home={home}
              label={t('intake.map')}
            />
          </Suspense>
          {point && (
            <div className="muted small mono" data-testid="intake-point">
              {point[1].toFixed(6)}, {point[0].toFixed(6)}
            </div>
          )}

          <section className="intake-duplicates" aria-live="polite" data-testid="intake-duplicates">
            <h2>{t('intake.duplicates')}</h2>
            {!point || !check?.duplicatesFor ? (
              <p className="muted small">{t('intake.duplicatesNeed')}</p>
            ) : duplicates.length === 0 ? (
              <p className="muted small">
                {t('intake.noDuplicates', {
                  category: dupCategory ? pick(dupCategory.nameZh, dupCategory.nameEn) : '',
                  m: check.radiusM,
                })}
              </p>
            ) : (
              <>
                <p className="notice notice-conflict" role="status">
                  {t('intake.duplicatesFound', {
                    n: duplicates.length,
                    category: dupCategory ? pick(dupCategory.nameZh, dupCategory.nameEn) : '',
                    m: check.radiusM,
                  })}
                </p>
                <ul className="intake-dup-list" role="list">
                  {duplicates.map((d) => (
                    <li key={d.id} className="intake-dup" data-testid="intake-duplicate" data-case={d.caseNo}>
                      <div className="intake-dup-head">
                        <Link to={`/cases/${d.id}`} className="mono">
                          {d.caseNo}
                        </Link>
                        <span className="muted small">
                          {t(`state.${d.state}`)} · {t('intake.metres', { n: d.distanceM })}
                        </span>
                      </div>
                      <div className="intake-dup-text">{d.description}</div>
                      {check.mayMerge ? (
                        <button
                          type="button"
                          className="btn btn-small"
                          disabled={busy}
                          onClick={() => void save(d.id)}
                          data-testid="intake-merge"
                        >
                          {t('intake.merge')}
                        </button>
                      ) : (
                        <span className="muted small">{t('intake.mergeByStreet')}</span>
                      )}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        </div>
      </div>

      {error && (
        <div className="error-box" role="alert">
          {error}
        </div>
      )}
      <div className="intake-actions">
        <button type="submit" className="btn btn-primary btn-large" disabled={busy} data-testid="intake-save">
          {busy ? t('common.submitting') : t('intake.save')}
        </button>
      </div>
    </form>
  );
}
