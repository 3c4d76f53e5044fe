import type { Kysely } from 'kysely';
import { refusal } from '../../core/errors.ts';
import { checkDepartmentsUsable, chooseRouting } from '../../core/organisation/routing.ts';
import type { DepartmentCoverage } from '../../core/policy/department-coverage.ts';
import type { CategoryTraits, PoliceLinkage } from '../../core/workflow/snapshot.ts';
import type { DB } from '../../db/schema/index.ts';

export interface CategoryInfo {
  code: string;
  nameZh: string;
  urgency: 'normal' | 'urgent';
  policeMode: PoliceLinkage;
  stability: boolean;
}

/** An active category, or `validation_failed` naming the field. */
export async function loadCategory(db: Kysely<DB>, code: string, field = '/category'): Promise<CategoryInfo> {
  const row = await db
    .selectFrom('categories')
    .select(['code', 'name_zh', 'urgency', 'police_mode', 'stability'])
    .where('code', '=', code)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!row) {
    throw refusal('validation_failed', 'unknown_category', `Unknown category ${code}`, {
      problems: [{ path: field, message: 'unknown category' }],
    });
  }
  return {
    code: row.code,
    nameZh: row.name_zh,
    urgency: row.urgency,
    policeMode: row.police_mode,
    stability: row.stability,
  };
}

/** Where a case goes by the responsibility matrix (权责清单), and how the police are linked. */
export interface Routing {
  leadDepartmentId: string | null;
  assistingDepartmentIds: string[];
  policeMode: PoliceLinkage;
  /** The matrix row that decided, e.g. "0101@310112006"; null when no row matched. */
  matchedRule: string | null;
}

/**
 * Resolves the responsibility matrix for a category at a place: the most specific row wins — the 小类
 * before its 大类, and for each, grid before committee before street before district. The matrix's
 * police mode overrides the category's. With police mode `assist`, the covering police station joins
 * the assisting departments; with `lead` it leads when the matrix names no lead.
 */
export async function resolveRouting(
  db: Kysely<DB>,
  query: {
    category: CategoryInfo;
    regionCodes: readonly (string | null)[];
    policeDepartmentId: string | null;
  },
): Promise<Routing> {
  const { category, policeDepartmentId } = query;
  const regions = query.regionCodes.filter((c): c is string => c !== null);
  const categories =
    category.code.length === 4 ? [category.code, category.code.slice(0, 2)] : [category.code];
  const rows =
    regions.length === 0
      ? []
      : await db
          .selectFrom('responsibility_matrix')
          .select([
            'category_code',
            'region_code',
            'lead_department_id',
            'assisting_department_ids',
            'police_mode',
          ])
          .where('category_code', 'in', categories)
          .where('region_code', 'in', regions)
          .execute();
  const named = [
    ...new Set([
      ...rows.flatMap((r) => [r.lead_department_id, ...r.assisting_department_ids]),
      ...(policeDepartmentId ? [policeDepartmentId] : []),
    ]),
  ];
  const enabled = new Set(
    named.length === 0
      ? []
      : (
          await db
            .selectFrom('departments')
            .select('id')
            .where('id', 'in', named)
            .where('active', '=', true)
            .execute()
        ).map((d) => d.id),
  );
  // the rule (most specific row, disabled departments passed over, police linkage) is the core's
  return chooseRouting({
    rows: rows.map((r) => ({
      categoryCode: r.category_code,
      regionCode: r.region_code,
      leadDepartmentId: r.lead_department_id,
      assistingDepartmentIds: r.assisting_department_ids,
      policeMode: r.police_mode,
    })),
    categories,
    categoryPoliceMode: category.policeMode,
    policeDepartmentId,
    enabled: (id) => enabled.has(id),
  });
}

/** The category facts the workflow reads, with the police mode as the matrix decides it. */
export const traitsOf = (category: CategoryInfo, routing: Routing): CategoryTraits => ({
  code: category.code,
  policeLinkage: routing.policeMode,
  stability: category.stability,
});

/**
 * Checks that every named department exists (`unknown_department`) and is enabled (`department_disabled`),
 * by the core's rule; both `validation_failed`.
 */
export async function assertDepartments(db: Kysely<DB>, ids: readonly string[], path: string): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  const found = await db
    .selectFrom('departments')
    .select(['id', 'active'])
    .where('id', 'in', unique)
    .execute();
  checkDepartmentsUsable(unique, new Map(found.map((r) => [r.id, r.active])), path);
}

/** The coverage (`department_coverage`) of the named active departments, for the workflow's coverage rule. */
export async function loadDepartmentCoverage(
  db: Kysely<DB>,
  ids: readonly string[],
): Promise<DepartmentCoverage> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return {};
  const rows = await db
    .selectFrom('department_coverage as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .select(['c.department_id', 'c.region_code'])
    .where('c.department_id', 'in', unique)
    .where('d.active', '=', true)
    .execute();
  const coverage: Record<string, string[]> = {};
  for (const r of rows) (coverage[r.department_id] ??= []).push(r.region_code);
  return coverage;
}
