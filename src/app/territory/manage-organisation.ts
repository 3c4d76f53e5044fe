import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError, refusal } from '../../core/errors.ts';
import { checkDepartment, type DepartmentInput } from '../../core/organisation/departments.ts';
import { canManageReferenceData } from '../../core/policy/admin.ts';
import type { StageLimit } from '../../core/sla/limits.ts';
import type { Urgency } from '../../core/workflow/snapshot.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema/index.ts';
import type { PoliceMode } from '../../db/schema/territory.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { policeStationFor } from '../cases/notify.ts';
import { assertDepartments, loadCategory, resolveRouting } from '../cases/routing.ts';
import { resolveStageLimit } from '../cases/sla.ts';
import { listDepartments, type DepartmentView } from './query-territory.ts';

/**
 * The organisation as administrators manage it (issue 11): departments with the territory they cover,
 * the responsibility matrix (权责清单: category × territory → lead and assisting departments), and a
 * preview of where a new case would go — computed by the same code intake uses (`resolveRouting`,
 * `policeStationFor`, `resolveStageLimit`). Every change is audited in its transaction.
 */

function assertAdmin(actor: Actor): void {
  if (!canManageReferenceData(actor))
    throw new AppError('forbidden', 'Only a district administrator may manage the organisation');
}

async function assertRegions(db: Kysely<DB>, codes: readonly string[], path: string): Promise<void> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return;
  const found = await db.selectFrom('regions').select('code').where('code', 'in', unique).execute();
  const known = new Set(found.map((r) => r.code));
  const unknown = unique.filter((c) => !known.has(c));
  if (unknown.length > 0)
    throw refusal('validation_failed', 'unknown_region', `Unknown region: ${unknown.join(', ')}`, {
      problems: [{ path, message: 'unknown region' }],
      regions: unknown,
    });
}

/** Creates or replaces a department and its coverage; audited `department.create` / `department.update`. */
export async function saveDepartment(
  database: Database,
  actor: Actor,
  input: DepartmentInput,
  context: { address?: string | null; now: Date },
): Promise<DepartmentView> {
  assertAdmin(actor);
  const d = checkDepartment(input);
  await database.db.transaction().execute(async (trx) => {
    await assertRegions(trx, [d.regionCode], '/regionCode');
    await assertRegions(trx, d.coverage, '/coverage');
    const before = await trx
      .selectFrom('departments')
      .selectAll()
      .where('id', '=', d.id)
      .forUpdate()
      .executeTakeFirst();
    const beforeCoverage = before
      ? (
          await trx
            .selectFrom('department_coverage')
            .select('region_code')
            .where('department_id', '=', d.id)
            .orderBy('region_code')
            .execute()
        ).map((r) => r.region_code)
      : [];
    const values = { name: d.name, type: d.type, level: d.level, region_code: d.regionCode, phone: d.phone };
    // editing keeps the department enabled or disabled: that is setDepartmentActive's
    if (before) await trx.updateTable('departments').set(values).where('id', '=', d.id).execute();
    else
      await trx
        .insertInto('departments')
        .values({ id: d.id, ...values })
        .execute();
    await trx.deleteFrom('department_coverage').where('department_id', '=', d.id).execute();
    await trx
      .insertInto('department_coverage')
      .values(d.coverage.map((region_code) => ({ department_id: d.id, region_code })))
      .execute();
    await appendAudit(trx, {
      actor,
      action: before ? 'department.update' : 'department.create',
      target: `department:${d.id}`,
      address: context.address ?? null,
      payload: {
        before: before
          ? {
              name: before.name,
              type: before.type,
              level: before.level,
              regionCode: before.region_code,
              phone: before.phone,
              active: before.active,
              coverage: beforeCoverage,
            }
          : null,
        after: { ...d },
      },
      at: context.now,
    });
  });
  return departmentView(database, d.id);
}

async function departmentView(database: Database, id: string): Promise<DepartmentView> {
  const view = (await listDepartments(database, { includeDisabled: true })).find((x) => x.id === id);
  if (!view) throw new AppError('internal', `Department ${id} vanished`);
  return view;
}

/**
 * Disables or re-enables a department (issue 11); audited `department.disable` / `department.enable`. A
 * disabled department stays in the records (its cases, users and matrix rows keep naming it) but no new
 * case goes to it: routing passes over its matrix rows and sending a case to it is refused
 * (`department_disabled`, src/core/organisation/routing.ts). Setting the state it has already is a no-op.
 */
export async function setDepartmentActive(
  database: Database,
  actor: Actor,
  id: string,
  active: boolean,
  context: { address?: string | null; now: Date },
): Promise<DepartmentView> {
  assertAdmin(actor);
  await database.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('departments')
      .select(['id', 'active'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new AppError('not_found', `No department ${id}`);
    if (before.active === active) return;
    await trx.updateTable('departments').set({ active }).where('id', '=', id).execute();
    const { n } = await trx
      .selectFrom('responsibility_matrix')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('lead_department_id', '=', id)
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actor,
      action: active ? 'department.enable' : 'department.disable',
      target: `department:${id}`,
      address: context.address ?? null,
      payload: { before: { active: before.active }, after: { active }, matrixRowsLed: Number(n) },
      at: context.now,
    });
  });
  return departmentView(database, id);
}

export interface MatrixRowView {
  id: number;
  categoryCode: string;
  regionCode: string;
  leadDepartmentId: string;
  assistingDepartmentIds: string[];
  /** Overrides the category's police linkage here; null: the category's. */
  policeMode: PoliceMode | null;
}

const toRow = (r: {
  id: number;
  category_code: string;
  region_code: string;
  lead_department_id: string;
  assisting_department_ids: string[];
  police_mode: PoliceMode | null;
}): MatrixRowView => ({
  id: r.id,
  categoryCode: r.category_code,
  regionCode: r.region_code,
  leadDepartmentId: r.lead_department_id,
  assistingDepartmentIds: r.assisting_department_ids,
  policeMode: r.police_mode,
});

/** Matrix rows, filtered by category (a 大类 also lists its 小类) and territory (the region and its parts). */
export async function listMatrix(
  database: Database,
  actor: Actor,
  filter: { category?: string | undefined; region?: string | undefined; limit?: number | undefined },
): Promise<{ items: MatrixRowView[]; total: number }> {
  assertAdmin(actor);
  let q = database.db.selectFrom('responsibility_matrix');
  if (filter.category) q = q.where('category_code', 'like', `${filter.category}%`);
  if (filter.region) q = q.where('region_code', 'like', `${filter.region}%`);
  const { n } = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('category_code')
    .orderBy('region_code')
    .limit(filter.limit ?? 200)
    .execute();
  return { items: rows.map(toRow), total: Number(n) };
}

export interface MatrixRowInput {
  categoryCode: string;
  regionCode: string;
  leadDepartmentId: string;
  assistingDepartmentIds: readonly string[];
  policeMode: PoliceMode | null;
}

/** Sets the matrix row of one category × region (creates or replaces); audited `matrix.set`. */
export async function setMatrixRow(
  database: Database,
  actor: Actor,
  input: MatrixRowInput,
  context: { address?: string | null; now: Date },
): Promise<MatrixRowView> {
  assertAdmin(actor);
  const assisting = [...new Set(input.assistingDepartmentIds)].filter((id) => id !== input.leadDepartmentId);
  return database.db.transaction().execute(async (trx) => {
    await loadCategory(trx, input.categoryCode, '/categoryCode');
    await assertRegions(trx, [input.regionCode], '/regionCode');
    await assertDepartments(trx, [input.leadDepartmentId], '/leadDepartmentId');
    await assertDepartments(trx, assisting, '/assistingDepartmentIds');
    const before = await trx
      .selectFrom('responsibility_matrix')
      .selectAll()
      .where('category_code', '=', input.categoryCode)
      .where('region_code', '=', input.regionCode)
      .forUpdate()
      .executeTakeFirst();
    const values = {
      lead_department_id: input.leadDepartmentId,
      assisting_department_ids: assisting,
      police_mode: input.policeMode,
    };
    const row = before
      ? await trx
          .updateTable('responsibility_matrix')
          .set(values)
          .where('id', '=', before.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('responsibility_matrix')
          .values({ category_code: input.categoryCode, region_code: input.regionCode, ...values })
          .returningAll()
          .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actor,
      action: 'matrix.set',
      target: `matrix:${input.categoryCode}@${input.regionCode}`,
      address: context.address ?? null,
      payload: { before: before ? toRow(before) : null, after: toRow(row) },
      at: context.now,
    });
    return toRow(row);
  });
}

/** Removes one matrix row; audited `matrix.remove`. */
export async function removeMatrixRow(
  database: Database,
  actor: Actor,
  id: number,
  context: { address?: string | null; now: Date },
): Promise<void> {
  assertAdmin(actor);
  await database.db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom('responsibility_matrix')
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', `No matrix row ${id}`);
    await appendAudit(trx, {
      actor,
      action: 'matrix.remove',
      target: `matrix:${row.category_code}@${row.region_code}`,
      address: context.address ?? null,
      payload: { before: toRow(row) },
      at: context.now,
    });
  });
}

export interface RoutingPreview {
  categoryCode: string;
  regionCode: string;
  urgency: Urgency;
  leadDepartmentId: string | null;
  assistingDepartmentIds: string[];
  policeMode: PoliceMode;
  policeDepartmentId: string | null;
  /** The matrix row that decided ("0101@310112006"), null when none matched. */
  matchedRule: string | null;
  /** The limits a new case's first stages would get. */
  limits: { register: StageLimit; handle: StageLimit };
}

/**
 * What a new case of this category at this place would get: lead and assisting departments, police
 * linkage and station, the first limits — by the very functions intake calls.
 */
export async function previewRouting(
  database: Database,
  actor: Actor,
  query: { category: string; region: string; urgency?: Urgency | undefined },
): Promise<RoutingPreview> {
  assertAdmin(actor);
  const db = database.db;
  await assertRegions(db, [query.region], '/region');
  const category = await loadCategory(db, query.category, '/category');
  const code = query.region;
  const committee = code.length >= 12 ? code.slice(0, 12) : null;
  const street = code.length >= 9 ? code.slice(0, 9) : null;
  const policeDepartmentId = await policeStationFor(db, committee ?? street ?? code);
  const routing = await resolveRouting(db, {
    category,
    regionCodes: [code.length === 14 ? code : null, committee, street, code.slice(0, 6)],
    policeDepartmentId,
  });
  const urgency = query.urgency ?? category.urgency;
  const limit = (stage: 'register' | 'handle') =>
    resolveStageLimit(db, { categoryCode: category.code, urgency, stage });
  return {
    categoryCode: category.code,
    regionCode: code,
    urgency,
    leadDepartmentId: routing.leadDepartmentId,
    assistingDepartmentIds: routing.assistingDepartmentIds,
    policeMode: routing.policeMode,
    policeDepartmentId: routing.policeMode === 'none' ? null : policeDepartmentId,
    matchedRule: routing.matchedRule,
    limits: { register: await limit('register'), handle: await limit('handle') },
  };
}
