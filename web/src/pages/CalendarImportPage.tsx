import { useState, type ChangeEvent, type FormEvent } from 'react';
import { call, client, isApiError, type Answer } from '../api/client';
import { useCall } from '../api/hooks';
import { useI18n } from '../i18n';
import { ErrorBox, Field, Loading, Panel } from '../components/ui';
import { CalendarOverrides } from './admin/CalendarOverrides';

type ImportResult = Answer<'/api/v1/calendar/import', 'post'>;

interface ScheduleProblem {
  line: number | null;
  path: string | null;
  message: string;
}

/**
 * 节假日导入 (admin): load a year's official holiday schedule — days off and 调休 working days — from a
 * CSV or JSON file, uploaded or pasted. The server checks the whole file and answers every problem by
 * line; nothing is written unless all is well.
 */
export function CalendarImportPage() {
  const { t } = useI18n();
  const years = useCall('calendar years', (signal) => client.GET('/api/v1/calendar/years', { signal }));
  const [content, setContent] = useState('');
  const [year, setYear] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ImportResult | null>(null);
  const [problems, setProblems] = useState<ScheduleProblem[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (file) setContent(await file.text());
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setDone(null);
    setProblems(null);
    setError(null);
    try {
      const body = year.trim() === '' ? { content } : { content, year: Number(year) };
      setDone(await call(client.POST('/api/v1/calendar/import', { body })));
      years.reload(true);
    } catch (err) {
      const list = isApiError(err) ? (err.problem.problems as ScheduleProblem[] | undefined) : undefined;
      if (isApiError(err) && err.code === 'validation_failed' && Array.isArray(list) && list.length > 0)
        setProblems(list);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page" data-testid="calendar-import">
      <h1>{t('cal.title')}</h1>
      <p className="muted">{t('cal.intro')}</p>
      <Panel title={t('cal.years')}>
        {years.loading ? (
          <Loading />
        ) : years.error ? (
          <ErrorBox error={years.error} onRetry={() => years.reload()} />
        ) : (
          <ul>
            {years.data?.items.map((y) => (
              <li key={y.year} data-year={y.year} data-provisional={y.provisional}>
                <strong>{y.year}</strong> · {t(`cal.source.${y.source}`)}
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel>
        <form className="form" onSubmit={(e) => void submit(e)}>
          <p className="hint">{t('cal.format')}</p>
          <Field label={t('cal.file')} htmlFor="cal-file">
            <input
              id="cal-file"
              type="file"
              accept=".csv,.json,text/csv,application/json"
              onChange={(e) => void onFile(e)}
            />
          </Field>
          <Field label={t('cal.content')} htmlFor="cal-content" required>
            <textarea
              id="cal-content"
              rows={12}
              className="mono"
              value={content}
              onChange={(e) => setContent(e.target.value)}
              placeholder={'date,kind,name\n2027-02-05,holiday,春节\n2027-02-20,workday,春节'}
              required
            />
          </Field>
          <Field label={t('cal.year')} htmlFor="cal-year">
            <input
              id="cal-year"
              inputMode="numeric"
              pattern="\d{4}"
              value={year}
              onChange={(e) => setYear(e.target.value)}
            />
          </Field>
          <button type="submit" className="btn btn-primary" disabled={busy || content.trim() === ''}>
            {t('cal.submit')}
          </button>
        </form>
        {done && (
          <p className="notice notice-ok" role="status">
            {t('cal.done', {
              year: done.year,
              holidays: done.holidays,
              workdays: done.workdays,
              clocks: done.recomputedClocks,
            })}
          </p>
        )}
        {problems && (
          <div className="notice notice-error" role="alert">
            <p>{t('cal.problems')}</p>
            <ul>
              {problems.map((p, i) => (
                <li key={i} className="mono">
                  {p.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        {error !== null && <ErrorBox error={error} />}
      </Panel>
      <CalendarOverrides />
    </div>
  );
}
