import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import type { TimeUnit } from '../../core/calendar/deadline.ts';
import { AppError } from '../../core/errors.ts';
import { canManageReferenceData } from '../../core/policy/admin.ts';
import {
  checkLimits,
  LIMIT_STAGES,
  resolveLimit,
  type CategoryLimitRow,
  type LimitInput,
  type PolicyRow,
} from '../../core/sla/limits.ts';
import type { Urgency } from '../../core/workflow/snapshot.ts';
import type { ClockStage } from '../../core/workflow/states.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema/index.ts';
import type { PoliceMode } from '../../db/schema/territory.ts';
import { appendAudit } from '../audit/append-audit.ts';

/**
 * Categories as administrators manage them (issue 11): police linkage, public or not, and the time limit
 * of every stage for normal and urgent cases — the one the next case of the category gets (intake reads
 * `sla_policy` on every clock start, no cache: `src/app/cases/sla.ts`).
 */

export interface CategoryStageLimitView {
  stage: ClockStage;
  urgency: Urgency;
  amount: number;
  unit: TimeUnit;
  /** "default", "policy 05", "policy 0501", "category 0501" (its handling limit) */
  source: string;
  /** Set on this category itself (an `sla_policy` row for its code and this urgency). */
  own: boolean;
}

export interface CategoryAdminView {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  urgency: Urgency;
  policeMode: PoliceMode;
  stability: boolean;
  /** Shown on the public page and open to citizens (not sensitive and not a stability category). */
  public: boolean;
  limits: CategoryStageLimitView[];
}

const URGENCIES: readonly Urgency[] = ['normal', 'urgent'];

function assertAdmin(actor: Actor): void {
  if (!canManageReferenceData(actor))
    throw new AppError('forbidden', 'Only a district administrator may manage categories');
}

async function loadPolicy(db: Kysely<DB>): Promise<PolicyRow[]> {
  const rows = await db
    .selectFrom('sla_policy')
    .select(['category_code', 'urgency', 'stage', 'amount', 'unit'])
    .execute();
  return rows.map((r) => ({
    categoryCode: r.category_code,
    urgency: r.urgency,
    stage: r.stage,
    amount: r.amount,
    unit: r.unit,
  }));
}

const limitsOf = (
  code: string,
  policy: readonly PolicyRow[],
  categories: readonly CategoryLimitRow[],
): CategoryStageLimitView[] =>
  URGENCIES.flatMap((urgency) =>
    LIMIT_STAGES.map((stage) => {
      const limit = resolveLimit(policy, categories, { categoryCode: code, urgency, stage });
      const own = policy.some((r) => r.categoryCode === code && r.stage === stage && r.urgency === urgency);
      return { stage, urgency, ...limit, own };
    }),
  );

/** Every active category with its effective limits per stage and urgency (admins). */
export async function listCategoryPolicy(database: Database, actor: Actor): Promise<CategoryAdminView[]> {
  assertAdmin(actor);
  const db = database.db;
  const rows = await db
    .selectFrom('categories')
    .selectAll()
    .where('active', '=', true)
    .orderBy('sort')
    .orderBy('code')
    .execute();
  const policy = await loadPolicy(db);
  const categories = rows.map((c) => ({
    code: c.code,
    urgency: c.urgency,
    handleAmount: c.handle_amount,
    handleUnit: c.handle_unit,
  }));
  return rows.map((r) => ({
    code: r.code,
    parentCode: r.parent_code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    urgency: r.urgency,
    policeMode: r.police_mode,
    stability: r.stability,
    public: !r.sensitive && !r.stability,
    limits: limitsOf(r.code, policy, categories),
  }));
}

async function oneCategory(database: Database, actor: Actor, code: string): Promise<CategoryAdminView> {
  const found = (await listCategoryPolicy(database, actor)).find((c) => c.code === code);
  if (!found) throw new AppError('not_found', `No category ${code}`);
  return found;
}

async function lockCategory(trx: Kysely<DB>, code: string) {
  const row = await trx
    .selectFrom('categories')
    .select(['code', 'police_mode', 'sensitive', 'stability', 'urgency'])
    .where('code', '=', code)
    .where('active', '=', true)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `No category ${code}`);
  return row;
}

export interface UpdateCategoryInput {
  policeMode?: PoliceMode | undefined;
  /** false flags the category sensitive (never on the public page); stability categories stay non-public. */
  public?: boolean | undefined;
  urgency?: Urgency | undefined;
}

/** Changes a category's police linkage, public flag or default urgency; audited `category.update`. */
export async function updateCategory(
  database: Database,
  actor: Actor,
  code: string,
  input: UpdateCategoryInput,
  context: { address?: string | null; now: Date },
): Promise<CategoryAdminView> {
  assertAdmin(actor);
  await database.db.transaction().execute(async (trx) => {
    const before = await lockCategory(trx, code);
    const set: { police_mode?: PoliceMode; sensitive?: boolean; urgency?: Urgency } = {};
    if (input.policeMode !== undefined) set.police_mode = input.policeMode;
    if (input.public !== undefined) {
      if (input.public && before.stability)
        throw new AppError('validation_failed', 'A stability category (维稳) is never public', {
          problems: [{ path: '/public', message: 'stability categories are never public' }],
        });
      set.sensitive = !input.public;
    }
    if (input.urgency !== undefined) set.urgency = input.urgency;
    if (Object.keys(set).length === 0) return;
    await trx.updateTable('categories').set(set).where('code', '=', code).execute();
    await appendAudit(trx, {
      actor,
      action: 'category.update',
      target: `category:${code}`,
      address: context.address ?? null,
      payload: {
        before: {
          policeMode: before.police_mode,
          public: !before.sensitive && !before.stability,
          urgency: before.urgency,
        },
        changes: input,
      },
      at: context.now,
    });
  });
  return oneCategory(database, actor, code);
}

/**
 * Replaces the limits set on a category itself (its `sla_policy` rows, one per stage × urgency); stages
 * not given inherit again (大类, the category's handling limit, the default). Checked by the core
 * (`checkLimits`: above zero, within the unit's maximum), audited `category.limits_set` with before and
 * after. Running clocks keep their limit; the next clock started for the category gets the new one.
 */
export async function setCategoryLimits(
  database: Database,
  actor: Actor,
  code: string,
  limits: readonly LimitInput[],
  context: { address?: string | null; now: Date },
): Promise<CategoryAdminView> {
  assertAdmin(actor);
  const checked = checkLimits(limits);
  await database.db.transaction().execute(async (trx) => {
    await lockCategory(trx, code);
    const before = await trx
      .selectFrom('sla_policy')
      .select(['stage', 'urgency', 'amount', 'unit'])
      .where('category_code', '=', code)
      .orderBy('stage')
      .orderBy('urgency')
      .execute();
    await trx.deleteFrom('sla_policy').where('category_code', '=', code).execute();
    if (checked.length > 0) {
      await trx
        .insertInto('sla_policy')
        .values(
          checked.map((l) => ({
            category_code: code,
            urgency: l.urgency,
            stage: l.stage,
            amount: l.amount,
            unit: l.unit,
          })),
        )
        .execute();
    }
    await appendAudit(trx, {
      actor,
      action: 'category.limits_set',
      target: `category:${code}`,
      address: context.address ?? null,
      payload: { before, after: checked },
      at: context.now,
    });
  });
  return oneCategory(database, actor, code);
}
