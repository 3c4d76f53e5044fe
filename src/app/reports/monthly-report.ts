import { sql } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import {
  INDICATOR_BY_ID,
  evaluationScope,
  parsePeriod,
  type Grade,
  type IndicatorId,
} from '../../core/evaluation/index.ts';
import {
  headAndTail,
  reportLevelOf,
  sumFigures,
  trendMonths,
  type ReportLevel,
} from '../../core/reports/monthly.ts';
import { OPEN_STATES } from '../../core/workflow/states.ts';
import { applyCaseScope } from '../../db/case-scope.ts';
import {
  getEvaluation,
  type EvaluationDeps,
  type EvaluationTable,
  type EvaluationUnitRow,
} from '../evaluation/get-evaluation.ts';

/** How many months the trend shows (the report's month and the ones before it). */
export const TREND_MONTHS = 6;
/** How many units head and trail the ranking, and how many cases each notable list shows. */
const RANKING_SIZE = 5;
const NOTABLE_SIZE = 8;

export interface ReportFigure {
  id: IndicatorId;
  name: { zh: string; en: string };
  numerator: number;
  denominator: number;
  rate: number | null;
}

export interface ReportUnitRow {
  unit: string;
  name: string;
  rank: number | null;
  composite: number | null;
  grade: Grade | null;
  change: number | null;
  size: number;
  small: boolean;
  figures: ReportFigure[];
}

export interface NotableCase {
  caseNo: string;
  description: string;
  street: string | null;
  state: string;
  reportedAt: string;
  dueAt: string | null;
  /** When the notable thing happened (supervision, reopening); the due time for overdue cases. */
  at: string;
}

export interface MonthlyReport {
  unit: { code: string; name: string; level: ReportLevel };
  period: { key: string; from: string; to: string };
  asOf: string;
  generatedAt: string;
  /** The unit's own figures: its row of the street table (a street), the sum of its streets' (the district). */
  summary: {
    figures: ReportFigure[];
    composite: number | null;
    grade: Grade | null;
    rank: number | null;
    ranked: number;
    change: number | null;
  };
  /** The units under it, as the evaluation page shows them: streets (district), committees (street). */
  table: { kind: 'street' | 'committee'; minDenominator: number; units: ReportUnitRow[] };
  rankings: { top: ReportUnitRow[]; bottom: ReportUnitRow[] };
  /** Departments (district report only): the head and tail of their ranking. */
  departments: { top: ReportUnitRow[]; bottom: ReportUnitRow[] } | null;
  trend: { period: string; figures: ReportFigure[]; composite: number | null }[];
  notable: { overdue: NotableCase[]; supervised: NotableCase[]; reopened: NotableCase[] };
}

const figures = (row: {
  indicators: readonly { id: IndicatorId; numerator: number; denominator: number; rate: number | null }[];
}) => row.indicators.map((i) => ({ ...i, name: INDICATOR_BY_ID[i.id].name }));

const unitRow = (u: EvaluationUnitRow): ReportUnitRow => ({
  unit: u.unit,
  name: u.name,
  rank: u.rank,
  composite: u.composite,
  grade: u.grade,
  change: u.change,
  size: u.size,
  small: u.small,
  figures: figures(u),
});

/** The area's own figures in a street table: the street's row, or the district's sums. */
function areaOf(table: EvaluationTable, level: ReportLevel, code: string) {
  if (level === 'street') {
    const row = table.units.find((u) => u.unit === code);
    if (!row) throw new AppError('not_found', `No street ${code} in your evaluation`);
    return {
      figures: figures(row),
      composite: row.composite,
      grade: row.grade,
      rank: row.rank,
      ranked: table.units.filter((u) => u.rank !== null).length,
      change: row.change,
    };
  }
  const sums = sumFigures(table.units) as {
    id: IndicatorId;
    numerator: number;
    denominator: number;
    rate: number | null;
  }[];
  return {
    figures: figures({ indicators: sums }),
    composite: null,
    grade: null,
    rank: null,
    ranked: 0,
    change: null,
  };
}

/**
 * The monthly report (月度考评报告) of a district or a street for a month: the summary, the table of the
 * units under it, rankings, a six-month trend and the month's notable cases (the most overdue open cases,
 * those supervised and those reopened in the month). Every figure comes from `getEvaluation`, the use
 * case of the evaluation page, with the caller's scope, so the report shows exactly what the page shows.
 */
export async function buildMonthlyReport(
  deps: EvaluationDeps,
  actor: Actor,
  input: { period: string; unit: string },
): Promise<MonthlyReport> {
  const level = reportLevelOf(input.unit);
  const period = /^\d{4}-\d{2}$/.test(input.period) ? parsePeriod(input.period) : null;
  if (!level || !period) {
    throw new AppError(
      'validation_failed',
      'A monthly report takes a month (YYYY-MM) and a district or street code',
      {
        problems: [
          ...(period ? [] : [{ path: '/period', message: 'a month, YYYY-MM' }]),
          ...(level ? [] : [{ path: '/unit', message: 'a district (6 digits) or street (9 digits) code' }]),
        ],
      },
    );
  }
  if (level === 'district' && evaluationScope(actor)?.kind !== 'all') {
    throw new AppError('forbidden', 'Only the district sees the district report');
  }
  const { db } = deps.database;
  const region = await db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where('code', '=', input.unit)
    .executeTakeFirst();
  if (!region || region.level !== level) throw new AppError('not_found', `No ${level} ${input.unit}`);

  const months = trendMonths(period.key, TREND_MONTHS);
  const streetTables = await Promise.all(
    months.map((m) => getEvaluation(deps, actor, { period: m, unitKind: 'street' })),
  );
  const streets = streetTables[streetTables.length - 1]!;
  const table =
    level === 'district'
      ? streets
      : await getEvaluation(deps, actor, { period: period.key, unitKind: 'committee' });
  const units = table.units.filter((u) => level === 'district' || u.unit.startsWith(input.unit)).map(unitRow);
  const departments =
    level === 'district' && streets.kinds.includes('department')
      ? headAndTail(
          (await getEvaluation(deps, actor, { period: period.key, unitKind: 'department' })).units.map(
            unitRow,
          ),
          RANKING_SIZE,
        )
      : null;

  return {
    unit: { code: region.code, name: region.name, level },
    period: { key: period.key, from: period.from.toISOString(), to: period.to.toISOString() },
    asOf: streets.asOf,
    generatedAt: deps.now().toISOString(),
    summary: areaOf(streets, level, input.unit),
    table: {
      kind: level === 'district' ? 'street' : 'committee',
      minDenominator: table.minDenominator,
      units,
    },
    rankings: headAndTail(units, RANKING_SIZE),
    departments,
    trend: streetTables.map((t) => {
      const area = areaOf(t, level, input.unit);
      return { period: t.period.key, figures: area.figures, composite: area.composite };
    }),
    notable: await notableCases(deps, actor, level, input.unit, period.from, new Date(streets.asOf)),
  };
}

/** The month's notable cases within the caller's case scope and the unit's area. */
async function notableCases(
  deps: EvaluationDeps,
  actor: Actor,
  level: ReportLevel,
  unit: string,
  from: Date,
  end: Date,
): Promise<MonthlyReport['notable']> {
  const { db } = deps.database;
  const base = () => {
    let q = applyCaseScope(db.selectFrom('cases'), actor).leftJoin(
      'regions',
      'regions.code',
      'cases.street_code',
    );
    if (level === 'street') q = q.where('cases.street_code', '=', unit);
    return q.select([
      'cases.id',
      'cases.case_no',
      'cases.description',
      'cases.state',
      'cases.reported_at',
      'cases.due_at',
      'regions.name as street',
    ]);
  };
  const present = (r: {
    case_no: string;
    description: string;
    state: string;
    reported_at: Date;
    due_at: Date | null;
    street: string | null;
    at: Date | null;
  }): NotableCase => ({
    caseNo: r.case_no,
    description: r.description,
    street: r.street,
    state: r.state,
    reportedAt: r.reported_at.toISOString(),
    dueAt: r.due_at?.toISOString() ?? null,
    at: (r.at ?? r.due_at ?? r.reported_at).toISOString(),
  });
  // open at the month's end (or now) and past their running deadline, the longest overdue first
  const overdue = await base()
    .select(sql<Date | null>`cases.due_at`.as('at'))
    .where('cases.state', 'in', OPEN_STATES)
    .where('cases.due_at', '<', end)
    .where('cases.reported_at', '<', end)
    .orderBy('cases.due_at', 'asc')
    .orderBy('cases.id')
    .limit(NOTABLE_SIZE)
    .execute();
  const withEvent = (action: string) =>
    base()
      .innerJoin(
        (eb) =>
          eb
            .selectFrom('case_events')
            .select(['case_id', sql<Date>`max(at)`.as('at')])
            .where('action', '=', action)
            .where('at', '>=', from)
            .where('at', '<', end)
            .groupBy('case_id')
            .as('e'),
        (join) => join.onRef('e.case_id', '=', 'cases.id'),
      )
      .select('e.at')
      .orderBy('e.at', 'desc')
      .orderBy('cases.id')
      .limit(NOTABLE_SIZE)
      .execute();
  const [supervised, reopened] = await Promise.all([withEvent('supervise'), withEvent('reopen')]);
  return {
    overdue: overdue.map(present),
    supervised: supervised.map(present),
    reopened: reopened.map(present),
  };
}
