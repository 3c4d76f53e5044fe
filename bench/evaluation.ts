/**
 * `npm run bench:evaluation` (issue 14): the evaluation's read paths over a bulk history, each next to a
 * same-run baseline — a plain `select count(*) from case_events` on the same database. Measured: the
 * month's evaluation table of the streets and of the departments, and a drill-down list (古美街道, 按期结案率,
 * denominator), through the use cases (database + computation, no HTTP).
 *
 * The bulk generator writes valid histories straight with SQL (`generate_series`), not through the use
 * cases: report → register → dispatch → sign → handle → assign check → check → close over the year before
 * now, a tenth still open after signing, one in seven handled late; sources, grids and departments cycle
 * through the demo territory. (It bypasses the one writer of the event log on purpose: a million cases
 * through the use cases would take hours.)
 *
 * Knobs: BENCH_EVAL_PROFILE=1 (log load / compute times), BENCH_EVAL_CASES (PostgreSQL, default 100000), BENCH_EVAL_PGLITE_CASES (default 20000; 0 skips
 * PGlite), BENCH_EVAL_RUNS (default 15), BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test;
 * a fresh database is created and dropped there).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { setAuditKey } from '../src/app/audit/audit-key.ts';
import { auditKeyOf } from '../src/app/audit/hash.ts';
import { getEvaluation } from '../src/app/evaluation/get-evaluation.ts';
import { listEvaluationCases } from '../src/app/evaluation/list-evaluation-cases.ts';
import type { Actor } from '../src/core/actor.ts';
import { loadEvaluationEvents } from '../src/app/evaluation/load-events.ts';
import {
  collectItems,
  DEFAULT_SETTINGS,
  monthOf,
  previousPeriod,
  scoreUnits,
} from '../src/core/evaluation/index.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { fmt, measure, table, type Measurement } from './measure.ts';

const PG_CASES = Number(process.env.BENCH_EVAL_CASES ?? 100_000);
const PGLITE_CASES = Number(process.env.BENCH_EVAL_PGLITE_CASES ?? 20_000);
const RUNS = Number(process.env.BENCH_EVAL_RUNS ?? 15);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const GUMEI = '310112006';
const log = (message: string) => console.error(`[bench:evaluation] ${message}`);

setAuditKey(auditKeyOf(randomBytes(32)));

const LEADER: Actor = {
  userId: 'bench-leader',
  username: 'bench.leader',
  displayName: '压测区领导',
  role: 'leader',
  unit: { kind: 'region', level: 'district', code: '310112' },
};

/** report → … → close: [seq, action, from, to, role, stage, minutes after the report] */
const STEPS = [
  [1, 'report', null, 'reported', 'patroller', null, 0],
  [2, 'register', 'reported', 'registered', 'shift_lead', 'register', 20],
  [3, 'dispatch', 'registered', 'dispatched', 'dispatcher', 'dispatch', 40],
  [4, 'sign', 'dispatched', 'in_progress', 'dept_handler', 'sign', 90],
  [5, 'handle', 'in_progress', 'handled', 'dept_handler', 'handle', 1440],
  [6, 'assign_check', 'handled', 'checking', 'dispatcher', null, 1460],
  [7, 'submit_check', 'checking', 'resolved', 'patroller', 'check', 1520],
  [8, 'close', 'resolved', 'closed', 'shift_lead', 'close', 1560],
] as const;

/** Writes `n` case histories spread over the year before `now`. */
async function generate(database: Database, n: number, now: Date): Promise<void> {
  const { db } = database;
  await sql`create temp table bench_grids as
    select (row_number() over (order by g.code))::int - 1 as k, g.code as grid, c.code as committee, c.parent_code as street
    from regions g join regions c on c.code = g.parent_code where g.level = 'grid'`.execute(db);
  await sql`create temp table bench_depts as
    select (row_number() over (order by id))::int - 1 as k, id from departments where active`.execute(db);
  const span = 365 * 86_400_000;
  const start = new Date(now.getTime() - span - 2 * 86_400_000);
  const steps = sql.join(
    STEPS.map(
      ([seq, action, from, to, role, stage, minutes]) =>
        sql`(${seq}::int, ${action}::text, ${from}::text, ${to}::text, ${role}::text, ${stage}::text, ${minutes}::int)`,
    ),
  );
  const batch = 50_000;
  for (let lo = 0; lo < n; lo += batch) {
    const hi = Math.min(n, lo + batch) - 1;
    await db.transaction().execute(async (trx) => {
      await sql`insert into cases (id, case_no, state, version, source, urgency, description, lon, lat, district_code,
          street_code, committee_code, grid_code, owner_level, owner_code, lead_department_id, reported_at, updated_at)
        select 'bench-' || i, 'B-' || lpad(i::text, 8, '0'),
          case when i % 10 = 0 then 'in_progress' else 'closed' end, case when i % 10 = 0 then 4 else 8 end,
          (array['patrol', 'patrol', 'patrol', 'citizen', 'hotline'])[1 + i % 5], 'normal', '压测案件 ' || i,
          121.4, 31.1, '310112', g.street, g.committee, g.grid, 'street', g.street, d.id,
          ${start}::timestamptz + (i::bigint * ${span / n}::double precision) * interval '1 millisecond',
          ${now}::timestamptz
        from generate_series(${lo}::int, ${hi}::int) as gs(i)
        join bench_grids g on g.k = gs.i % (select count(*) from bench_grids)
        join bench_depts d on d.k = gs.i % (select count(*) from bench_depts)`.execute(trx);
      await sql`insert into case_events (case_id, seq, at, action, from_state, to_state, actor_user_id, actor_role,
          actor_unit, payload, stage, on_time)
        select 'bench-' || i, s.seq,
          ${start}::timestamptz + (i::bigint * ${span / n}::double precision) * interval '1 millisecond'
            + s.minutes * interval '1 minute',
          s.action, s.from_state, s.to_state, 'bench-' || s.role || '-' || (i % 37), s.role,
          case when s.role = 'dept_handler' then 'dept:' || d.id else g.street end,
          case s.action when 'dispatch' then jsonb_build_object('leadDepartmentId', d.id)
            when 'submit_check' then '{"passed": true}'::jsonb else '{}'::jsonb end,
          s.stage, case when s.stage is null then null else not (s.action = 'handle' and i % 7 = 0) end
        from generate_series(${lo}::int, ${hi}::int) as gs(i)
        join bench_grids g on g.k = gs.i % (select count(*) from bench_grids)
        join bench_depts d on d.k = gs.i % (select count(*) from bench_depts)
        cross join (values ${steps}) as s(seq, action, from_state, to_state, role, stage, minutes)
        where i % 10 <> 0 or s.seq <= 4`.execute(trx);
    });
    log(`  ${hi + 1} / ${n} cases written`);
  }
  await sql`analyze`.execute(db);
}

interface Row {
  label: string;
  cases: number;
  events: number;
  baseline: Measurement;
  streets: Measurement;
  departments: Measurement;
  drill: Measurement;
  drillLength: number;
}

async function benchOn(label: string, database: Database, n: number): Promise<Row> {
  await migrate(database);
  await seedDemo(database, () => undefined, { history: false });
  const now = new Date();
  const t = performance.now();
  await generate(database, n, now);
  log(`${label}: ${n} cases generated in ${fmt((performance.now() - t) / 1000)} s`);
  const events = Number(
    (await sql<{ n: string }>`select count(*) as n from case_events`.execute(database.db)).rows[0]!.n,
  );
  const period = previousPeriod(monthOf(now)).key;
  const deps = { database, now: () => now };
  const once = async (fn: () => Promise<unknown>) => {
    await fn(); // warm-up
    return measure(RUNS, 1, fn);
  };
  // BENCH_EVAL_PROFILE=1: where the time of one evaluation goes (load from the database, items, scores)
  for (let r = 0; process.env.BENCH_EVAL_PROFILE && r < 3; r++) {
    const p = previousPeriod(monthOf(now));
    let t0 = performance.now();
    const events = await loadEvaluationEvents(database, { from: p.from, end: p.to });
    const load = performance.now() - t0;
    t0 = performance.now();
    const items = collectItems(events, p, now);
    const collect = performance.now() - t0;
    t0 = performance.now();
    scoreUnits(items, 'street', DEFAULT_SETTINGS);
    log(
      `profile: ${events.length} events loaded in ${fmt(load)} ms, ${items.length} items in ${fmt(collect)} ms, scored in ${fmt(performance.now() - t0)} ms`,
    );
  }
  const baseline = await once(() => sql`select count(*) from case_events`.execute(database.db));
  const streets = await once(() => getEvaluation(deps, LEADER, { period, unitKind: 'street' }));
  const departments = await once(() => getEvaluation(deps, LEADER, { period, unitKind: 'department' }));
  let drillLength = 0;
  const drill = await once(async () => {
    const list = await listEvaluationCases(deps, LEADER, {
      period,
      unit: GUMEI,
      indicator: 'on_time_closure_rate',
      part: 'denominator',
      limit: 200,
    });
    drillLength = list.total;
  });
  return { label, cases: n, events, baseline, streets, departments, drill, drillLength };
}

async function onServer(n: number): Promise<Row | null> {
  const admin = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    log(`no PostgreSQL server at ${SERVER_URL} (${(error as Error).message}): skipping it`);
    return null;
  }
  const name = `liandong_bench_eval_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 10 });
  try {
    return await benchOn('PostgreSQL server (loopback)', database, n);
  } finally {
    await database.close();
    const c = new pg.Client({ connectionString: SERVER_URL });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
}

async function onPglite(n: number): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-bench-eval-'));
  const database = await openDatabase({ pgliteDir: path.join(dir, 'pglite') });
  try {
    return await benchOn('PGlite (embedded, on disk)', database, n);
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  if (PGLITE_CASES > 0) rows.push(await onPglite(PGLITE_CASES));
  const server = await onServer(PG_CASES);
  if (server) rows.push(server);
  const ms = (m: Measurement) => `${fmt(m.p50Ms)} / ${fmt(m.p95Ms)}`;
  console.log(
    [
      `# Evaluation bench — ${new Date().toISOString().slice(0, 10)}`,
      '',
      `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}; ${RUNS} runs each, one at a time; last full month.`,
      '',
      table(
        [
          'database',
          'cases',
          'events',
          'baseline count(*) p50 / p95 ms',
          'streets table',
          'departments table',
          'drill-down (古美 按期结案率 denominator)',
        ],
        rows.map((r) => [
          r.label,
          String(r.cases),
          String(r.events),
          ms(r.baseline),
          `${ms(r.streets)} (${fmt(r.streets.p95Ms / r.baseline.p95Ms)}× baseline)`,
          `${ms(r.departments)} (${fmt(r.departments.p95Ms / r.baseline.p95Ms)}× baseline)`,
          `${ms(r.drill)}, ${r.drillLength} cases (${fmt(r.drill.p95Ms / r.baseline.p95Ms)}× baseline)`,
        ]),
      ),
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
