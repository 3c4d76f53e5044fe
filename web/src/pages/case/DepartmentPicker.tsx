import { useState } from 'react';
import { useI18n } from '../../i18n';
import type { Routing } from '../../api/models';
import { useReference } from '../../session';

/**
 * Lead and assisting departments for dispatch and arbitration. The responsibility matrix's answer
 * (`suggestion`) is preselected and marked; the list shows the departments serving the case's street
 * and the district bureaus, or every department on request.
 */
export function DepartmentPicker({
  id,
  streetCode,
  suggestion,
  lead,
  assisting,
  onLead,
  onAssisting,
}: {
  id: string;
  streetCode: string | null;
  suggestion: Routing | null;
  lead: string;
  assisting: string[];
  onLead: (id: string) => void;
  onAssisting: (ids: string[]) => void;
}) {
  const { t } = useI18n();
  const ref = useReference();
  const [showAll, setShowAll] = useState(false);
  const departments = (ref?.departments ?? []).filter(
    (d) => showAll || d.level === 'district' || !streetCode || d.regionCode === streetCode,
  );
  const suggested = new Set(
    [suggestion?.leadDepartmentId, ...(suggestion?.assistingDepartmentIds ?? [])].filter(Boolean),
  );
  const name = (deptId: string) =>
    `${ref?.departmentById.get(deptId)?.name ?? deptId}${suggested.has(deptId) ? ` （${t('form.suggestedTag')}）` : ''}`;

  return (
    <div className="dept-picker">
      {suggestion?.leadDepartmentId && <div className="hint suggested-hint">{t('form.suggested')}</div>}
      <div className="field">
        <label htmlFor={id}>
          {t('form.leadDept')}
          <span className="req" aria-hidden="true">
            *
          </span>
        </label>
        <select
          id={id}
          name="leadDepartmentId"
          required
          value={lead}
          onChange={(e) => onLead(e.target.value)}
        >
          <option value="">{t('form.chooseDept')}</option>
          {departments.map((d) => (
            <option key={d.id} value={d.id}>
              {name(d.id)}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field">
        <legend>{t('form.assistDepts')}</legend>
        <div className="check-grid">
          {departments
            .filter((d) => d.id !== lead)
            .map((d) => (
              <label key={d.id} className="check">
                <input
                  type="checkbox"
                  checked={assisting.includes(d.id)}
                  onChange={(e) =>
                    onAssisting(e.target.checked ? [...assisting, d.id] : assisting.filter((x) => x !== d.id))
                  }
                />
                {name(d.id)}
              </label>
            ))}
        </div>
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
        {t('form.showAllDepts')}
      </label>
    </div>
  );
}
