import { useEffect, useState, type FormEvent } from 'react';
import { call, client } from '../../api/client';
import { useCall } from '../../api/hooks';
import type { components } from '../../api/schema';
import { PhotoInput } from '../../components/PhotoInput';
import { Empty, ErrorBox, Field, Loading } from '../../components/ui';
import '../../styles/screening.css';
import { useI18n, type MessageKey } from '../../i18n';
import { shortDateTime } from '../../lib/format';

type Task = components['schemas']['ScreeningTask'];
type Theme = components['schemas']['ScreeningThemes']['items'][number];
type Outcome = components['schemas']['VisitOutcome'];
type Fix = { lon: number; lat: number; accuracyM: number } | null;
const OUTCOMES: Outcome[] = ['normal', 'problem_found', 'nobody_home', 'refused'];

/** The phone's screening tasks (排摸), nearest first, and the visit form of the chosen one. */
export function ScreeningTasksPage() {
  const { t, lang } = useI18n();
  const [fix, setFix] = useState<Fix | undefined>(undefined);
  const [task, setTask] = useState<Task | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    if (!('geolocation' in navigator)) return setFix(null);
    navigator.geolocation.getCurrentPosition(
      (p) => setFix({ lon: p.coords.longitude, lat: p.coords.latitude, accuracyM: p.coords.accuracy }),
      () => setFix(null),
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 30_000 },
    );
  }, []);
  const where = fix ? `${fix.lon.toFixed(4)},${fix.lat.toFixed(4)}` : String(fix);
  const tasks = useCall(`screening tasks ${where}`, (signal) =>
    client.GET('/api/v1/screening/tasks', {
      params: { query: fix ? { lon: fix.lon, lat: fix.lat } : {} },
      signal,
    }),
  );
  const themes = useCall('screening themes', (signal) => client.GET('/api/v1/screening/themes', { signal }));

  if (task && themes.data) {
    const theme = themes.data.items.find((th) => th.theme === task.theme)!;
    return (
      <VisitForm
        task={task}
        theme={theme}
        fix={fix ?? null}
        onDone={(message) => {
          setTask(null);
          setDone(message);
          tasks.reload(true);
        }}
        onCancel={() => setTask(null)}
      />
    );
  }
  return (
    <div className="screening-phone">
      <h1>{t('screening.tasks.title')}</h1>
      {fix === undefined && <p className="muted small">{t('screening.tasks.locating')}</p>}
      {fix === null && <p className="muted small">{t('screening.tasks.noGps')}</p>}
      {done && (
        <p className="notice" role="status" data-visit-done>
          {done}
        </p>
      )}
      {tasks.error ? (
        <ErrorBox error={tasks.error} onRetry={() => tasks.reload()} />
      ) : !tasks.data ? (
        <Loading />
      ) : tasks.data.items.length === 0 ? (
        <Empty>{t('screening.tasks.empty')}</Empty>
      ) : (
        <ul className="screening-tasks">
          {tasks.data.items.map((k) => (
            <li key={k.id}>
              <button type="button" className="screening-task" data-task={k.id} onClick={() => setTask(k)}>
                <strong>{k.label}</strong>
                <span className="muted small">
                  {t(`screening.theme.${k.theme}` as MessageKey)} · {k.campaignName}
                </span>
                <span className="small">
                  {k.distanceM !== null && <>{t('screening.tasks.distance', { m: k.distanceM })} · </>}
                  {k.status === 'revisit' && k.revisitAt
                    ? t('screening.tasks.revisitAt', { at: shortDateTime(k.revisitAt, lang) })
                    : t('screening.tasks.due', { at: shortDateTime(k.dueAt, lang) })}
                  {k.standing === 'again_after_problem' && <> · {t('screening.tasks.again')}</>}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function distance(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const r = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return Math.round(2 * r * Math.asin(Math.sqrt(h)));
}

function VisitForm({
  task,
  theme,
  fix,
  onDone,
  onCancel,
}: {
  task: Task;
  theme: Theme;
  fix: Fix;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const [outcome, setOutcome] = useState<Outcome>('normal');
  const [answers, setAnswers] = useState<Record<string, string | number | boolean>>({});
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const [farReason, setFarReason] = useState('');
  const [finding, setFinding] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const met = outcome === 'normal' || outcome === 'problem_found';
  const metres =
    fix && task.lon !== null && task.lat !== null ? distance(fix, { lon: task.lon, lat: task.lat }) : null;
  const label = (l: { zh: string; en: string }) => (lang === 'zh' ? l.zh : l.en);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const visit = await call(
        client.POST('/api/v1/screening/tasks/{id}/visits', {
          params: { path: { id: task.id } },
          body: {
            version: task.version,
            outcome,
            answers: met ? answers : {},
            photos,
            position: fix,
            ...(farReason.trim() ? { farReason: farReason.trim() } : {}),
            ...(outcome === 'problem_found' ? { finding: { description: finding.trim() } } : {}),
          },
        }),
      );
      const status = t(`screening.status.${visit.taskStatus}` as MessageKey);
      onDone(
        `${t('screening.visit.done', { status })}${visit.caseNumber ? ` · ${t('screening.visit.caseOpened', { no: visit.caseNumber })}` : ''}`,
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="screening-phone screening-visit" onSubmit={(e) => void submit(e)} data-visit-form>
      <h1>{t('screening.visit.title')}</h1>
      <p style={{ overflowWrap: 'anywhere' }}>
        <strong>{task.label}</strong>
        <br />
        <span className="muted small">
          {metres !== null ? t('screening.visit.gps', { m: metres }) : t('screening.visit.noFix')}
        </span>
      </p>
      <fieldset className="screening-outcomes">
        <legend>{t('screening.visit.outcome')}</legend>
        {OUTCOMES.map((o) => (
          <label key={o} className="screening-outcome">
            <input
              type="radio"
              name="outcome"
              value={o}
              checked={outcome === o}
              onChange={() => setOutcome(o)}
            />{' '}
            {t(`screening.outcome.${o}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      {met &&
        theme.fields.map((f) => (
          <Field key={f.key} label={label(f.label)} htmlFor={`f-${f.key}`} required={f.required}>
            {f.kind === 'integer' ? (
              <input
                id={`f-${f.key}`}
                type="number"
                inputMode="numeric"
                min={f.min}
                max={f.max}
                required={f.required}
                value={typeof answers[f.key] === 'number' ? String(answers[f.key]) : ''}
                onChange={(e) => {
                  const { [f.key]: _, ...rest } = answers;
                  setAnswers(e.target.value === '' ? rest : { ...rest, [f.key]: Number(e.target.value) });
                }}
              />
            ) : f.kind === 'boolean' ? (
              <select
                id={`f-${f.key}`}
                required={f.required}
                value={answers[f.key] === undefined ? '' : String(answers[f.key])}
                onChange={(e) => {
                  const { [f.key]: _, ...rest } = answers;
                  setAnswers(e.target.value === '' ? rest : { ...rest, [f.key]: e.target.value === 'true' });
                }}
              >
                <option value="">—</option>
                <option value="true">{t('screening.visit.yes')}</option>
                <option value="false">{t('screening.visit.no')}</option>
              </select>
            ) : f.kind === 'choice' ? (
              <select
                id={`f-${f.key}`}
                required={f.required}
                value={typeof answers[f.key] === 'string' ? String(answers[f.key]) : ''}
                onChange={(e) => {
                  const { [f.key]: _, ...rest } = answers;
                  setAnswers(e.target.value === '' ? rest : { ...rest, [f.key]: e.target.value });
                }}
              >
                <option value="">—</option>
                {(f.options ?? []).map((o) => (
                  <option key={o.value} value={o.value}>
                    {lang === 'zh' ? o.zh : o.en}
                  </option>
                ))}
              </select>
            ) : (
              <textarea
                id={`f-${f.key}`}
                maxLength={f.maxLength}
                rows={2}
                value={typeof answers[f.key] === 'string' ? String(answers[f.key]) : ''}
                onChange={(e) => {
                  const { [f.key]: _, ...rest } = answers;
                  setAnswers(e.target.value === '' ? rest : { ...rest, [f.key]: e.target.value });
                }}
              />
            )}
          </Field>
        ))}
      {outcome === 'problem_found' && (
        <Field label={t('screening.visit.finding')} htmlFor="f-finding" required>
          <textarea
            id="f-finding"
            required
            maxLength={2000}
            rows={3}
            value={finding}
            onChange={(e) => setFinding(e.target.value)}
          />
        </Field>
      )}
      <PhotoInput label={t('screening.visit.photo')} onChange={setPhotos} onBusy={setUploading} />
      {(metres === null || metres > 150) && (
        <Field label={t('screening.visit.farReason')} htmlFor="f-far" required>
          <input
            id="f-far"
            maxLength={500}
            value={farReason}
            onChange={(e) => setFarReason(e.target.value)}
          />
        </Field>
      )}
      {error ? <ErrorBox error={error} /> : null}
      <div className="screening-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || uploading}>
          {t('screening.visit.submit')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('screening.visit.cancel')}
        </button>
      </div>
    </form>
  );
}
