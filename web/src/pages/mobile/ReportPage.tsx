import { lazy, Suspense, useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { call, client, isApiError } from '../../api/client';
import type { components } from '../../api/schema';
import type { CreateCaseResult } from '../../api/models';
import { Link } from '../../router';
import { useReference } from '../../session';
import { errorMessage } from '../../lib/labels';
import { uuid } from '../../lib/idempotency';
import { PhotoInput } from '../../components/PhotoInput';
import { Field, Loading } from '../../components/ui';
import { CategoryPicker } from './CategoryPicker';
import { AddressPicker, type PickedAddress } from './AddressPicker';

const PointMap = lazy(() => import('../../map/PointMap'));

type Gps = { state: 'locating' } | { state: 'ok'; accuracy: number } | { state: 'failed' };

/**
 * Sends a report with the draft's Idempotency-Key, retrying on network failures with the same key: a
 * lost answer on a flaky network re-sends the same request, and the server returns the case it already
 * created instead of a second one.
 */
export async function submitReport(
  body: components['schemas']['CreateCaseBody'],
  key: string,
  onRetry?: () => void,
): Promise<CreateCaseResult> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      const answer = await call(client.POST('/api/v1/cases', { body, headers: { 'idempotency-key': key } }));
      // openapi-fetch reads tuples as arrays: the contract's type says what they are
      return answer as CreateCaseResult;
    } catch (e) {
      lastError = e;
      const retriable =
        isApiError(e) && (e.code === 'network' || e.status === 502 || e.status === 503 || e.status === 504);
      if (!retriable) throw e;
      onRetry?.();
      await new Promise((r) => setTimeout(r, 800 * 2 ** attempt));
    }
  }
  throw lastError;
}

/** 巡管员上报 (and 自行处置 with before/after photos) on a phone: category, photos, GPS pin, description. */
export function ReportPage({ mode }: { mode: 'report' | 'self' }) {
  const { t, pick } = useI18n();
  const ref = useReference();
  const [key, setKey] = useState(uuid); // one Idempotency-Key per draft
  const [category, setCategory] = useState<string>('');
  const [point, setPoint] = useState<[number, number] | null>(null);
  const [gps, setGps] = useState<Gps>({ state: 'locating' });
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState('');
  const [standard, setStandard] = useState<PickedAddress | null>(null);
  const [urgent, setUrgent] = useState(false);
  const [photos, setPhotos] = useState<string[]>([]);
  const [after, setAfter] = useState<string[]>([]);
  const [result, setResult] = useState('');
  const [uploading, setUploading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<CreateCaseResult | null>(null);
  const [draft, setDraft] = useState(0); // remounts the photo inputs for a new draft
  const submitting = useRef(false);

  const locate = () => {
    if (!('geolocation' in navigator)) {
      setGps({ state: 'failed' });
      return;
    }
    setGps({ state: 'locating' });
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setPoint([p.coords.longitude, p.coords.latitude]);
        setGps({ state: 'ok', accuracy: p.coords.accuracy });
      },
      () => setGps({ state: 'failed' }),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  };
  useEffect(locate, []);

  const validate = (): string | null => {
    if (!category) return t('mobile.report.needCategory');
    if (!point) return t('mobile.report.needLocation');
    if (!description.trim()) return t('mobile.report.needDescription');
    if (mode === 'self' && (photos.length === 0 || after.length === 0 || !result.trim()))
      return t('form.photosRequired');
    return null;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (submitting.current) return; // a double tap sends nothing twice
    const problem = validate();
    if (problem) {
      setError(problem);
      return;
    }
    submitting.current = true;
    setBusy(true);
    setError(null);
    try {
      const body = {
        // no `source`: the server derives it from the reporter's role (patroller → patrol, …)
        category,
        urgency: urgent ? ('urgent' as const) : ('normal' as const),
        description: description.trim(),
        location: { lon: point![0], lat: point![1], crs: 'wgs84' as const },
        ...(address.trim() ? { address: address.trim() } : {}),
        ...(standard ? { addressId: standard.id } : {}),
        ...(photos.length ? { photos } : {}),
        ...(mode === 'self' ? { selfHandled: { result: result.trim(), afterPhotos: after } } : {}),
      };
      setDone(await submitReport(body, key, () => setRetrying(true)));
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      submitting.current = false;
      setBusy(false);
      setRetrying(false);
    }
  };

  const reset = () => {
    setKey(uuid());
    setCategory('');
    setDescription('');
    setAddress('');
    setStandard(null);
    setUrgent(false);
    setPhotos([]);
    setAfter([]);
    setResult('');
    setDone(null);
    setError(null);
    setDraft((n) => n + 1);
    locate();
  };

  if (done) {
    return (
      <div className="mobile-page">
        <div className="success-card" role="status">
          <div className="success-icon" aria-hidden="true">
            ✓
          </div>
          <p>{t('mobile.report.submitted', { number: done.case.caseNo })}</p>
          <Link to={`/cases/${done.case.id}`} className="mono" data-testid="reported-case">
            {done.case.caseNo}
          </Link>
          {done.followUpCode && (
            <p data-testid="follow-up-code">{t('mobile.report.followUpCode', { code: done.followUpCode })}</p>
          )}
          {done.duplicates.length > 0 && (
            <p className="notice notice-conflict">
              {t('mobile.report.duplicateHint', { numbers: done.duplicates.map((d) => d.caseNo).join(', ') })}
            </p>
          )}
          <button type="button" className="btn btn-primary btn-block" onClick={reset}>
            {t('mobile.report.newReport')}
          </button>
        </div>
      </div>
    );
  }

  const cat = ref?.categoryByCode.get(category);
  return (
    <form
      className="mobile-page report-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-idempotency-key={key}
    >
      <h1>{mode === 'self' ? t('mobile.self.title') : t('mobile.report.title')}</h1>
      {mode === 'self' && <p className="hint">{t('mobile.self.hint')}</p>}

      <fieldset className="field">
        <legend>
          {t('mobile.report.category')}
          {cat && <span className="picked"> · {pick(cat.nameZh, cat.nameEn)}</span>}
        </legend>
        <CategoryPicker value={category} onChange={setCategory} />
      </fieldset>

      <div key={`photos-${draft}`}>
        <PhotoInput
          label={mode === 'self' ? t('form.beforePhotos') : t('mobile.report.photo')}
          name="photos"
          onChange={setPhotos}
          onBusy={setUploading}
          required={mode === 'self'}
        />
        {mode === 'self' && (
          <PhotoInput
            label={t('form.afterPhotos')}
            name="afterPhotos"
            onChange={setAfter}
            onBusy={setUploading}
            required
          />
        )}
      </div>

      <div className="field">
        <div className="field-row">
          <span className="label">{t('mobile.report.gps')}</span>
          <span className="muted small" role="status">
            {gps.state === 'locating'
              ? t('mobile.report.locating')
              : gps.state === 'ok'
                ? t('mobile.report.located', { m: Math.round(gps.accuracy) })
                : t('mobile.report.gpsFailed')}
          </span>
          <button type="button" className="btn btn-small" onClick={locate}>
            {t('mobile.report.useGps')}
          </button>
        </div>
        <Suspense fallback={<Loading />}>
          <PointMap point={point} editable onChange={setPoint} height={220} label={t('mobile.report.gps')} />
        </Suspense>
        {point && (
          <div className="muted small mono" data-testid="report-point">
            {point[1].toFixed(6)}, {point[0].toFixed(6)}
          </div>
        )}
      </div>

      <Field label={t('form.description')} htmlFor="description" required>
        <textarea
          id="description"
          rows={3}
          value={description}
          placeholder={t('form.descriptionPlaceholder')}
          onChange={(e) => setDescription(e.target.value)}
          required
        />
      </Field>
      {mode === 'self' && (
        <Field label={t('form.result')} htmlFor="result" required>
          <textarea
            id="result"
            rows={2}
            value={result}
            placeholder={t('form.resultPlaceholder')}
            onChange={(e) => setResult(e.target.value)}
          />
        </Field>
      )}
      <AddressPicker
        point={point}
        value={standard}
        onChange={(a) => {
          setStandard(a);
          if (a && !address.trim()) setAddress(a.fullText);
        }}
      />
      <Field label={t('form.address')} htmlFor="address">
        <input
          id="address"
          value={address}
          placeholder={t('form.addressPlaceholder')}
          onChange={(e) => setAddress(e.target.value)}
        />
      </Field>
      {mode === 'report' && (
        <label className="check">
          <input type="checkbox" checked={urgent} onChange={(e) => setUrgent(e.target.checked)} />
          {t('urgency.urgent')}
        </label>
      )}

      {retrying && (
        <div className="notice notice-conflict" role="status">
          {t('mobile.report.retrying')}
        </div>
      )}
      {error && (
        <div className="error-box" role="alert">
          {error}
        </div>
      )}
      <div className="sticky-submit">
        <button type="submit" className="btn btn-primary btn-block btn-large" disabled={busy || uploading}>
          {busy ? t('common.submitting') : uploading ? t('form.uploading') : t('mobile.report.submit')}
        </button>
      </div>
    </form>
  );
}
