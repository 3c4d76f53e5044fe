import { sql, type Kysely, type RawBuilder } from 'kysely';
import {
  beijingDay,
  caseSegments,
  evaluationEnd,
  type EvaluationEvent,
  type EvaluationSegment,
  type IndicatorId,
  type ItemReason,
  type Period,
  type RollupSum,
  type SegmentKind,
} from '../../core/evaluation/index.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema/index.ts';
import { caseEvaluationEvents } from './load-events.ts';

/**
 * The evaluation roll-ups (issue 14 requirement 2, migration 0035). The event log stays the single source:
 * `evaluation_items` holds each case's period-free segments (src/core/evaluation/segments.ts) and
 * `evaluation_rollups` their signed day spans per unit. Both are kept per case **in the same transaction as
 * the case's events** (`refreshCaseEvaluation`, called by appendCaseEvents and createCase: the case's row is
 * locked by its version bump, so two writers of a case never interleave), and can be rebuilt from the log
 * (`rebuildEvaluationRollups`), which gives the same rows (test/evaluation-rollups.test.ts).
 */

/** The Beijing day of a timestamp column, in SQL (no time zone database needed: UTC+8, no DST). */
const bjDay = (column: string): RawBuilder<string> =>
  sql<string>`((${sql.ref(column)} at time zone 'UTC') + interval '8 hours')::date`;

/**
 * Adds (sign 1) or takes away (sign −1) the day spans of the items matching `where` to the roll-ups: the
 * four terms of `segmentSpans` per item, summed per key, appended as delta rows (insert only: writers of
 * different cases never lock a shared row, so they neither wait on nor deadlock with one another).
 */
async function applySpans(trx: Kysely<DB>, where: RawBuilder<unknown>, sign: 1 | -1): Promise<void> {
  await sql`insert into evaluation_rollups (kind, a_day, unit, indicator, street, b_day, numerator, denominator)
    select kind, a_day, unit, indicator, street, b_day, sum(n), sum(d) from (
      select i.kind, s.a_day, i.unit, i.indicator, coalesce(i.street, '') as street, s.b_day,
        s.sign * ${sign}::int * (case when i.numerator then 1 else 0 end) as n,
        s.sign * ${sign}::int * (case when i.denominator then 1 else 0 end) as d
      from evaluation_items i
      cross join lateral (values
        (${bjDay('i.at')}, ${bjDay('i.valid_from')}, 1),
        (${bjDay('i.at')}, ${bjDay('i.valid_to')}, -1),
        (${bjDay('i.prev_at')}, ${bjDay('i.valid_from')}, -1),
        (${bjDay('i.prev_at')}, ${bjDay('i.valid_to')}, 1)) as s(a_day, b_day, sign)
      where ${where} and s.a_day is not null and s.b_day is not null
    ) x
    group by kind, a_day, unit, indicator, street, b_day
    having sum(n) <> 0 or sum(d) <> 0`.execute(trx);
}

/**
 * Folds the delta rows of each key into one (dropping keys that sum to zero), so reads stay proportional
 * to units × days. Safe beside writers and beside another process doing the same: each pass sums exactly
 * the rows its own DELETE removed (rows appended meanwhile stay for the next pass). Returns the rows
 * removed.
 */
export async function compactEvaluationRollups(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ removed: number }>`
    with folded as (
      delete from evaluation_rollups r
      using (
        select kind, a_day, unit, indicator, street, b_day from evaluation_rollups
        group by kind, a_day, unit, indicator, street, b_day
        having count(*) > 1 or (sum(numerator) = 0 and sum(denominator) = 0)
      ) k
      where (r.kind, r.a_day, r.unit, r.indicator, r.street, r.b_day) =
        (k.kind, k.a_day, k.unit, k.indicator, k.street, k.b_day)
      returning r.*
    ),
    inserted as (
      insert into evaluation_rollups (kind, a_day, unit, indicator, street, b_day, numerator, denominator)
      select kind, a_day, unit, indicator, street, b_day, sum(numerator), sum(denominator) from folded
      group by kind, a_day, unit, indicator, street, b_day
      having sum(numerator) <> 0 or sum(denominator) <> 0
      returning 1
    )
    select (select count(*) from folded)::int - (select count(*) from inserted)::int as removed`.execute(db);
  return rows[0]?.removed ?? 0;
}

/** The fold as a housekeeping task of the server's sweeper pass (logged when it removed rows). */
export function evaluationHousekeeping(db: Kysely<DB>) {
  return [
    {
      name: 'evaluation roll-ups folded',
      run: async () => {
        const removed = await compactEvaluationRollups(db);
        return removed > 0 ? { removed } : null;
      },
    },
  ];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Writes segments (column arrays through unnest: one statement per 10,000 rows). */
async function insertSegments(trx: Kysely<DB>, segments: readonly EvaluationSegment[]): Promise<void> {
  for (let i = 0; i < segments.length; i += 10_000) {
    const part = segments.slice(i, i + 10_000);
    const col = <T>(f: (s: EvaluationSegment) => T) => part.map(f);
    await sql`insert into evaluation_items (case_id, kind, unit, indicator, street, case_no, event_id, at, prev_at,
        valid_from, valid_to, numerator, denominator, reason)
      select * from unnest(${col((s) => s.caseId)}::text[], ${col((s) => s.kind)}::text[],
        ${col((s) => s.unit)}::text[], ${col((s) => s.indicator)}::text[], ${col((s) => s.street)}::text[],
        ${col((s) => s.caseNo)}::text[], ${col((s) => String(s.eventId))}::bigint[],
        ${col((s) => s.at.toISOString())}::timestamptz[], ${col((s) => iso(s.prevAt))}::timestamptz[],
        ${col((s) => s.validFrom.toISOString())}::timestamptz[], ${col((s) => iso(s.validTo))}::timestamptz[],
        ${col((s) => s.numerator)}::boolean[], ${col((s) => s.denominator)}::boolean[],
        ${col((s) => s.reason)}::text[])`.execute(trx);
  }
}

function segmentsOf(events: readonly EvaluationEvent[]): EvaluationSegment[] {
  const byCase = new Map<string, EvaluationEvent[]>();
  for (const e of events) {
    const list = byCase.get(e.caseId);
    if (list) list.push(e);
    else byCase.set(e.caseId, [e]);
  }
  return [...byCase.values()].flatMap((list) => caseSegments(list));
}

/**
 * Recomputes the items and roll-ups of cases from their whole log, inside the caller's transaction (the one
 * that wrote their events): old spans out, old items out, new items in, new spans in.
 */
export async function refreshCaseEvaluation(trx: Kysely<DB>, caseIds: readonly string[]): Promise<void> {
  if (caseIds.length === 0) return;
  const ids = sql`i.case_id = any(${[...caseIds]}::text[])`;
  const segments = segmentsOf(await caseEvaluationEvents(trx, caseIds));
  await applySpans(trx, ids, -1);
  await trx
    .deleteFrom('evaluation_items')
    .where('case_id', '=', sql<string>`any(${[...caseIds]}::text[])`)
    .execute();
  await insertSegments(trx, segments);
  await applySpans(trx, ids, 1);
}

/**
 * Rebuilds every item and roll-up from the event log, in one transaction that locks the three tables
 * against the event writers (they wait; the figures never mix the two). Cases in keyset pages of 5,000.
 */
export async function rebuildEvaluationRollups(
  database: Database,
  log: (message: string) => void = () => undefined,
): Promise<{ cases: number; items: number }> {
  return database.db.transaction().execute(async (trx) => {
    await sql`lock table evaluation_rollup_state, evaluation_items, evaluation_rollups in exclusive mode`.execute(
      trx,
    );
    await sql`delete from evaluation_rollups`.execute(trx);
    await sql`delete from evaluation_items`.execute(trx);
    let after = '';
    let cases = 0;
    let items = 0;
    for (;;) {
      const ids = (
        await trx.selectFrom('cases').select('id').where('id', '>', after).orderBy('id').limit(5000).execute()
      ).map((r) => r.id);
      if (ids.length === 0) break;
      after = ids[ids.length - 1]!;
      const segments = segmentsOf(await caseEvaluationEvents(trx, ids));
      await insertSegments(trx, segments);
      cases += ids.length;
      items += segments.length;
      if (cases % 100_000 < 5000) log(`  ${cases} cases, ${items} items`);
    }
    await applySpans(trx, sql`true`, 1);
    await compactEvaluationRollups(trx);
    await trx
      .updateTable('evaluation_rollup_state')
      .set({ built: true, rebuilt_at: new Date() })
      .where('id', '=', true)
      .execute();
    return { cases, items };
  });
}

/** Whether the roll-ups hold the whole log (false after migrating a database with history, until a rebuild). */
export async function rollupsBuilt(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('evaluation_rollup_state').select('built').executeTakeFirst();
  return row?.built === true;
}

/** The Beijing days of a period: first and last. */
export const periodDays = (p: Period): { fromDay: string; lastDay: string } => ({
  fromDay: beijingDay(p.from),
  lastDay: beijingDay(new Date(p.to.getTime() - 1)),
});

/**
 * A period's roll-ups summed per (kind, unit, indicator), as of min(its end, asOf). Exact when the period
 * is over (its end is a Beijing midnight) or when nothing in the log is later than asOf (a running period:
 * every status change so far counts). Null when that does not hold (an event after asOf — a fixed `now` in
 * the past, or clocks apart) or the roll-ups are not built: the caller reads the log instead.
 */
export async function periodRollupSums(
  db: Kysely<DB>,
  period: Period,
  asOf: Date,
  kinds: readonly SegmentKind[],
  street: string | null,
): Promise<RollupSum[] | null> {
  if (!(await rollupsBuilt(db))) return null;
  const end = evaluationEnd(period, asOf);
  if (end.getTime() < period.to.getTime()) {
    const later = await db
      .selectFrom('case_events')
      .select('id')
      .where('at', '>=', end)
      .limit(1)
      .executeTakeFirst();
    if (later) return null;
  }
  const { fromDay, lastDay } = periodDays(period);
  let q = db
    .selectFrom('evaluation_rollups')
    .select([
      'kind',
      'unit',
      'indicator',
      sql<string>`sum(numerator)`.as('n'),
      sql<string>`sum(denominator)`.as('d'),
    ])
    .where('kind', '=', sql<string>`any(${[...kinds]}::text[])`)
    .where('a_day', '>=', fromDay)
    .where('a_day', '<=', lastDay)
    .where('b_day', '<=', lastDay);
  if (street) q = q.where('street', '=', street);
  const rows = await q.groupBy(['kind', 'unit', 'indicator']).execute();
  return rows.map((r) => ({
    kind: r.kind as SegmentKind,
    unit: r.unit,
    indicator: r.indicator as IndicatorId,
    numerator: Number(r.n),
    denominator: Number(r.d),
  }));
}

export interface ItemRow {
  caseId: string;
  caseNo: string;
  eventId: number;
  at: Date;
  numerator: boolean;
  denominator: boolean;
  reason: ItemReason;
}

/**
 * One page of the items behind a number (the drill-down), exact for any period end: the segments of
 * `kind` and `units` whose anchor is in [from, end) and whose status holds at the end, in (at, event_id)
 * order — the index evaluation_items_drill_idx — with the total.
 */
export async function pageOfItems(
  db: Kysely<DB>,
  input: {
    kind: SegmentKind;
    units: readonly string[];
    indicator: IndicatorId;
    part: 'numerator' | 'denominator';
    period: Period;
    asOf: Date;
    street: string | null;
    offset: number;
    limit: number;
  },
): Promise<{ total: number; items: ItemRow[] }> {
  if (input.units.length === 0) return { total: 0, items: [] };
  const from = input.period.from;
  const end = evaluationEnd(input.period, input.asOf);
  let q = db
    .selectFrom('evaluation_items')
    .where('kind', '=', input.kind)
    .where('indicator', '=', input.indicator)
    .where('at', '>=', from)
    .where('at', '<', end)
    .where((eb) => eb.or([eb('prev_at', 'is', null), eb('prev_at', '<', from)]))
    .where('valid_from', '<', end)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', end)]))
    .where(input.part, '=', true);
  q =
    input.units.length === 1
      ? q.where('unit', '=', input.units[0]!)
      : q.where('unit', '=', sql<string>`any(${[...input.units]}::text[])`);
  if (input.street) q = q.where('street', '=', input.street);
  const [count, rows] = await Promise.all([
    q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    q
      .select(['case_id', 'case_no', 'event_id', 'at', 'numerator', 'denominator', 'reason'])
      .orderBy('at')
      .orderBy('event_id')
      .offset(input.offset)
      .limit(input.limit)
      .execute(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      caseId: r.case_id,
      caseNo: r.case_no,
      eventId: Number(r.event_id),
      at: new Date(r.at),
      numerator: r.numerator,
      denominator: r.denominator,
      reason: r.reason as ItemReason,
    })),
  };
}
