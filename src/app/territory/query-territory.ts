import { sql } from 'kysely';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import type { RegionLevel } from '../../db/schema/territory.ts';

export interface RegionSummary {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  centroid: [number, number] | null;
  areaM2: number | null;
  synthetic: boolean;
}

export interface RegionDetail extends RegionSummary {
  path: { code: string; name: string; level: RegionLevel }[];
  childCount: number;
  geometry?: unknown;
}

const summaryColumns = [
  'code',
  'name',
  'level',
  'parent_code',
  'centroid_lon',
  'centroid_lat',
  'area_m2',
  'synthetic',
] as const;

type SummaryRow = {
  code: string;
  name: string;
  level: RegionLevel;
  parent_code: string | null;
  centroid_lon: number | null;
  centroid_lat: number | null;
  area_m2: number | null;
  synthetic: boolean;
};

const toSummary = (r: SummaryRow): RegionSummary => ({
  code: r.code,
  name: r.name,
  level: r.level,
  parentCode: r.parent_code,
  centroid: r.centroid_lon !== null && r.centroid_lat !== null ? [r.centroid_lon, r.centroid_lat] : null,
  areaM2: r.area_m2,
  synthetic: r.synthetic,
});

export async function listRegions(
  database: Database,
  filter: { level?: RegionLevel | undefined; parent?: string | undefined },
): Promise<RegionSummary[]> {
  let q = database.db.selectFrom('regions').select(summaryColumns).orderBy('code');
  if (filter.level) q = q.where('level', '=', filter.level);
  if (filter.parent) q = q.where('parent_code', '=', filter.parent);
  return (await q.execute()).map(toSummary);
}

export async function getRegion(
  database: Database,
  code: string,
  withGeometry: boolean,
): Promise<RegionDetail> {
  const row = await database.db
    .selectFrom('regions')
    .select([...summaryColumns, 'geometry'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `No region with code ${code}`);
  const path: RegionDetail['path'] = [];
  let parent = row.parent_code;
  while (parent) {
    const p = await database.db
      .selectFrom('regions')
      .select(['code', 'name', 'level', 'parent_code'])
      .where('code', '=', parent)
      .executeTakeFirst();
    if (!p) break;
    path.unshift({ code: p.code, name: p.name, level: p.level });
    parent = p.parent_code;
  }
  const { n } = await database.db
    .selectFrom('regions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_code', '=', code)
    .executeTakeFirstOrThrow();
  return {
    ...toSummary(row),
    path,
    childCount: Number(n),
    ...(withGeometry ? { geometry: row.geometry } : {}),
  };
}

export interface CategoryView {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  urgency: 'normal' | 'urgent';
  handleLimit: { amount: number; unit: string } | null;
  policeMode: 'none' | 'notify' | 'assist' | 'lead';
  stability: boolean;
}

export async function listCategories(database: Database): Promise<CategoryView[]> {
  const rows = await database.db
    .selectFrom('categories')
    .selectAll()
    .where('active', '=', true)
    .orderBy('sort')
    .orderBy('code')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    parentCode: r.parent_code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    urgency: r.urgency,
    handleLimit:
      r.handle_amount !== null && r.handle_unit ? { amount: r.handle_amount, unit: r.handle_unit } : null,
    policeMode: r.police_mode,
    stability: r.stability,
  }));
}

export interface DepartmentView {
  id: string;
  name: string;
  type: string;
  level: 'district' | 'street';
  regionCode: string;
  coverage: string[];
  /** False once an administrator disabled it: no case is routed or sent to it (issue 11). */
  active: boolean;
}

export async function listDepartments(
  database: Database,
  filter: { type?: string | undefined; region?: string | undefined; includeDisabled?: boolean | undefined },
): Promise<DepartmentView[]> {
  let q = database.db.selectFrom('departments').selectAll().orderBy('level').orderBy('id');
  if (!filter.includeDisabled) q = q.where('active', '=', true);
  if (filter.type) q = q.where('type', '=', filter.type);
  if (filter.region) {
    const region = filter.region;
    // a department serves a region when it covers it or one of its ancestors (codes are prefixes)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('department_coverage as c')
          .whereRef('c.department_id', '=', 'departments.id')
          .where(sql<boolean>`${region} like c.region_code || '%' or c.region_code like ${`${region}%`}`),
      ),
    );
  }
  const rows = await q.execute();
  const coverage = await database.db.selectFrom('department_coverage').selectAll().execute();
  const byDept = new Map<string, string[]>();
  for (const c of coverage)
    byDept.set(c.department_id, [...(byDept.get(c.department_id) ?? []), c.region_code]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    level: r.level,
    regionCode: r.region_code,
    coverage: (byDept.get(r.id) ?? []).sort(),
    active: r.active,
  }));
}
