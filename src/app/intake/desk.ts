import type { Actor } from '../../core/actor.ts';
import { AppError, refusal } from '../../core/errors.ts';
import { mayMergeAtDesk, mayUseDesk } from '../../core/intake/desk.ts';
import { suggestCategories, type CategorySuggestion } from '../../core/intake/suggest-category.ts';
import type { Crs } from '../../core/geo/crs.ts';
import type { Database } from '../../db/database.ts';
import { createCase, type CreateCaseInput, type CreateCaseResult } from '../cases/create-case.ts';
import type { CaseDeps } from '../cases/deps.ts';
import { duplicateRadius, findDuplicates, type DuplicateSuggestion } from '../cases/find-duplicates.ts';
import { getCase } from '../cases/get-case.ts';
import { performCaseAction } from '../cases/perform-case-action.ts';
import { locatePoint } from '../territory/locate.ts';
import type { DeskSource } from '../../core/intake/desk.ts';
import { OPEN_STATES } from '../../core/workflow/index.ts';

/** Refuses everyone but the desk's staff (dispatchers and shift leads of a centre). */
export function assertDesk(actor: Actor): void {
  if (!mayUseDesk(actor))
    throw new AppError('forbidden', 'The intake desk is for the dispatchers and shift leads of a centre', {
      action: 'intake',
    });
}

export interface DeskContext {
  /** The desk's centre: a street sub-centre, or the district centre. */
  region: { code: string; name: string; level: 'street' | 'district' | 'committee' | 'grid' };
  /** Where the desk's map opens (the centre's region centroid), and how close. */
  center: { lon: number; lat: number } | null;
  zoom: number;
}

/** The desk's own region, for the map to open on its street rather than on the whole district. */
export async function getDeskContext(database: Database, actor: Actor): Promise<DeskContext> {
  assertDesk(actor);
  if (actor.unit.kind !== 'region') throw new AppError('forbidden', 'No centre');
  const row = await database.db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'centroid_lon', 'centroid_lat'])
    .where('code', '=', actor.unit.code)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `No region ${actor.unit.code}`);
  const center =
    row.centroid_lon !== null && row.centroid_lat !== null
      ? { lon: row.centroid_lon, lat: row.centroid_lat }
      : null;
  return {
    region: { code: row.code, name: row.name, level: row.level as DeskContext['region']['level'] },
    center,
    zoom: row.level === 'district' ? 11.5 : 13.5,
  };
}

export interface IntakeCheckInput {
  description?: string | undefined;
  category?: string | null | undefined;
  location?: { lon: number; lat: number; crs?: Crs | undefined } | null | undefined;
}

export interface IntakeCheck {
  /** 小类 the description points to, best first (core/intake/suggest-category.ts). */
  suggestions: (CategorySuggestion & { nameZh: string; nameEn: string })[];
  /** The category the duplicates are for: the one chosen, else the best suggestion. */
  duplicatesFor: string | null;
  /** Open cases of that category near the location the desk may see, nearest first. */
  duplicates: DuplicateSuggestion[];
  radiusM: number;
  /** The street the location lies in (null outside the territory or without a location). */
  streetCode: string | null;
  /** Whether this desk can merge the new report into one of the duplicates in the same step. */
  mayMerge: boolean;
}

/**
 * What the desk shows while the call goes on, before anything is saved: category suggestions from the
 * description, and open cases of the same category nearby ("merge instead of duplicate").
 */
export async function checkIntake(
  deps: CaseDeps,
  actor: Actor,
  input: IntakeCheckInput,
): Promise<IntakeCheck> {
  assertDesk(actor);
  const { db } = deps.database;
  const categories = await db
    .selectFrom('categories')
    .select(['code', 'parent_code', 'name_zh', 'name_en'])
    .where('active', '=', true)
    .orderBy('sort')
    .orderBy('code')
    .execute();
  const names = new Map(categories.map((c) => [c.code, c]));
  const suggestions = suggestCategories(
    input.description ?? '',
    categories.map((c) => ({
      code: c.code,
      parentCode: c.parent_code,
      nameZh: c.name_zh,
      nameEn: c.name_en,
    })),
  ).map((s) => ({ ...s, nameZh: names.get(s.code)!.name_zh, nameEn: names.get(s.code)!.name_en }));
  const chosen = input.category && input.category.length === 4 ? input.category : null;
  const duplicatesFor = chosen ?? suggestions[0]?.code ?? null;
  const radiusM = deps.duplicateRadiusM ?? (await duplicateRadius(db));
  let streetCode: string | null = null;
  let duplicates: DuplicateSuggestion[] = [];
  if (input.location) {
    const placement = await locatePoint(deps.database, input.location);
    streetCode = placement.inside ? (placement.street?.code ?? null) : null;
    if (duplicatesFor) {
      duplicates = await findDuplicates(db, actor, {
        categoryCode: duplicatesFor,
        lon: placement.position.lon,
        lat: placement.position.lat,
        radiusM,
      });
    }
  }
  return {
    suggestions,
    duplicatesFor,
    duplicates,
    radiusM,
    streetCode,
    mayMerge: mayMergeAtDesk(actor, streetCode),
  };
}

export interface TakeCallInput extends Omit<CreateCaseInput, 'source' | 'photos' | 'selfHandled'> {
  source: DeskSource;
  /** "Merge into this one": the open case (id or number) the call reports again. */
  mergeInto?: string | null | undefined;
}

export interface TakeCallResult extends CreateCaseResult {
  /** The case the desk opens next: the existing one when the call was merged into it, else the new one. */
  openCaseId: string;
  /** The case the call was merged into (its number), or null. */
  mergedInto: { id: string; caseNo: string } | null;
}

/**
 * Saves the call in one step (issue 11 §1). The call always becomes a case of its own — it keeps the
 * caller's contact (masked like any reporter's), the 12345 ticket number and the source — so nothing the
 * caller said is lost and the ticket stays searchable. With `mergeInto` it is then merged into the open
 * case (the workflow's `merge`: the duplicate is closed as 重复, the master keeps every reporter), and the
 * desk opens the master. Merging a report that does not exist yet is not a workflow step, hence this
 * order. Before anything is written the master is checked (visible, open, and this desk is the street
 * centre the new report will belong to), so a refused merge writes nothing.
 */
export async function takeCall(
  deps: CaseDeps,
  actor: Actor,
  input: TakeCallInput,
  options: { idempotencyKey?: string | undefined; clientAddress?: string | undefined } = {},
): Promise<TakeCallResult> {
  assertDesk(actor);
  const { mergeInto, ...report } = input;
  let master: { id: string; caseNo: string; version: number } | null = null;
  if (mergeInto) {
    const found = await getCase(deps, actor, mergeInto).catch((error: unknown) => {
      throw error instanceof AppError && error.code === 'not_found'
        ? refusal(
            'validation_failed',
            'unknown_case',
            'The case to merge into does not exist or is not visible',
            {
              problems: [{ path: '/mergeInto', message: 'no such case' }],
            },
          )
        : error;
    });
    if (!(OPEN_STATES as readonly string[]).includes(found.state) || found.mergedInto) {
      throw refusal('unprocessable', 'merge_target_closed', `Case ${found.caseNo} is no longer open`, {
        problems: [{ path: '/mergeInto', message: 'the case is closed' }],
      });
    }
    const placement = await locatePoint(deps.database, input.location);
    if (!mayMergeAtDesk(actor, placement.inside ? (placement.street?.code ?? null) : null)) {
      throw refusal(
        'forbidden',
        'merge_outside_desk',
        'Only the desk of the street the report lies in merges it at once',
        { action: 'merge' },
      );
    }
    master = { id: found.id, caseNo: found.caseNo, version: found.version };
  }
  const created = await createCase(deps, actor, report, options);
  if (!master || created.replayed) {
    return {
      ...created,
      openCaseId: created.case.mergedInto ?? created.case.id,
      mergedInto: created.case.mergedInto && master ? { id: master.id, caseNo: master.caseNo } : null,
    };
  }
  try {
    const merged = await performCaseAction(
      deps,
      actor,
      {
        caseRef: created.case.id,
        action: 'merge',
        version: created.case.version,
        payload: { masterCaseId: master.id, note: '受理台：同一事项再次来电，并入已有案件' },
      },
      options,
    );
    return {
      ...created,
      case: merged.case,
      openCaseId: master.id,
      mergedInto: { id: master.id, caseNo: master.caseNo },
    };
  } catch (error) {
    // the call is saved as its own case (nothing is lost); the desk opens it and can merge it from there
    deps.log?.warn(
      { err: error, caseId: created.case.id, master: master.id },
      'intake desk: merge after intake failed',
    );
    return { ...created, openCaseId: created.case.id, mergedInto: null };
  }
}
