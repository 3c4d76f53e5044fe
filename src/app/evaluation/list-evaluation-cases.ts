import type { Actor } from '../../core/actor.ts';
import {
  INDICATOR_BY_ID,
  TERRITORY_KINDS,
  areaOf,
  unitInScope,
  type IndicatorId,
  type ItemReason,
  type UnitKind,
} from '../../core/evaluation/index.ts';
import { AppError } from '../../core/errors.ts';
import { regionLevelOfCode } from '../../core/policy/units.ts';
import {
  periodItems,
  requireScope,
  resolvePeriod,
  unitDirectory,
  type EvaluationDeps,
} from './get-evaluation.ts';
import { pageOfItems, periodRollupSums, rollupsBuilt, type ItemRow } from './rollups.ts';

export interface EvaluationCaseRow {
  caseId: string;
  caseNo: string;
  /** When the event that counted it happened. */
  at: string;
  reason: ItemReason;
  numerator: boolean;
  denominator: boolean;
  /** The case's state now. */
  state: string;
  description: string;
}

export interface EvaluationCaseList {
  indicator: IndicatorId;
  unitKind: UnitKind;
  unit: string;
  unitName: string;
  period: string;
  part: 'numerator' | 'denominator';
  /** How many there are in all (= the number on the evaluation table). */
  total: number;
  items: EvaluationCaseRow[];
}

/**
 * The drill-down (下钻): the cases behind one number of the evaluation table — an indicator's numerator or
 * denominator for one unit and period — each with why it counts (closed on time, closed late, overdue and
 * open…). The list is the same computation as the table, so its length is the number shown.
 */
export async function listEvaluationCases(
  deps: EvaluationDeps,
  actor: Actor,
  input: {
    indicator: IndicatorId;
    unit: string;
    unitKind?: UnitKind;
    part: 'numerator' | 'denominator';
    period?: string;
    from?: string;
    to?: string;
    offset?: number;
    limit?: number;
  },
): Promise<EvaluationCaseList> {
  const scope = requireScope(actor);
  const def = INDICATOR_BY_ID[input.indicator];
  let kind = input.unitKind;
  if (!kind) {
    if (def.kinds.length === 1) kind = def.kinds[0]!;
    else {
      const level = regionLevelOfCode(input.unit);
      kind =
        level && (TERRITORY_KINDS as readonly string[]).includes(level) ? (level as UnitKind) : undefined;
    }
  }
  if (!kind || !def.kinds.includes(kind)) {
    throw new AppError('validation_failed', `${input.indicator} is not an indicator of this unit`, {
      problems: [{ path: '/unitKind', message: 'no such indicator for this unit kind' }],
    });
  }
  const directory = await unitDirectory(deps.database, kind, [input.unit]);
  if (
    !directory.has(input.unit) ||
    !unitInScope(scope, kind, input.unit, directory.get(input.unit)?.code ?? null)
  ) {
    throw new AppError('not_found', 'No such unit in your scope');
  }
  const now = deps.now();
  const period = resolvePeriod(now, input);
  const offset = input.offset ?? 0;
  const limit = input.limit ?? 1000;
  const street = scope.kind === 'street' ? scope.code : null;
  // from the items table (an index range in keyset order) when the roll-ups are built; 漏报率 first needs
  // the patroller's area in the period, from the day roll-ups
  let found: { total: number; items: ItemRow[] } | null = null;
  if (input.indicator === 'missed_report_rate') {
    const sums = await periodRollupSums(deps.database.db, period, now, ['presence', 'area'], street);
    if (sums) {
      found = await pageOfItems(deps.database.db, {
        kind: 'area',
        units: areaOf(sums, input.unit).pairs,
        indicator: input.indicator,
        part: input.part,
        period,
        asOf: now,
        street,
        offset,
        limit,
      });
    }
  } else if (await rollupsBuilt(deps.database.db)) {
    found = await pageOfItems(deps.database.db, {
      kind,
      units: [input.unit],
      indicator: input.indicator,
      part: input.part,
      period,
      asOf: now,
      street,
      offset,
      limit,
    });
  }
  if (!found) {
    const [items = []] = await periodItems(deps, scope, period);
    const all = items.filter(
      (i) =>
        i.kind === kind &&
        i.unit === input.unit &&
        i.indicator === input.indicator &&
        (input.part === 'numerator' ? i.numerator : i.denominator),
    );
    all.sort((a, b) => a.at.getTime() - b.at.getTime() || a.eventId - b.eventId);
    found = { total: all.length, items: all.slice(offset, offset + limit) };
  }
  const page = found.items;
  const ids = [...new Set(page.map((i) => i.caseId))];
  const cases = ids.length
    ? await deps.database.db
        .selectFrom('cases')
        .select(['id', 'state', 'description'])
        .where('id', 'in', ids)
        .execute()
    : [];
  const byId = new Map(cases.map((c) => [c.id, c]));
  return {
    indicator: input.indicator,
    unitKind: kind,
    unit: input.unit,
    unitName: directory.get(input.unit)?.name ?? input.unit,
    period: period.key,
    part: input.part,
    total: found.total,
    items: page.map((i) => ({
      caseId: i.caseId,
      caseNo: i.caseNo,
      at: i.at.toISOString(),
      reason: i.reason,
      numerator: i.numerator,
      denominator: i.denominator,
      state: byId.get(i.caseId)?.state ?? 'unknown',
      description: byId.get(i.caseId)?.description ?? '',
    })),
  };
}
