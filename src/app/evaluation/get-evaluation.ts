import type { Actor } from '../../core/actor.ts';
import {
  TERRITORY_KINDS,
  collectItems,
  evaluationEnd,
  evaluationScope,
  indicatorsOf,
  monthOf,
  parsePeriod,
  previousPeriod,
  scopeKinds,
  scoreCounts,
  unitInScope,
  addCount,
  countsOfSums,
  type SegmentKind,
  type UnitCounts,
  weightOf,
  type EvaluationItem,
  type EvaluationScope,
  type EvaluationSettings,
  type Grade,
  type IndicatorId,
  type IndicatorValue,
  type Period,
  type UnitKind,
} from '../../core/evaluation/index.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import { readEvaluationSettings } from './evaluation-settings.ts';
import { loadEvaluationEvents } from './load-events.ts';
import { periodRollupSums } from './rollups.ts';

export interface EvaluationDeps {
  database: Database;
  now: () => Date;
}

export interface EvaluationUnitRow {
  unit: string;
  name: string;
  indicators: IndicatorValue[];
  composite: number | null;
  grade: Grade | null;
  size: number;
  small: boolean;
  rank: number | null;
  previousComposite: number | null;
  change: number | null;
}

export interface EvaluationTable {
  period: { key: string; kind: string; from: string; to: string };
  previousPeriod: string;
  /** Figures are as of the period's end, or this instant when the period is not over. */
  asOf: string;
  unitKind: UnitKind;
  /** The unit kinds the caller may see (tabs). */
  kinds: UnitKind[];
  indicators: { id: IndicatorId; weight: number }[];
  minDenominator: number;
  units: EvaluationUnitRow[];
}

/** Resolves the period of a request: a key (`2026-11`, `2026-W47`, `2026-Q4`, `2026`), a from/to day range, or this month. */
export function resolvePeriod(now: Date, input: { period?: string; from?: string; to?: string }): Period {
  const key =
    input.period ?? (input.from || input.to ? `${input.from ?? input.to}..${input.to ?? input.from}` : null);
  if (key === null) return monthOf(now);
  const p = parsePeriod(key);
  if (!p)
    throw new AppError('validation_failed', `Not a period: ${key}`, {
      problems: [{ path: '/period', message: 'not a period' }],
    });
  return p;
}

export function requireScope(actor: Actor): EvaluationScope {
  const scope = evaluationScope(actor);
  if (!scope) throw new AppError('forbidden', 'Your role has no evaluation');
  return scope;
}

/**
 * Every item of the periods, each as of min(its end, now), within what the scope needs. The periods share
 * one read of the log (from the earliest start): an item is always made by an event inside its period, so
 * the extra cases of the wider read add nothing to a period.
 */
export async function periodItems(
  deps: EvaluationDeps,
  scope: EvaluationScope,
  ...periods: Period[]
): Promise<EvaluationItem[][]> {
  const now = deps.now();
  const from = new Date(Math.min(...periods.map((p) => p.from.getTime())));
  const end = new Date(Math.max(...periods.map((p) => evaluationEnd(p, now).getTime())));
  if (end.getTime() <= from.getTime()) return periods.map(() => []);
  const events = await loadEvaluationEvents(deps.database, {
    from,
    end,
    street: scope.kind === 'street' ? scope.code : null,
  });
  return periods.map((p) => collectItems(events, p, now));
}

/** Names and region codes of units, for display and the scope check. */
export async function unitDirectory(
  database: Database,
  kind: UnitKind,
  units: readonly string[],
): Promise<Map<string, { name: string; code: string | null }>> {
  const { db } = database;
  const out = new Map<string, { name: string; code: string | null }>();
  if (units.length === 0) return out;
  if ((TERRITORY_KINDS as readonly string[]).includes(kind)) {
    const rows = await db.selectFrom('regions').select(['code', 'name']).where('code', 'in', units).execute();
    for (const r of rows) out.set(r.code, { name: r.name, code: r.code });
  } else if (kind === 'department') {
    const rows = await db
      .selectFrom('departments')
      .select(['id', 'name', 'region_code'])
      .where('id', 'in', units)
      .execute();
    for (const r of rows) out.set(r.id, { name: r.name, code: r.region_code });
  } else {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'display_name', 'unit_code'])
      .where('id', 'in', units)
      .execute();
    for (const r of rows) out.set(r.id, { name: r.display_name, code: r.unit_code });
  }
  return out;
}

/** The units of a kind listed even without any case: the regions of that level, the active departments. */
async function baseUnits(database: Database, scope: EvaluationScope, kind: UnitKind): Promise<string[]> {
  const { db } = database;
  if ((TERRITORY_KINDS as readonly string[]).includes(kind)) {
    let q = db
      .selectFrom('regions')
      .select('code')
      .where('level', '=', kind as 'street' | 'committee' | 'grid');
    if (scope.kind === 'street') q = q.where('code', 'like', `${scope.code}%`);
    return (await q.execute()).map((r) => r.code);
  }
  if (kind === 'department') {
    let q = db.selectFrom('departments').select('id').where('active', '=', true);
    if (scope.kind === 'department') q = q.where('id', '=', scope.id);
    return (await q.execute()).map((r) => r.id);
  }
  return [];
}

function scoreInScope(
  counts: UnitCounts,
  kind: UnitKind,
  settings: EvaluationSettings,
  base: readonly string[],
  inScope: (unit: string) => boolean,
  previous?: ReadonlyMap<string, number | null>,
) {
  // units out of scope are dropped before ranking: a street leader ranks the units of the street
  const visible: UnitCounts = new Map([...counts].filter(([unit]) => inScope(unit)));
  return scoreCounts(visible, kind, settings, { units: base.filter(inScope), previous });
}

/** The segment kinds a unit kind's table sums (patrollers' 漏报率 needs their areas and the reports). */
export const rollupKindsOf = (kind: UnitKind): SegmentKind[] =>
  kind === 'patroller' ? ['patroller', 'presence', 'area'] : [kind];

/**
 * The counts of one unit kind for a period within the scope: from the day roll-ups when they answer exactly
 * (rollups.ts), else from the event log (the computation they are checked against).
 */
export async function periodCounts(
  deps: EvaluationDeps,
  scope: EvaluationScope,
  period: Period,
  kind: UnitKind,
): Promise<UnitCounts> {
  const now = deps.now();
  const street = scope.kind === 'street' ? scope.code : null;
  const sums = await periodRollupSums(deps.database.db, period, now, rollupKindsOf(kind), street);
  if (sums) return countsOfSums(sums, kind);
  const [items = []] = await periodItems(deps, scope, period);
  const counts: UnitCounts = new Map();
  for (const i of items)
    if (i.kind === kind) addCount(counts, i.unit, i.indicator, i.numerator ? 1 : 0, i.denominator ? 1 : 0);
  return counts;
}

/**
 * The evaluation table (综合评价) of one unit kind for a period: per unit every indicator with numerator
 * and denominator, the composite score, grade, rank, small-sample flag and the change from the previous
 * period, within the caller's scope.
 */
export async function getEvaluation(
  deps: EvaluationDeps,
  actor: Actor,
  input: { period?: string; from?: string; to?: string; unitKind?: UnitKind },
): Promise<EvaluationTable> {
  const scope = requireScope(actor);
  const kinds = [...scopeKinds(scope)];
  const kind = input.unitKind ?? kinds[0]!;
  if (!kinds.includes(kind)) throw new AppError('forbidden', `You may not see the evaluation of ${kind}`);
  const now = deps.now();
  const period = resolvePeriod(now, input);
  const previous = previousPeriod(period);
  const settings = await readEvaluationSettings(deps.database.db);
  const [counts, previousCounts, base] = await Promise.all([
    periodCounts(deps, scope, period, kind),
    periodCounts(deps, scope, previous, kind),
    baseUnits(deps.database, scope, kind),
  ]);
  const unitIds = new Set<string>(base);
  for (const c of [counts, previousCounts]) for (const unit of c.keys()) unitIds.add(unit);
  const directory = await unitDirectory(deps.database, kind, [...unitIds]);
  const inScope = (unit: string) => unitInScope(scope, kind, unit, directory.get(unit)?.code ?? null);
  const before = scoreInScope(previousCounts, kind, settings, base, inScope);
  const previousComposites = new Map(before.map((s) => [s.unit, s.composite]));
  const scores = scoreInScope(counts, kind, settings, base, inScope, previousComposites);
  const end = new Date(Math.min(period.to.getTime(), now.getTime()));
  return {
    period: {
      key: period.key,
      kind: period.kind,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
    },
    previousPeriod: previous.key,
    asOf: end.toISOString(),
    unitKind: kind,
    kinds,
    indicators: indicatorsOf(kind).map((d) => ({ id: d.id, weight: weightOf(settings, kind, d.id) })),
    minDenominator: settings.minDenominator,
    units: scores.map((s) => ({
      ...s,
      name: directory.get(s.unit)?.name ?? s.unit,
      previousComposite: previousComposites.get(s.unit) ?? null,
    })),
  };
}
