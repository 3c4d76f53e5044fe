import type { Actor } from '../../core/actor.ts';
import { refuseCitizen } from '../../core/policy/citizen-view.ts';
import { caseScope } from '../../core/policy/case-scope.ts';
import { OPEN_STATES } from '../../core/workflow/index.ts';
import type { Database } from '../../db/database.ts';
import { applyCaseScope } from '../../db/case-scope.ts';
import { scopedCases, shanghaiDate, shanghaiDayStart } from './filters.ts';

export interface StatsOverview {
  generatedAt: string;
  /** What the numbers cover: the whole district, or the actor's street/committee/department. */
  scope: { level: string; code: string | null; name: string | null };
  today: { intake: number; closed: number; bySource: Record<string, number> };
  openByState: Record<string, number>;
  openByStreet: { code: string; name: string; open: number; overdue: number }[];
  overdue: { total: number; byStage: Record<string, number> };
  /** 按时处置率 per lead department over the period: on-time handling reports / (reports + overdue unhandled). */
  onTimeByDepartment: {
    id: string;
    name: string;
    handled: number;
    onTime: number;
    overdueOpen: number;
    rate: number | null;
  }[];
  /** 按期结案率 per street over the period: cases closed without a missed deadline / cases closed. */
  onTimeByStreet: { code: string; name: string; closed: number; onTime: number; rate: number | null }[];
  /** Reports (intake) and closures per day, Asia/Shanghai, oldest first. */
  trend: { date: string; intake: number; closed: number }[];
  periodDays: number;
}

const DAY_MS = 86_400_000;

/**
 * The leader overview (领导总览), computed from the cases and the event log within the actor's case
 * scope: today's intake, open cases by state and street, overdue counts, on-time rates by department and
 * street over the last `days` days, and the daily trend. The full evaluation module (DESIGN §7) comes
 * later; these are its raw counts.
 */
export async function statsOverview(
  deps: { database: Database; now: () => Date },
  actor: Actor,
  options: { days?: number } = {},
): Promise<StatsOverview> {
  // on-time rates by department and street, overdue by stage: the leaders' dashboard, not the public view
  refuseCitizen(actor, 'The overview');
  const { db } = deps.database;
  const now = deps.now();
  const days = options.days ?? 30;
  const today = shanghaiDayStart(now);
  const since = new Date(today.getTime() - (days - 1) * DAY_MS);
  const cases = () => scopedCases(deps.database, actor);
  // events of cases in scope (the event log is the source of truth for what happened when)
  const events = () =>
    applyCaseScope(db.selectFrom('case_events').innerJoin('cases', 'cases.id', 'case_events.case_id'), actor);

  const [
    todayBySource,
    closedToday,
    openRows,
    overdueByStage,
    streetRows,
    handleRows,
    overdueHandle,
    closeRows,
    trendRows,
  ] = await Promise.all([
    events()
      .where('case_events.action', '=', 'report')
      .where('case_events.at', '>=', today)
      .select(['cases.source', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('cases.source')
      .execute(),
    events()
      .where('case_events.action', '=', 'close')
      .where('case_events.at', '>=', today)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    cases()
      .where('cases.state', 'in', OPEN_STATES)
      .select(['cases.state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('cases.state')
      .execute(),
    cases()
      .where('cases.state', 'in', OPEN_STATES)
      .where('cases.due_at', '<', now)
      .select(['cases.deadline_stage', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('cases.deadline_stage')
      .execute(),
    cases()
      .where('cases.state', 'in', OPEN_STATES)
      .where('cases.street_code', 'is not', null)
      .select((eb) => [
        'cases.street_code',
        eb.fn.countAll<number>().as('open'),
        eb.fn.count<number>('cases.id').filterWhere('cases.due_at', '<', now).as('overdue'),
      ])
      .groupBy('cases.street_code')
      .execute(),
    // handling reports (the event that stops the handle clock) by the reporting department
    events()
      .where('case_events.stage', '=', 'handle')
      .where('case_events.at', '>=', since)
      .where('case_events.actor_unit', 'like', 'dept:%')
      .select((eb) => [
        'case_events.actor_unit',
        eb.fn.countAll<number>().as('handled'),
        eb.fn.count<number>('case_events.id').filterWhere('case_events.on_time', '=', true).as('on_time'),
      ])
      .groupBy('case_events.actor_unit')
      .execute(),
    // 超时未处置: still being handled and already past due
    cases()
      .where('cases.state', 'in', ['in_progress', 'dispatched'])
      .where('cases.due_at', '<', now)
      .where('cases.lead_department_id', 'is not', null)
      .select(['cases.lead_department_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('cases.lead_department_id')
      .execute(),
    events()
      .where('case_events.action', '=', 'close')
      .where('case_events.at', '>=', since)
      .where('cases.street_code', 'is not', null)
      .select((eb) => [
        'cases.street_code',
        eb.fn.countAll<number>().as('closed'),
        eb.fn.count<number>('case_events.id').filterWhere('cases.overdue', '=', false).as('on_time'),
      ])
      .groupBy('cases.street_code')
      .execute(),
    events()
      .where('case_events.action', 'in', ['report', 'close'])
      .where('case_events.at', '>=', since)
      .select(['case_events.action', 'case_events.at'])
      .execute(),
  ]);

  const seesAll = caseScope(actor).rules.some((r) => r.kind === 'all');
  const streetNames = new Map(
    (
      await db
        .selectFrom('regions')
        .select(['code', 'name'])
        .where('level', '=', 'street')
        .orderBy('code')
        .execute()
    ).map((r) => [r.code, r.name] as const),
  );
  const deptIds = [
    ...new Set([
      ...handleRows.map((r) => r.actor_unit.slice('dept:'.length)),
      ...overdueHandle.map((r) => r.lead_department_id!),
    ]),
  ];
  const deptNames = new Map(
    deptIds.length
      ? (await db.selectFrom('departments').select(['id', 'name']).where('id', 'in', deptIds).execute()).map(
          (d) => [d.id, d.name] as const,
        )
      : [],
  );

  const openByState: Record<string, number> = Object.fromEntries(OPEN_STATES.map((s) => [s, 0]));
  for (const r of openRows) openByState[r.state] = Number(r.n);

  const streetCounts = new Map(
    streetRows.map((r) => [r.street_code!, { open: Number(r.open), overdue: Number(r.overdue) }]),
  );
  const streetCodes = seesAll ? [...streetNames.keys()] : [...streetCounts.keys()].sort();
  const openByStreet = streetCodes.map((code) => ({
    code,
    name: streetNames.get(code) ?? code,
    ...(streetCounts.get(code) ?? { open: 0, overdue: 0 }),
  }));

  const byDept = new Map<string, { handled: number; onTime: number; overdueOpen: number }>();
  for (const r of handleRows) {
    const id = r.actor_unit.slice('dept:'.length);
    byDept.set(id, { handled: Number(r.handled), onTime: Number(r.on_time), overdueOpen: 0 });
  }
  for (const r of overdueHandle) {
    const d = byDept.get(r.lead_department_id!) ?? { handled: 0, onTime: 0, overdueOpen: 0 };
    d.overdueOpen = Number(r.n);
    byDept.set(r.lead_department_id!, d);
  }
  const onTimeByDepartment = [...byDept.entries()]
    .map(([id, d]) => {
      const due = d.handled + d.overdueOpen; // 应处置数 = 处置数 + 超时未处置数
      return { id, name: deptNames.get(id) ?? id, ...d, rate: due > 0 ? d.onTime / due : null };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));

  const closeByStreet = new Map(
    closeRows.map((r) => [r.street_code!, { closed: Number(r.closed), onTime: Number(r.on_time) }]),
  );
  const onTimeByStreet = (seesAll ? [...streetNames.keys()] : [...closeByStreet.keys()].sort()).map(
    (code) => {
      const c = closeByStreet.get(code) ?? { closed: 0, onTime: 0 };
      return {
        code,
        name: streetNames.get(code) ?? code,
        ...c,
        rate: c.closed > 0 ? c.onTime / c.closed : null,
      };
    },
  );

  const trendMap = new Map<string, { intake: number; closed: number }>();
  for (let i = 0; i < days; i++)
    trendMap.set(shanghaiDate(new Date(since.getTime() + i * DAY_MS)), { intake: 0, closed: 0 });
  for (const e of trendRows) {
    const day = trendMap.get(shanghaiDate(e.at));
    if (!day) continue;
    if (e.action === 'report') day.intake++;
    else day.closed++;
  }

  const bySource: Record<string, number> = {};
  for (const r of todayBySource) bySource[r.source] = Number(r.n);
  return {
    generatedAt: now.toISOString(),
    scope: await describeScope(deps.database, actor, seesAll),
    today: {
      intake: Object.values(bySource).reduce((a, b) => a + b, 0),
      closed: Number(closedToday.n),
      bySource,
    },
    openByState,
    openByStreet,
    overdue: {
      total: overdueByStage.reduce((a, r) => a + Number(r.n), 0),
      byStage: Object.fromEntries(overdueByStage.map((r) => [r.deadline_stage ?? 'none', Number(r.n)])),
    },
    onTimeByDepartment,
    onTimeByStreet,
    trend: [...trendMap.entries()].map(([date, v]) => ({ date, ...v })),
    periodDays: days,
  };
}

async function describeScope(
  database: Database,
  actor: Actor,
  seesAll: boolean,
): Promise<StatsOverview['scope']> {
  const { unit } = actor;
  if (seesAll || unit.kind === 'none') return { level: seesAll ? 'district' : 'own', code: null, name: null };
  if (unit.kind === 'department') {
    const d = await database.db
      .selectFrom('departments')
      .select('name')
      .where('id', '=', unit.id)
      .executeTakeFirst();
    return { level: 'department', code: unit.id, name: d?.name ?? unit.id };
  }
  const r = await database.db
    .selectFrom('regions')
    .select('name')
    .where('code', '=', unit.code)
    .executeTakeFirst();
  return { level: unit.level, code: unit.code, name: r?.name ?? unit.code };
}
