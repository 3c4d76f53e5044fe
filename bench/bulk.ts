/**
 * The bulk generator of case histories (issue 10 §6), shared by the benches: valid histories written
 * straight with SQL (`generate_series`), not through the use cases — report → register → dispatch → sign →
 * handle → assign check → check → close over the year before now, a tenth still open after signing, one in
 * seven handled late; sources, grids and departments cycle through the demo territory. It bypasses the one
 * writer of the event log on purpose (a million cases through the use cases would take hours) and writes
 * cases and their events only: no clock rows, notifications, attachments or audit records.
 *
 * As a command, it fills a database: `npx tsx bench/bulk.ts --cases 1000000` migrates DATABASE_URL (or,
 * without it, a fresh database on BENCH_DATABASE_URL's server, kept and named at the end), seeds the demo
 * territory when the database is empty, and writes the histories.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { setAuditKey } from '../src/app/audit/audit-key.ts';
import { auditKeyOf } from '../src/app/audit/hash.ts';
import { piiKeyringOf, setPiiKeyring } from '../src/app/baseinfo/pii.ts';
import { rebuildEvaluationRollups } from '../src/app/evaluation/rollups.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDemo } from '../src/demo/seed.ts';

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

/**
 * Writes `n` case histories spread over the year before `now` into a migrated database holding the demo
 * territory and departments (`seedDemo`), 50,000 cases per transaction; `log` hears the progress.
 */
export async function generateCaseHistories(
  database: Database,
  n: number,
  now: Date,
  log: (message: string) => void = () => undefined,
): Promise<void> {
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

/** `--cases N` from the command line. */
async function main(): Promise<void> {
  const at = process.argv.indexOf('--cases');
  const n = Number(at >= 0 ? process.argv[at + 1] : NaN);
  // --rollups-only: migrate DATABASE_URL and rebuild its evaluation roll-ups (a fill made before them)
  const rollupsOnly = process.argv.includes('--rollups-only') && !!process.env.DATABASE_URL;
  if (!rollupsOnly && (!Number.isInteger(n) || n < 1))
    throw new Error(
      'usage: npx tsx bench/bulk.ts --cases N | DATABASE_URL=… npx tsx bench/bulk.ts --rollups-only',
    );
  let url = process.env.DATABASE_URL;
  if (!url) {
    const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const name = `liandong_bulk_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(server);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  // the demo seed writes audit records: under a throwaway key unless AUDIT_KEY is given
  setAuditKey(auditKeyOf(process.env.AUDIT_KEY ? Buffer.from(process.env.AUDIT_KEY) : randomBytes(32)));
  setPiiKeyring(piiKeyringOf([process.env.PII_KEY ? Buffer.from(process.env.PII_KEY) : randomBytes(32)]));
  const database = await openDatabase({ databaseUrl: url });
  try {
    await migrate(database);
    if (rollupsOnly) {
      const t = performance.now();
      const built = await rebuildEvaluationRollups(database, (m) => console.error(`[bulk] ${m}`));
      console.error(
        `[bulk] roll-ups: ${built.cases} cases, ${built.items} items in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
      return;
    }
    const regions = await database.db.selectFrom('regions').select('code').limit(1).execute();
    if (regions.length === 0) await seedDemo(database, () => undefined, { history: false, baseInfo: false });
    const t = performance.now();
    await generateCaseHistories(database, n, new Date(), (m) => console.error(`[bulk] ${m}`));
    console.error(`[bulk] ${n} cases in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    // the writer keeps the evaluation roll-ups per case; the bulk histories bypass it, so rebuild from the log
    const r = performance.now();
    const built = await rebuildEvaluationRollups(database, (m) => console.error(`[bulk] ${m}`));
    console.error(
      `[bulk] roll-ups: ${built.items} items in ${((performance.now() - r) / 1000).toFixed(1)} s`,
    );
    console.log(url);
  } finally {
    await database.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
