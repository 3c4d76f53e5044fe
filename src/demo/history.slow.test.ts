import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { createTestDatabase } from '../../test/support/database.ts';
import { ESCALATION_ACTION } from '../app/deadlines/sweep-deadlines.ts';
import { OPEN_STATES } from '../core/workflow/states.ts';
import {
  demoFigures,
  describeFigures,
  onTimeShare,
  overdueOpenShare,
  rankable,
  type UnitFigures,
} from './history-figures.ts';
import { seedDemoHistory, TROUBLED_UNITS } from './history.ts';
import { seedDemo } from './seed.ts';
import { getEvaluation } from '../app/evaluation/get-evaluation.ts';
import { actorOfRow } from '../app/identity/user-view.ts';

const NOW = new Date('2026-06-15T10:00:00+08:00'); // a Monday morning
const OPEN: readonly string[] = OPEN_STATES;

// The slow tier (`npm run test:slow`, once in CI): the full history of the whole district (the previous
// month and the current one, up to now). `history.test.ts` plays a week of a two-street slice in `npm test`
// and checks the same invariants.
describe('demo history (slow tier)', () => {
  const opened: Database[] = [];
  const fresh = async () => {
    const database = await createTestDatabase();
    opened.push(database);
    return database;
  };
  afterAll(async () => {
    for (const d of opened) await d.close();
  });

  it('plays the cases up to now through the workflow: every street, category and state', async () => {
    const database = await fresh();
    await seedDemo(database, () => undefined, { history: false, baseInfo: false });
    const report = await seedDemoHistory(database, { now: NOW });
    expect(report.failures).toEqual([]);
    expect(report.cases).toBeGreaterThan(120);

    const { db } = database;
    const cases = await db.selectFrom('cases').selectAll().execute();
    expect(cases).toHaveLength(report.cases);
    const streets = await db.selectFrom('regions').select('code').where('level', '=', 'street').execute();
    expect(new Set(cases.map((c) => c.street_code))).toEqual(new Set(streets.map((s) => s.code)));
    const categories = await db
      .selectFrom('categories')
      .select('code')
      .where('parent_code', 'is not', null)
      .execute();
    expect(new Set(cases.map((c) => c.category_code).filter(Boolean))).toEqual(
      new Set(categories.map((c) => c.code)),
    );
    for (const state of [...OPEN, 'closed', 'rejected', 'cancelled']) {
      expect(cases.filter((c) => c.state === state).length, state).toBeGreaterThan(0);
    }
    expect(
      cases.every((c) => c.reported_at <= NOW && c.reported_at >= new Date('2026-04-24T00:00:00+08:00')),
    ).toBe(true);

    // a district that works (issue 14 item 5), up to the moment of start
    const figures = await demoFigures(database, NOW);
    expect(figures.month).toBe('2026-05');
    // the troubled units (UNIT_PROFILES) pull the district's share down from ~85 %: a run of 2026-12 with
    // harsher profiles measured 69 %; the profiles were then softened (not re-measured in the slow tier)
    expect(onTimeShare(figures), describeFigures(figures)).toBeGreaterThanOrEqual(0.65);
    expect(onTimeShare(figures)).toBeLessThanOrEqual(0.97);
    expect(overdueOpenShare(figures), describeFigures(figures)).toBeLessThanOrEqual(0.12);
    expect(
      cases.filter((c) => c.reported_at.getTime() > NOW.getTime() - 72 * 3_600_000).length,
    ).toBeGreaterThan(5);
    // every street and the departments a district uses every day can be ranked in the last full month
    expect(rankable(figures.streets)).toHaveLength(streets.length);
    expect(rankable(figures.departments).length, describeFigures(figures)).toBeGreaterThanOrEqual(10);
    // the month's evaluation (its own use case) ranks them and spreads the grades: A, B and C (a run of
    // 2026-12: streets A 1, B 12, C 1; departments A 9, B 6, C 1 — no D yet, see UNIT_PROFILES)
    const leader = await db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'district.leader')
      .executeTakeFirstOrThrow();
    const evaluation = (unitKind: 'street' | 'department') =>
      getEvaluation({ database, now: () => NOW }, actorOfRow(leader), { period: '2026-05', unitKind });
    const streetTable = await evaluation('street');
    const deptTable = await evaluation('department');
    expect(streetTable.units.filter((u) => u.rank !== null)).toHaveLength(streets.length);
    const ranked = deptTable.units.filter((u) => u.rank !== null);
    expect(ranked.length).toBeGreaterThanOrEqual(12);
    const grades = new Set([...streetTable.units, ...ranked].map((u) => u.grade));
    for (const g of ['A', 'B', 'C']) expect(grades.has(g as 'A'), g).toBe(true);
    const last = (units: typeof ranked) =>
      units.filter((u) => u.rank !== null).sort((a, b) => b.rank! - a.rank!)[0]!;
    expect(last(streetTable.units).unit).toBe(TROUBLED_UNITS.street.code);
    expect(last(ranked).unit).toBe(TROUBLED_UNITS.department.id);
    // and the troubled units are clearly worse than their peers
    // (the street's centre sends cases back: returns and rework; the department handles late)
    const lateShare = (u: UnitFigures) => u.late / u.due;
    const comebackShare = (u: UnitFigures) => (u.returns + u.reworks) / u.due;
    const worst = (units: Record<string, UnitFigures>, by: (u: UnitFigures) => number) =>
      rankable(units).sort((a, b) => by(units[b]!) - by(units[a]!))[0];
    expect(worst(figures.streets, comebackShare), JSON.stringify(figures.streets)).toBe(
      TROUBLED_UNITS.street.code,
    );
    expect(worst(figures.departments, lateShare), JSON.stringify(figures.departments)).toBe(
      TROUBLED_UNITS.department.id,
    );

    const some = (what: string, n: number) => expect(n, what).toBeGreaterThan(0);
    some('overdue', cases.filter((c) => c.overdue).length);
    some('closed overdue', cases.filter((c) => c.closure_type === 'overdue').length);
    some('closed on time', cases.filter((c) => c.closure_type === 'normal').length);
    some('self-handled', cases.filter((c) => c.closure_type === 'self_handled').length);
    some('special closure of a suspended case', cases.filter((c) => c.closure_type === 'special').length);
    some('reworked', cases.filter((c) => c.rework_count > 0).length);
    some('returned', cases.filter((c) => c.return_count > 0).length);
    some('escalated to the district', cases.filter((c) => c.escalated && c.arbitrated).length);
    some('supervised', cases.filter((c) => c.supervised).length);
    some('reopened', cases.filter((c) => c.reopen_count > 0).length);
    some('merged duplicate', cases.filter((c) => c.merged_into !== null).length);
    some(
      'verified citizen report',
      cases.filter((c) => c.source === 'citizen' && c.verification === 'confirmed').length,
    );
    some('hotline report', cases.filter((c) => c.source === 'hotline').length);
    some('committee case', cases.filter((c) => c.owner_level === 'committee').length);
    some('urgent case', cases.filter((c) => c.urgency === 'urgent').length);
    // the overdue still open now were escalated by the sweeper, each level once per clock
    const escalations = await db
      .selectFrom('case_events')
      .select(['case_id', 'payload', 'actor_role'])
      .where('action', '=', ESCALATION_ACTION)
      .execute();
    some('sweeper escalations', escalations.length);
    expect(escalations.every((e) => e.actor_role === 'system')).toBe(true);
    const openOverdue = cases.filter((c) => OPEN.includes(c.state) && c.due_at && c.due_at < NOW);
    some('open and overdue now', openOverdue.length);
    for (const c of openOverdue)
      expect(
        escalations.some((e) => e.case_id === c.id),
        c.case_no,
      ).toBe(true);
    // each case's event sequence is its version history, written by the use cases
    const events = await db
      .selectFrom('case_events')
      .select(['case_id', 'seq'])
      .orderBy('case_id')
      .orderBy('seq')
      .execute();
    const seqs = new Map<string, number[]>();
    for (const e of events) seqs.set(e.case_id, [...(seqs.get(e.case_id) ?? []), e.seq]);
    for (const c of cases)
      expect(seqs.get(c.id), c.case_no).toEqual(Array.from({ length: c.version }, (_, i) => i + 1));

    expect((await seedDemoHistory(database, { now: NOW })).skipped).toBe(true);
  }, 900_000); // a hang guard: the whole history takes minutes on a loaded CI machine
});
