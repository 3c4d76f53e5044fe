import { refusal } from '../errors.ts';
import type { PoliceLinkage } from '../workflow/snapshot.ts';

/**
 * Routing by the responsibility matrix (权责清单), pure: which row decides and where the case goes, given
 * the rows that match a category at a place and which departments are enabled. The app layer reads the rows
 * (src/app/cases/routing.ts); this decides.
 */

export interface MatrixRowFacts {
  categoryCode: string;
  regionCode: string;
  leadDepartmentId: string;
  assistingDepartmentIds: readonly string[];
  policeMode: PoliceLinkage | null;
}

export interface RoutingDecision {
  leadDepartmentId: string | null;
  assistingDepartmentIds: string[];
  policeMode: PoliceLinkage;
  /** The matrix row that decided, e.g. "0101@310112006"; null when no row matched. */
  matchedRule: string | null;
}

/**
 * The most specific row wins — the 小类 before its 大类, and for each, grid before committee before street
 * before district — among the rows whose lead department is enabled: a row whose lead an administrator
 * disabled is passed over (the next, less specific row decides; none left: no lead, the centre dispatches
 * by hand). Disabled assisting departments are dropped. The row's police mode overrides the category's; with
 * `assist` the covering police station joins the assisting departments, with `lead` it leads when no row
 * names a lead. `categories` lists the category's own code first, then its 大类.
 */
export function chooseRouting(input: {
  rows: readonly MatrixRowFacts[];
  categories: readonly string[];
  categoryPoliceMode: PoliceLinkage;
  policeDepartmentId: string | null;
  enabled: (departmentId: string) => boolean;
}): RoutingDecision {
  const { categories, enabled, policeDepartmentId } = input;
  const ranked = input.rows
    .filter((r) => categories.includes(r.categoryCode))
    .sort(
      (a, b) =>
        categories.indexOf(a.categoryCode) - categories.indexOf(b.categoryCode) ||
        b.regionCode.length - a.regionCode.length,
    );
  const best = ranked.find((r) => enabled(r.leadDepartmentId));
  const policeMode = best?.policeMode ?? input.categoryPoliceMode;
  let lead = best?.leadDepartmentId ?? null;
  const assisting = (best?.assistingDepartmentIds ?? []).filter(enabled);
  if (policeDepartmentId && enabled(policeDepartmentId)) {
    if (policeMode === 'lead' && lead === null) lead = policeDepartmentId;
    if (policeMode === 'assist' && lead !== policeDepartmentId && !assisting.includes(policeDepartmentId))
      assisting.push(policeDepartmentId);
  }
  return {
    leadDepartmentId: lead,
    assistingDepartmentIds: [...new Set(assisting)].filter((id) => id !== lead),
    policeMode,
    matchedRule: best ? `${best.categoryCode}@${best.regionCode}` : null,
  };
}

/**
 * A case or a matrix row names departments: each must exist (`unknown_department`) and be enabled
 * (`department_disabled`: an administrator disabled it; the refusal lists them). `known` maps every
 * existing department named to whether it is enabled.
 */
export function checkDepartmentsUsable(
  ids: readonly string[],
  known: ReadonlyMap<string, boolean>,
  path: string,
): void {
  const unique = [...new Set(ids)];
  const unknown = unique.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw refusal('validation_failed', 'unknown_department', `Unknown department: ${unknown.join(', ')}`, {
      problems: [{ path, message: 'unknown department' }],
      departments: unknown,
    });
  const disabled = unique.filter((id) => known.get(id) === false);
  if (disabled.length > 0)
    throw refusal('validation_failed', 'department_disabled', `Department disabled: ${disabled.join(', ')}`, {
      problems: [{ path, message: 'department disabled' }],
      departments: disabled,
    });
}
