import { lazy, Suspense, useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { call, client, isApiError } from '../api/client';
import type { PublicCase } from '../api/models';
import { Link, match, setSearch, useLocation } from '../router';
import { useReference, useSession } from '../session';
import { dateTime } from '../lib/format';
import { errorMessage, publicStatusLabel } from '../lib/labels';
import { uuid } from '../lib/idempotency';
import { Footer, LangToggle } from '../components/Layout';
import { PhotoInput } from '../components/PhotoInput';
import { Field, Loading, Panel } from '../components/ui';
import { CategoryPicker } from './mobile/CategoryPicker';
import { submitReport } from './mobile/ReportPage';
import { AnonymousReport } from './public/AnonymousReport';

const PointMap = lazy(() => import('../map/PointMap'));

/** Follow a case by its number: public status only (no names, notes or internal steps). */
function FollowCase() {
  const { t, lang, pick } = useI18n();
  const ref = useReference();
  const { search, path } = useLocation();
  // the private link `/public/c/<number>#<code>` (issue 15): the code is in the fragment, which the
  // browser never sends, so it stays out of server and proxy logs
  const linked = match('/public/c/:caseNo', path);
  const linkedCode = linked ? decodeURIComponent(location.hash.slice(1)) : '';
  const [number, setNumber] = useState(linked?.caseNo ?? search.get('number') ?? '');
  // a link may carry the code (`?number=…&code=…`, e.g. from an SMS); it is taken off the address bar at
  // once so it stays out of the history and referrers, and the page looks the case up
  const [code, setCode] = useState(linkedCode || (search.get('code') ?? ''));
  const [result, setResult] = useState<PublicCase | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const lookup = async (e?: FormEvent) => {
    e?.preventDefault();
    const n = number.trim();
    const c = code.trim();
    if (!n || !c) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(
        await call(client.POST('/api/v1/public/cases/lookup', { body: { caseNo: n, code: c } }), {
          quiet401: true,
        }),
      );
      if (!match('/public/c/:caseNo', location.pathname)) setSearch({ number: n, code: undefined });
    } catch (err) {
      setError(isApiError(err) && err.status === 404 ? t('public.notFound') : errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  const fromLink = useRef({ number, code });
  useEffect(() => {
    const link = fromLink.current;
    if (linked && link.code) {
      void lookup();
      return;
    }
    if (!new URLSearchParams(location.search).has('code')) return;
    setSearch({ code: undefined });
    if (link.number.trim() && link.code.trim()) void lookup();
  }, []); // once, on arrival: the values the link carried

  const status = result?.status ?? null;
  const cat = result?.categoryCode ? ref?.categoryByCode.get(result.categoryCode) : undefined;
  return (
    <Panel title={t('public.followTitle')}>
      <form className="inline-form" onSubmit={(e) => void lookup(e)}>
        <Field label={t('public.caseNumber')} htmlFor="case-number">
          <input
            id="case-number"
            className="mono"
            value={number}
            placeholder={t('public.caseNumberPlaceholder')}
            onChange={(e) => setNumber(e.target.value)}
            required
          />
        </Field>
        <Field label={t('public.followUpCode')} htmlFor="follow-up-code">
          <input
            id="follow-up-code"
            className="mono"
            value={code}
            placeholder={t('public.followUpCodePlaceholder')}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={32}
            onChange={(e) => setCode(e.target.value)}
            required
          />
        </Field>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('public.lookup')}
        </button>
      </form>
      <p className="hint">{t('public.followHint')}</p>
      {error && (
        <div className="error-box" role="alert">
          {error}
        </div>
      )}
      {result && status && (
        <div className="public-result" data-testid="public-result" data-status={status}>
          <dl className="facts">
            <dt>{t('public.caseNumber')}</dt>
            <dd className="mono">{result.caseNo}</dd>
            <dt>{t('public.status')}</dt>
            <dd>
              <span className={`badge public-${status}`}>{publicStatusLabel(t, status)}</span>
            </dd>
            {(cat || result.categoryName) && (
              <>
                <dt>{t('case.category')}</dt>
                <dd>{cat ? pick(cat.nameZh, cat.nameEn) : result.categoryName}</dd>
              </>
            )}
            <dt>{t('case.reportedAt')}</dt>
            <dd className="mono">{dateTime(result.reportedAt, lang)}</dd>
          </dl>
          <RateCase view={result} code={code.trim()} onRated={setResult} />
          {result.history && result.history.length > 0 && (
            <>
              <h3 className="sub">{t('public.history')}</h3>
              <ol className="public-history">
                {result.history.map((h, i) => (
                  <li key={i}>
                    <span className="mono">{dateTime(h.at, lang)}</span> {publicStatusLabel(t, h.status)}
                  </li>
                ))}
              </ol>
            </>
          )}
        </div>
      )}
    </Panel>
  );
}

/**
 * Rating after closure (issue 15 §3): the anonymous reporter, with number + code, rates once — recorded as
 * the case's follow_up (回访) event. Shows the rating once given.
 */
function RateCase({
  view,
  code,
  onRated,
}: {
  view: PublicCase;
  code: string;
  onRated: (view: PublicCase) => void;
}) {
  const { t } = useI18n();
  const [satisfaction, setSatisfaction] = useState<Satisfaction | ''>('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (view.rating)
    return (
      <p className="success-card" data-testid="public-rated">
        {t('anon.rated', { satisfaction: t(`form.satisfaction.${view.rating.satisfaction}`) })}
      </p>
    );
  if (!view.canRate) return null;
  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!satisfaction) return;
    setBusy(true);
    setError(null);
    try {
      onRated(
        await call(
          client.POST('/api/v1/public/cases/rate', {
            body: { caseNo: view.caseNo, code, satisfaction, ...(note.trim() ? { note: note.trim() } : {}) },
          }),
          { quiet401: true },
        ),
      );
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form rate-form" data-testid="public-rate" onSubmit={(e) => void send(e)}>
      <h3 className="sub">{t('anon.rateTitle')}</h3>
      <p className="hint">{t('anon.rateHint')}</p>
      <fieldset className="field rate-choices">
        <legend className="sr-only">{t('form.satisfaction')}</legend>
        <div className="cat-chips">
          {SATISFACTIONS.map((s) => (
            <label key={s} className={`cat-chip ${satisfaction === s ? 'active' : ''}`}>
              <input
                type="radio"
                name="satisfaction"
                value={s}
                checked={satisfaction === s}
                onChange={() => setSatisfaction(s)}
              />
              {t(`form.satisfaction.${s}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <Field label={t('anon.rateNote')} htmlFor="rate-note">
        <textarea
          id="rate-note"
          rows={2}
          maxLength={1000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Field>
      {error && (
        <div className="error-box" role="alert">
          {error}
        </div>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy || !satisfaction}>
        {t('anon.rateSend')}
      </button>
    </form>
  );
}

const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
type Satisfaction = (typeof SATISFACTIONS)[number];

/** A citizen's report: category, place on the map, photo, contact. Needs a citizen account. */
function CitizenReport() {
  const { t } = useI18n();
  const { me } = useSession();
  const [key, setKey] = useState(uuid);
  const [category, setCategory] = useState('');
  const [point, setPoint] = useState<[number, number] | null>(null);
  const [description, setDescription] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ caseNo: string; code: string | null } | null>(null);

  // without a citizen account: the anonymous report (issue 15)
  if (!me || me.role !== 'citizen') return <AnonymousReport />;
  if (done) {
    return (
      <Panel title={t('public.reportTitle')}>
        <div className="success-card" role="status" data-testid="public-submitted">
          <p>{t('public.submitted', { number: done.caseNo })}</p>
          {done.code && (
            <p>
              <span data-testid="follow-up-code">{t('public.submittedCode', { code: done.code })}</span>
            </p>
          )}
          <button
            type="button"
            className="btn"
            onClick={() => {
              setDone(null);
              setKey(uuid());
              setDescription('');
              setCategory('');
            }}
          >
            {t('mobile.report.newReport')}
          </button>
        </div>
      </Panel>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!category) return setError(t('mobile.report.needCategory'));
    if (!point) return setError(t('mobile.report.needLocation'));
    if (!description.trim()) return setError(t('mobile.report.needDescription'));
    setBusy(true);
    setError(null);
    try {
      const created = await submitReport(
        {
          source: 'citizen',
          category,
          description: description.trim(),
          location: { lon: point[0], lat: point[1], crs: 'wgs84' },
          ...(name.trim() || phone.trim()
            ? {
                reporter: {
                  ...(name.trim() ? { name: name.trim() } : {}),
                  ...(phone.trim() ? { phone: phone.trim() } : {}),
                },
              }
            : {}),
          ...(photos.length ? { photos } : {}),
        },
        key,
      );
      setDone({ caseNo: created.case.caseNo, code: created.followUpCode });
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel title={t('public.reportTitle')}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="field">
          <legend>{t('form.category')}</legend>
          <CategoryPicker value={category} onChange={setCategory} name="public-category" citizen />
        </fieldset>
        <div className="field">
          <span className="label">{t('form.location')}</span>
          <Suspense fallback={<Loading />}>
            <PointMap point={point} editable onChange={setPoint} height={260} label={t('form.location')} />
          </Suspense>
          <div className="hint">{t('map.clickToPlace')}</div>
        </div>
        <PhotoInput label={t('form.photos')} onChange={setPhotos} onBusy={setUploading} />
        <Field label={t('form.description')} htmlFor="pub-desc" required>
          <textarea
            id="pub-desc"
            rows={3}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            required
          />
        </Field>
        <div className="two-cols">
          <Field label={t('form.contactName')} htmlFor="pub-name">
            <input id="pub-name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label={t('form.contactPhone')} htmlFor="pub-phone">
            <input
              id="pub-phone"
              type="tel"
              autoComplete="tel"
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
            />
          </Field>
        </div>
        <p className="hint">{t('public.privacy')}</p>
        {error && (
          <div className="error-box" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy || uploading}>
          {busy ? t('common.submitting') : t('common.submit')}
        </button>
      </form>
    </Panel>
  );
}

/** 市民服务: report a problem and follow a case by its number. */
export function PublicPage() {
  const { t } = useI18n();
  const { me, logout } = useSession();
  const { path } = useLocation();
  // a private link (`/public/c/<number>#<code>`) comes to follow a case: that panel first
  const following = match('/public/c/:caseNo', path) !== null;
  const report = me === undefined ? <Loading /> : <CitizenReport />;
  return (
    <div className="public-page">
      <header className="topbar">
        <Link to="/public" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-sub">{t('public.title')}</span>
        </Link>
        <div className="topbar-right">
          <LangToggle />
          {me ? (
            <>
              {me.role === 'citizen' && (
                // 我的上报 (issue 11 §4): the signed-in citizen's own reports, in the public view
                <Link to="/mine" className="btn btn-ghost" data-testid="mine-link">
                  {t('nav.mine')}
                </Link>
              )}
              <span className="who">
                <span className="who-name">{me.displayName}</span>
              </span>
              <button type="button" className="btn btn-ghost" onClick={() => void logout()}>
                {t('nav.logout')}
              </button>
            </>
          ) : (
            <Link to="/login?next=/public" className="btn btn-ghost">
              {t('nav.login')}
            </Link>
          )}
        </div>
      </header>
      <main id="main" className="main public-main">
        <h1 className="sr-only">{t('public.title')}</h1>
        <div className={`public-grid ${following ? 'public-following' : ''}`}>
          {following ? (
            <>
              <FollowCase />
              {report}
            </>
          ) : (
            <>
              {report}
              <FollowCase />
            </>
          )}
        </div>
      </main>
      <Footer />
    </div>
  );
}
