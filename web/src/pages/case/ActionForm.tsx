import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import type { CaseContext, CaseDetail, Routing } from '../../api/models';
import { actionBodyProblems } from '../../api/body-check';
import type { BodyProblem } from '../../api/validate';
import { useReference } from '../../session';
import { actionLabel } from '../../lib/labels';
import { PhotoInput } from '../../components/PhotoInput';
import { ACTION_FIELDS, DANGER, type FieldSpec } from './actionSpecs';
import { DepartmentPicker } from './DepartmentPicker';

type Values = Record<string, unknown>;

/** `datetime-local` (read as Asia/Shanghai wall time) → ISO 8601 with +08:00. */
const toIso = (local: string) => (local ? `${local.length === 16 ? `${local}:00` : local}+08:00` : '');

/**
 * The form of one action. Builds the payload from the field specs; the server validates it again and
 * answers 400/409/422 with a problem the panel shows.
 */
export function ActionForm({
  action,
  c,
  context,
  busy,
  onSubmit,
  onCancel,
}: {
  action: string;
  c: CaseDetail;
  context: CaseContext | undefined;
  busy: boolean;
  onSubmit: (payload: Values) => void;
  onCancel: () => void;
}) {
  const { t, pick } = useI18n();
  const ref = useReference();
  const formId = useId();
  const fields = useMemo(() => ACTION_FIELDS[action] ?? [], [action]);
  const suggestion = c.routing;
  const [values, setValues] = useState<Values>(() => initial(fields, c, suggestion));
  const [uploading, setUploading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const first = useRef<HTMLDivElement>(null);
  const patrollers = context ? context.patrollers : null;

  useEffect(() => {
    first.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  }, [action]);

  const set = (name: string, value: unknown) => setValues((v) => ({ ...v, [name]: value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const payload = buildPayload(fields, values);
    // the rules are the server's published schema for this action, not copies of them
    const problems = actionBodyProblems(action, { version: c.version, ...payload });
    if (problems.length > 0) {
      setProblem(problems.map((p) => problemText(p, t)).join(' · '));
      return;
    }
    setProblem(null);
    onSubmit(payload);
  };

  const render = (f: FieldSpec) => {
    const id = `${formId}-${'name' in f ? f.name : 'dept'}`;
    switch (f.kind) {
      case 'text':
        return (
          <div className="field" key={f.name}>
            <label htmlFor={id}>
              {t(f.label)}
              {f.required && (
                <span className="req" aria-hidden="true">
                  *
                </span>
              )}
            </label>
            <textarea
              id={id}
              name={f.name}
              rows={f.multiline ? 3 : 1}
              required={f.required}
              placeholder={f.placeholder ? t(f.placeholder) : undefined}
              value={String(values[f.name] ?? '')}
              onChange={(e) => set(f.name, e.target.value)}
            />
          </div>
        );
      case 'photos':
        return (
          <PhotoInput
            key={f.name}
            name={f.name}
            label={t(f.label)}
            required={(f.min ?? 0) > 0}
            capture={false}
            onChange={(ids) => set(f.name, ids)}
            onBusy={setUploading}
          />
        );
      case 'bool':
        return (
          <fieldset className="field radios" key={f.name}>
            <legend>{t(f.label)}</legend>
            {[true, false].map((v) => (
              <label key={String(v)} className="radio">
                <input
                  type="radio"
                  name={`${formId}-${f.name}`}
                  checked={values[f.name] === v}
                  onChange={() => set(f.name, v)}
                />
                {t(v ? f.yes : f.no)}
              </label>
            ))}
          </fieldset>
        );
      case 'enum':
        return (
          <div className="field" key={f.name}>
            <label htmlFor={id}>{t(f.label)}</label>
            <select
              id={id}
              required={f.required}
              value={String(values[f.name] ?? '')}
              onChange={(e) => set(f.name, e.target.value)}
            >
              {!f.required || !values[f.name] ? <option value="">—</option> : null}
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {t(o.label)}
                </option>
              ))}
            </select>
          </div>
        );
      case 'datetime':
        return (
          <div className="field" key={f.name}>
            <label htmlFor={id}>{t(f.label)}</label>
            <input
              id={id}
              type="datetime-local"
              required={f.required}
              value={String(values[f.name] ?? '')}
              onChange={(e) => set(f.name, e.target.value)}
            />
          </div>
        );
      case 'checkbox':
        return (
          <label className="check" key={f.name}>
            <input
              type="checkbox"
              checked={values[f.name] === true}
              onChange={(e) => set(f.name, e.target.checked)}
            />
            {t(f.label)}
          </label>
        );
      case 'category':
        return (
          <div className="field" key={f.name}>
            <label htmlFor={id}>{t('form.recategorise')}</label>
            <select
              id={id}
              value={String(values[f.name] ?? '')}
              onChange={(e) => set(f.name, e.target.value)}
            >
              <option value="">{t('form.keepCategory')}</option>
              {ref?.categories
                .filter((x) => x.parentCode)
                .map((x) => (
                  <option key={x.code} value={x.code}>
                    {pick(x.nameZh, x.nameEn)}
                  </option>
                ))}
            </select>
          </div>
        );
      case 'patroller':
        return (
          <div className="field" key={f.name}>
            <label htmlFor={id}>
              {t('form.patroller')}
              <span className="req" aria-hidden="true">
                *
              </span>
            </label>
            <select
              id={id}
              required
              value={String(values[f.name] ?? '')}
              onChange={(e) => set(f.name, e.target.value)}
            >
              <option value="">
                {patrollers === null
                  ? t('common.loading')
                  : patrollers.length
                    ? t('form.choosePatroller')
                    : t('form.noPatrollers')}
              </option>
              {patrollers?.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.displayName} ({p.username}){p.unitName ? ` · ${p.unitName}` : ''}
                </option>
              ))}
            </select>
          </div>
        );
      case 'master': {
        const candidates = context?.duplicates ?? [];
        return (
          <div className="field" key={f.name}>
            <label htmlFor={id}>{t('form.masterCase')}</label>
            <select
              id={id}
              required
              value={String(values[f.name] ?? '')}
              onChange={(e) => set(f.name, e.target.value)}
            >
              <option value="">{t('form.chooseMaster')}</option>
              {candidates.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.caseNo} · {t('case.distance', { d: Math.round(d.distanceM) })}
                </option>
              ))}
            </select>
          </div>
        );
      }
      case 'departments':
        return (
          <DepartmentPicker
            key="departments"
            id={id}
            streetCode={c.streetCode}
            suggestion={suggestion}
            lead={String(values[f.lead] ?? '')}
            assisting={(values[f.assisting] as string[] | undefined) ?? []}
            onLead={(v) => set(f.lead, v)}
            onAssisting={(v) => set(f.assisting, v)}
          />
        );
    }
  };

  return (
    <form className="action-form" onSubmit={submit} aria-label={actionLabel(t, action)} data-action={action}>
      <h3>{actionLabel(t, action)}</h3>
      <div ref={first}>{fields.map(render)}</div>
      {problem && (
        <div className="error-box" role="alert">
          {problem}
        </div>
      )}
      <div className="form-buttons">
        <button
          type="submit"
          className={`btn ${DANGER.has(action) ? 'btn-danger' : 'btn-primary'}`}
          disabled={busy || uploading}
        >
          {busy ? t('common.submitting') : uploading ? t('form.uploading') : t('form.confirm')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A schema problem in the user's language: the field it concerns, and what is missing. */
function problemText(p: BodyProblem, t: ReturnType<typeof useI18n>['t']): string {
  const field = p.path.split('/')[1] ?? '';
  if (/photos/i.test(field)) return t('form.photosRequired');
  if (field === 'note') return t('form.noteRequiredOnFail');
  return t('form.fieldInvalid', { field });
}

function initial(fields: FieldSpec[], c: CaseDetail, suggestion: Routing | null): Values {
  const v: Values = {};
  for (const f of fields) {
    if (f.kind === 'bool') v[f.name] = true;
    if (f.kind === 'departments') {
      v[f.lead] = suggestion?.leadDepartmentId ?? c.leadDepartmentId ?? '';
      v[f.assisting] = suggestion?.assistingDepartmentIds ?? c.assistingDepartmentIds ?? [];
    }
    if (f.kind === 'enum' && f.required && f.options[0]) v[f.name] = f.options[0].value;
  }
  return v;
}

function buildPayload(fields: FieldSpec[], values: Values): Values {
  const p: Values = {};
  for (const f of fields) {
    switch (f.kind) {
      case 'departments': {
        p[f.lead] = values[f.lead];
        const a = (values[f.assisting] as string[] | undefined)?.filter((x) => x !== values[f.lead]) ?? [];
        if (a.length) p[f.assisting] = a;
        break;
      }
      case 'category': {
        // register takes the category as a code; the server resolves its traits
        const code = values[f.name] as string | undefined;
        if (code) p[f.name] = code;
        break;
      }
      case 'photos': {
        const ids = values[f.name] as string[] | undefined;
        if (ids?.length) p[f.name] = ids;
        break;
      }
      case 'datetime': {
        const iso = toIso(String(values[f.name] ?? ''));
        if (iso) p[f.name] = iso;
        break;
      }
      case 'bool':
      case 'checkbox':
        if (values[f.name] !== undefined) p[f.name] = values[f.name] === true;
        break;
      default: {
        const v = values[f.name];
        if (typeof v === 'string' ? v.trim() : v) p[f.name] = typeof v === 'string' ? v.trim() : v;
      }
    }
  }
  return p;
}
