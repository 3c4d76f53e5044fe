import { lazy, Suspense, useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { call, client, uploadPublicPhoto } from '../../api/client';
import type { PublicNearby, PublicReport } from '../../api/models';
import { Link } from '../../router';
import { useReference } from '../../session';
import { errorMessage, publicStatusLabel } from '../../lib/labels';
import { uuid } from '../../lib/idempotency';
import { solveChallenge } from '../../lib/pow';
import { PhotoInput } from '../../components/PhotoInput';
import { Field, Loading, Panel } from '../../components/ui';
import { CategoryPicker } from '../mobile/CategoryPicker';

const PointMap = lazy(() => import('../../map/PointMap'));

type Nearby = PublicNearby['items'];
type Gps = 'idle' | 'locating' | 'failed';

/** The private link of a case: the code travels in the fragment, which browsers never send to servers. */
export const privateLink = (caseNo: string, code: string) =>
  `${location.origin}/public/c/${encodeURIComponent(caseNo)}#${code}`;

/**
 * 匿名反映 (issue 15): a citizen without an account reports a problem — category, place (map or GPS),
 * photo, a phone or e-mail for contact — after seeing open cases of the kind nearby, and gets the case
 * number, the follow-up code and a private link. The browser pays a small proof of work; a field people
 * never see traps bots.
 */
export function AnonymousReport() {
  const { t, pick } = useI18n();
  const ref = useReference();
  const [key, setKey] = useState(uuid); // one Idempotency-Key per draft
  const [draft, setDraft] = useState(0);
  const [category, setCategory] = useState('');
  const [point, setPoint] = useState<[number, number] | null>(null);
  const [gps, setGps] = useState<Gps>('idle');
  const [description, setDescription] = useState('');
  const [contact, setContact] = useState('');
  const [website, setWebsite] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const [nearby, setNearby] = useState<Nearby | null>(null);
  const [busy, setBusy] = useState<'checking' | 'sending' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<PublicReport | null>(null);
  const [copied, setCopied] = useState(false);
  const submitting = useRef(false);

  // open cases of the kind nearby, once a category and a place are chosen
  useEffect(() => {
    if (!category || !point) {
      setNearby(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      call(
        client.POST('/api/v1/public/cases/nearby', {
          body: { category, location: { lon: point[0], lat: point[1] } },
        }),
        { quiet401: true },
      )
        .then((r) => live && setNearby(r.items))
        .catch(() => live && setNearby(null));
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [category, point?.[0], point?.[1]]);

  const locate = () => {
    if (!('geolocation' in navigator)) return setGps('failed');
    setGps('locating');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setPoint([p.coords.longitude, p.coords.latitude]);
        setGps('idle');
      },
      () => setGps('failed'),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (submitting.current) return;
    if (!category) return setError(t('mobile.report.needCategory'));
    if (!point) return setError(t('mobile.report.needLocation'));
    if (!description.trim()) return setError(t('mobile.report.needDescription'));
    if (!contact.trim()) return setError(t('anon.needContact'));
    submitting.current = true;
    setError(null);
    try {
      setBusy('checking');
      const c = await call(client.GET('/api/v1/public/challenge'), { quiet401: true });
      const nonce = await solveChallenge(c.challenge, c.bits);
      setBusy('sending');
      const created = await call(
        client.POST('/api/v1/public/reports', {
          params: { header: { 'idempotency-key': key } },
          body: {
            category,
            description: description.trim(),
            location: { lon: point[0], lat: point[1] },
            contact: contact.trim(),
            challenge: c.challenge,
            nonce,
            ...(photos.length ? { photos } : {}),
            ...(website ? { website } : {}),
          },
        }),
        { quiet401: true },
      );
      setDone(created);
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      submitting.current = false;
      setBusy(null);
    }
  };

  if (done) {
    const link = privateLink(done.caseNo, done.followUpCode);
    return (
      <Panel title={t('anon.doneTitle')}>
        <div className="success-card" role="status" data-testid="anon-submitted">
          <dl className="facts">
            <dt>{t('anon.doneNumber')}</dt>
            <dd className="mono" data-testid="anon-case-no">
              {done.caseNo}
            </dd>
            <dt>{t('anon.doneCode')}</dt>
            <dd className="mono" data-testid="anon-code">
              {done.followUpCode}
            </dd>
          </dl>
          <p>{t('anon.doneKeep')}</p>
          <p className="anon-link">
            <span className="label">{t('anon.link')}</span>
            <code className="mono" data-testid="anon-link">
              {link}
            </code>
          </p>
          <div className="actions">
            <Link
              to={`/public/c/${encodeURIComponent(done.caseNo)}#${done.followUpCode}`}
              className="btn btn-primary"
            >
              {t('anon.openLink')}
            </Link>
            <button
              type="button"
              className="btn"
              onClick={() => {
                void navigator.clipboard?.writeText(link).then(() => setCopied(true));
              }}
            >
              {copied ? t('anon.copied') : t('anon.copy')}
            </button>
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                setDone(null);
                setKey(uuid());
                setDraft((n) => n + 1);
                setDescription('');
                setCategory('');
                setPhotos([]);
                setCopied(false);
              }}
            >
              {t('anon.again')}
            </button>
          </div>
        </div>
      </Panel>
    );
  }

  const catName = (code: string) => {
    const c = ref?.categoryByCode.get(code);
    return c ? pick(c.nameZh, c.nameEn) : code;
  };
  return (
    <Panel title={t('anon.title')}>
      <p className="hint">
        {t('anon.intro')} {t('anon.haveAccount')} <Link to="/login?next=/public">{t('nav.login')}</Link>
      </p>
      <form className="form anon-form" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="field">
          <legend>{t('form.category')}</legend>
          <CategoryPicker value={category} onChange={setCategory} name="anon-category" citizen />
        </fieldset>
        <div className="field">
          <span className="label">{t('form.location')}</span>
          <Suspense fallback={<Loading />}>
            <PointMap point={point} editable onChange={setPoint} height={240} label={t('form.location')} />
          </Suspense>
          <div className="hint">
            {t('map.clickToPlace')}{' '}
            <button type="button" className="btn btn-small" onClick={locate} disabled={gps === 'locating'}>
              {gps === 'locating' ? t('anon.locating') : t('anon.useGps')}
            </button>
          </div>
          {gps === 'failed' && <div className="hint warn">{t('anon.gpsFailed')}</div>}
        </div>
        {nearby && (
          <div className="nearby-box" data-testid="anon-nearby" aria-live="polite">
            {nearby.length === 0 ? (
              <p className="hint">{t('anon.nearbyNone')}</p>
            ) : (
              <>
                <h3 className="sub">{t('anon.nearbyTitle')}</h3>
                <ul className="nearby-list">
                  {nearby.map((n, i) => (
                    <li key={i}>
                      {catName(n.categoryCode)} ·{' '}
                      {t('anon.nearbyItem', {
                        distance: String(n.distanceM),
                        day: n.reportedOn,
                        status: publicStatusLabel(t, n.status),
                      })}
                    </li>
                  ))}
                </ul>
                <p className="hint">{t('anon.nearbyHint')}</p>
              </>
            )}
          </div>
        )}
        <PhotoInput
          key={draft}
          label={t('form.photos')}
          onChange={setPhotos}
          onBusy={setUploading}
          upload={uploadPublicPhoto}
        />
        <Field label={t('form.description')} htmlFor="anon-desc" required>
          <textarea
            id="anon-desc"
            rows={3}
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            required
          />
        </Field>
        <Field label={t('anon.contact')} htmlFor="anon-contact" required>
          <input
            id="anon-contact"
            type="text"
            inputMode="email"
            autoComplete="tel"
            maxLength={254}
            placeholder={t('anon.contactPlaceholder')}
            value={contact}
            onChange={(e) => setContact(e.target.value)}
            required
          />
        </Field>
        <p className="hint">{t('anon.contactHint')}</p>
        {/* a trap for bots: hidden from people and from assistive technology */}
        <div className="hp-field" aria-hidden="true">
          <label htmlFor="anon-website">{t('anon.website')}</label>
          <input
            id="anon-website"
            name="website"
            tabIndex={-1}
            autoComplete="off"
            value={website}
            onChange={(e) => setWebsite(e.target.value)}
          />
        </div>
        {error && (
          <div className="error-box" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy !== null || uploading}>
          {busy === 'checking'
            ? t('anon.checking')
            : busy === 'sending'
              ? t('common.submitting')
              : t('anon.send')}
        </button>
      </form>
    </Panel>
  );
}
