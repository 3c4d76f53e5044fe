/**
 * `npm run bench` (issue 13 §3), early warnings: all warning rules — recurrence, hot spots, group renting,
 * unlicensed business / illegal medical practice, repeated disputes, stability signals — over a case table
 * of BENCH_WARNING_CASES cases (default 100,000; set 1000000 for the issue's figure) spread over the last
 * 90 days around the demo district's grid centres, and the demo base information (古美街道's addresses,
 * dwellings, people and businesses). The run is the real job (`evaluateWarningRules`, forced: it reads the
 * window, runs the rules, dedups and writes the new warnings in one transaction), next to baselines in the
 * same run on the same database: a plain `count(*)` over the cases table, and a plain read of the columns
 * the rules read for the same window. A second forced run (everything already warned) shows the steady
 * state of the scheduled pass.
 *
 * Knobs: BENCH_WARNING_CASES (100000), BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test; a fresh
 * database is created and dropped). Without a PostgreSQL server the section is skipped.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { setAuditKey } from '../src/app/audit/audit-key.ts';
import { auditKeyOf } from '../src/app/audit/hash.ts';
import { piiKeyringOf, setPiiKeyring } from '../src/app/baseinfo/pii.ts';
import { createCase } from '../src/app/cases/create-case.ts';
import { NO_CHANGES } from '../src/app/cases/events.ts';
import { localFileStore } from '../src/app/cases/file-store.ts';
import { actorOfRow } from '../src/app/identity/user-view.ts';
import { evaluateWarningRules } from '../src/app/warnings/evaluate-warnings.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { fmt, table } from './measure.ts';

const CASES = Number(process.env.BENCH_WARNING_CASES ?? 100_000);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const WINDOW_DAYS = 90;
const log = (message: string) => console.error(`[bench warnings] ${message}`);

setAuditKey(auditKeyOf(randomBytes(32)));
setPiiKeyring(piiKeyringOf([randomBytes(32)]));

const time = async <T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
};

async function main() {
  const admin = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    log(`no PostgreSQL server at ${SERVER_URL} (${(error as Error).message}): skipping the warnings bench`);
    return;
  }
  const name = `liandong_bench_w_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  try {
    const { db } = database;
    let t = performance.now();
    await migrate(database);
    await seedDemo(database, () => undefined, { history: false });
    log(
      `migrated and seeded the demo district and its base information in ${fmt((performance.now() - t) / 1000)} s`,
    );

    // one real case as the template of the others (every column the intake writes)
    const now = new Date();
    const dispatcher = await db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'gumei.dispatcher')
      .executeTakeFirstOrThrow();
    const template = await createCase(
      {
        database,
        files: localFileStore('/tmp/liandong-bench-warning-files'),
        changes: NO_CHANGES,
        now: () => now,
      },
      actorOfRow(dispatcher),
      { category: '0501', description: '暴露垃圾（bench 模板）', location: { lon: 121.385, lat: 31.15 } },
    );
    const grids = await db
      .selectFrom('regions')
      .select(['centroid_lon', 'centroid_lat'])
      .where('level', '=', 'grid')
      .where('centroid_lon', 'is not', null)
      .orderBy('code')
      .execute();
    const categories = (
      await db.selectFrom('categories').select('code').where('active', '=', true).execute()
    ).map((c) => c.code);
    const columns = (
      await sql<{ column_name: string }>`select column_name from information_schema.columns
        where table_schema = current_schema() and table_name = 'cases' order by ordinal_position`.execute(db)
    ).rows.map((r) => r.column_name);
    const override: Record<string, string> = {
      id: `'bench-' || s`,
      case_no: `'B-' || s`,
      // around a grid centre (±300 m), grids in a scrambled order
      lon: `(g.lon[1 + (s * 7919) % ${grids.length}] + ((s * 104729) % 1000 / 1000.0 - 0.5) * 0.0063)`,
      lat: `(g.lat[1 + (s * 7919) % ${grids.length}] + ((s * 15485863) % 1000 / 1000.0 - 0.5) * 0.0054)`,
      category_code: `(g.cats[1 + (s * 31) % ${categories.length}])`,
      reported_at: `('${now.toISOString()}'::timestamptz - ((s * 37) % ${WINDOW_DAYS * 24 * 60}) * interval '1 minute')`,
      address_id: 'null',
    };
    const select = columns.map((c) => override[c] ?? `t.${c}`).join(', ');
    t = performance.now();
    await sql
      .raw(
        `insert into cases (${columns.join(', ')})
         select ${select}
         from cases t,
              (select array[${grids.map((g) => g.centroid_lon).join(',')}]::float8[] as lon,
                      array[${grids.map((g) => g.centroid_lat).join(',')}]::float8[] as lat,
                      array[${categories.map((c) => `'${c}'`).join(',')}]::text[] as cats) g,
              generate_series(1::bigint, ${CASES}::bigint) s
         where t.id = '${template.case.id}'`,
      )
      .execute(db);
    await sql`analyze cases`.execute(db);
    log(`inserted ${CASES} cases in ${fmt((performance.now() - t) / 1000)} s`);

    const count = await time(() => sql<{ n: string }>`select count(*) as n from cases`.execute(db));
    const read = await time(async () =>
      db
        .selectFrom('cases')
        .leftJoin('categories', 'categories.code', 'cases.category_code')
        .select(['cases.id', 'cases.category_code', 'categories.stability', 'cases.lat', 'cases.lon'])
        .select(['cases.address_id', 'cases.reported_at', 'cases.source'])
        .where('cases.reported_at', '>', new Date(now.getTime() - WINDOW_DAYS * 86_400_000))
        .where('cases.reported_at', '<=', now)
        .execute(),
    );
    const first = await time(() => evaluateWarningRules({ database, now: () => now }, { force: true }));
    const second = await time(() => evaluateWarningRules({ database, now: () => now }, { force: true }));
    const byRule = new Map<string, number>();
    for (const r of first.value.raised) byRule.set(r.rule, (byRule.get(r.rule) ?? 0) + 1);
    const raised = [...byRule].map(([r, n]) => `${r} ${n}`).join(', ');

    console.log(
      [
        `Early warnings: all rules over ${CASES + 1} cases (last ${WINDOW_DAYS} days, around ${grids.length} grid centres) and the demo base information — PostgreSQL server (loopback)`,
        '',
        table(
          ['', 'ms', 'vs count(*)'],
          [
            [
              `all warning rules, first run (${first.value.drafts} situations, ${first.value.raised.length} raised: ${raised})`,
              fmt(first.ms, 0),
              `${fmt(first.ms / count.ms, 1)}×`,
            ],
            [
              `all warning rules, again (nothing new: dedup)`,
              fmt(second.ms, 0),
              `${fmt(second.ms / count.ms, 1)}×`,
            ],
            [
              `baseline: read the rules' columns of the ${read.value.length} cases in the window`,
              fmt(read.ms, 0),
              `${fmt(read.ms / count.ms, 1)}×`,
            ],
            [`baseline: select count(*) from cases`, fmt(count.ms, 0), '1×'],
          ],
        ),
      ].join('\n'),
    );
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
