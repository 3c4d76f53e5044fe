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
 * The evaluation reads the day roll-ups (src/app/evaluation/rollups.ts), which the use cases keep per case;
 * the bulk histories bypass the writer, so the bench rebuilds the roll-ups from the log after the fill
 * (timed). Measured besides: the big screen's queries — the overview (`statsOverview`: today, open and
 * overdue by street, 30-day trend) and the running month's street table (its ranking) — and the machine's
 * load average before and after. Once per database the roll-up table is checked equal to the log's
 * computation (up to BENCH_EVAL_CHECK_MAX cases, default 200000: the log path takes seconds per 100k).
 *
 * Knobs: BENCH_EVAL_PROFILE=1 (log load / compute times), BENCH_EVAL_CASES (PostgreSQL, default 100000), BENCH_EVAL_PGLITE_CASES (default 20000; 0 skips
 * PGlite), BENCH_EVAL_RUNS (default 15), BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test;
 * a fresh database is created and dropped there), BENCH_EVAL_DATABASE_URL (measure an existing filled
 * database instead, e.g. one made by `bench/bulk.ts --cases 1000000`, left as it is).
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
import { rebuildEvaluationRollups, rollupsBuilt } from '../src/app/evaluation/rollups.ts';
import { statsOverview } from '../src/app/stats/overview.ts';
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
import { generateCaseHistories } from './bulk.ts';
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

interface Row {
  label: string;
  cases: number;
  events: number;
  rebuildS: number | null;
  baseline: Measurement;
  streets: Measurement;
  departments: Measurement;
  drill: Measurement;
  drillLength: number;
  overview: Measurement;
  screenStreets: Measurement;
  checked: string;
  load: string;
}

const loadavg = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');

async function benchOn(label: string, database: Database, n: number | null): Promise<Row> {
  const loadBefore = loadavg();
  await migrate(database);
  let rebuildS: number | null = null;
  if (n !== null) {
    await seedDemo(database, () => undefined, { history: false, baseInfo: false });
    const t = performance.now();
    await generateCaseHistories(database, n, new Date(), log);
    log(`${label}: ${n} cases generated in ${fmt((performance.now() - t) / 1000)} s`);
    const r = performance.now();
    const built = await rebuildEvaluationRollups(database, log);
    rebuildS = (performance.now() - r) / 1000;
    log(`${label}: roll-ups rebuilt from the log (${built.items} items) in ${fmt(rebuildS)} s`);
    await sql`analyze`.execute(database.db);
  } else if (!(await rollupsBuilt(database.db))) {
    const r = performance.now();
    await rebuildEvaluationRollups(database, log);
    rebuildS = (performance.now() - r) / 1000;
    await sql`analyze`.execute(database.db);
  }
  const cases = Number(
    (await sql<{ n: string }>`select count(*) as n from cases`.execute(database.db)).rows[0]!.n,
  );
  // the bulk histories end at the fill's "now"; measure as of then plus a minute
  const last = (await sql<{ at: Date }>`select max(at) as at from case_events`.execute(database.db)).rows[0]!
    .at;
  const now = new Date(new Date(last).getTime() + 60_000);
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
  // once: the roll-up table equals the log's computation
  let checked = 'not checked (too many cases for the log path)';
  if (cases <= Number(process.env.BENCH_EVAL_CHECK_MAX ?? 200_000)) {
    const rolled = await getEvaluation(deps, LEADER, { period, unitKind: 'street' });
    await database.db.updateTable('evaluation_rollup_state').set({ built: false }).execute();
    const fromLog = await getEvaluation(deps, LEADER, { period, unitKind: 'street' });
    await database.db.updateTable('evaluation_rollup_state').set({ built: true }).execute();
    checked =
      JSON.stringify(rolled) === JSON.stringify(fromLog) ? 'equal to the log' : 'DIFFERS from the log';
    log(`${label}: streets table from the roll-ups ${checked}`);
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
      limit: 50,
    });
    drillLength = list.total;
  });
  const overview = await once(() => statsOverview(deps, LEADER));
  const screenStreets = await once(() => getEvaluation(deps, LEADER, { unitKind: 'street' }));
  return {
    label,
    cases,
    events,
    rebuildS,
    baseline,
    streets,
    departments,
    drill,
    drillLength,
    overview,
    screenStreets,
    checked,
    load: `${loadBefore} before, ${loadavg()} after`,
  };
}

async function onExisting(url: string): Promise<Row> {
  const database = await openDatabase({ databaseUrl: url, poolSize: 10 });
  try {
    return await benchOn('PostgreSQL server (loopback), bulk fill', database, null);
  } finally {
    await database.close();
  }
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
  const existing = process.env.BENCH_EVAL_DATABASE_URL;
  if (existing) rows.push(await onExisting(existing));
  else {
    if (PGLITE_CASES > 0) rows.push(await onPglite(PGLITE_CASES));
    const server = await onServer(PG_CASES);
    if (server) rows.push(server);
  }
  const ms = (m: Measurement) => `${fmt(m.p50Ms)} / ${fmt(m.p95Ms)}`;
  console.log(
    [
      `# Evaluation bench — ${new Date().toISOString().slice(0, 10)}`,
      '',
      `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}; ${RUNS} runs each, one at a time; last full month; p50 / p95 ms (p95 ÷ baseline p95).`,
      '',
      table(
        [
          'database',
          'cases',
          'events',
          'load average (1/5/15 min)',
          'roll-up rebuild s',
          'baseline count(*)',
          'streets table',
          'departments table',
          'drill-down page (古美 按期结案率 denominator, 50 rows)',
          'screen: overview',
          'screen: running month streets',
          'roll-ups vs log',
        ],
        rows.map((r) => {
          const x = (m: Measurement) => `${ms(m)} (${fmt(m.p95Ms / r.baseline.p95Ms)}×)`;
          return [
            r.label,
            String(r.cases),
            String(r.events),
            r.load,
            r.rebuildS === null ? '—' : fmt(r.rebuildS),
            ms(r.baseline),
            x(r.streets),
            x(r.departments),
            `${x(r.drill)}, ${r.drillLength} in all`,
            x(r.overview),
            x(r.screenStreets),
            r.checked,
          ];
        }),
      ),
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
