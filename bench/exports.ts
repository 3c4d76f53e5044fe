/**
 * `npm run bench:exports` (issue 14): memory of a streamed case-list export over a bulk case table on the
 * PostgreSQL server, against a same-run baseline — the heap taken by simply loading the same list into
 * memory (what a non-streaming export would hold). The export goes through the use case
 * (`exportCases`: scope, keyset pages of 1000, masking, the .xlsx/CSV writer) and the output is consumed
 * and counted, not kept. The live heap (after a forced collection) and the RSS above the start are sampled
 * every 250 ms; the exports run first, the baseline last (so its memory does not hide theirs).
 *
 * Knobs: BENCH_EXPORT_CASES (default 200000; 1000000 for the million), BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test; a fresh database is created and dropped there).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { setAuditKey } from '../src/app/audit/audit-key.ts';
import { auditKeyOf } from '../src/app/audit/hash.ts';
import { piiKeyringOf, setPiiKeyring } from '../src/app/baseinfo/pii.ts';
import { exportCases } from '../src/app/exports/export-cases.ts';
import { SILENT } from '../src/app/logger.ts';
import type { Actor } from '../src/core/actor.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDemo } from '../src/demo/seed.ts';

const CASES = Number(process.env.BENCH_EXPORT_CASES ?? 200_000);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const log = (message: string) => console.error(`[bench:exports] ${message}`);
const MB = 1024 * 1024;

setAuditKey(auditKeyOf(randomBytes(32)));
setPiiKeyring(piiKeyringOf([randomBytes(32)]));

const LEADER: Actor = {
  userId: 'bench-leader',
  username: 'bench.leader',
  displayName: '压测区领导',
  role: 'leader',
  unit: { kind: 'region', level: 'district', code: '310112' },
};

async function generate(database: Database, n: number): Promise<void> {
  const { db } = database;
  await sql`create temp table bench_grids as
    select (row_number() over (order by g.code))::int - 1 as k, g.code as grid, c.code as committee, c.parent_code as street
    from regions g join regions c on c.code = g.parent_code where g.level = 'grid'`.execute(db);
  const now = new Date();
  for (let lo = 0; lo < n; lo += 100_000) {
    const hi = Math.min(n, lo + 100_000) - 1;
    await sql`insert into cases (id, case_no, state, version, source, urgency, description, address, lon, lat,
        district_code, street_code, committee_code, grid_code, owner_level, owner_code, reporter_name,
        reporter_phone, due_at, reported_at, updated_at)
      select 'bench-' || i, 'B-' || lpad(i::text, 8, '0'), 'in_progress', 4,
        (array['patrol', 'citizen', 'hotline'])[1 + i % 3], 'normal', '压测案件：楼道堆物影响通行 ' || i,
        '闵行区压测路' || (i % 999) || '号', 121.4, 31.1, '310112', g.street, g.committee, g.grid, 'street',
        g.street, '张三', '13912345678', ${now}::timestamptz + (i % 500) * interval '1 hour',
        ${now}::timestamptz - (i % 9000) * interval '1 hour', ${now}::timestamptz
      from generate_series(${lo}::int, ${hi}::int) as gs(i)
      join bench_grids g on g.k = gs.i % (select count(*) from bench_grids)`.execute(db);
    log(`  ${hi + 1} / ${n} cases written`);
  }
  await sql`analyze`.execute(db);
}

/**
 * Runs `fn` while sampling the live heap (after a forced collection, so garbage waiting for the collector
 * does not count) and the RSS every 250 ms; returns the peaks above the start, in MB.
 */
async function peak<T>(
  fn: (sample: () => void) => Promise<T>,
): Promise<{ value: T; heapMb: number; rssMb: number; ms: number }> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  gc();
  const start = process.memoryUsage();
  let heap = 0;
  let rss = 0;
  const sample = () => {
    gc();
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed - start.heapUsed);
    rss = Math.max(rss, m.rss - start.rss);
  };
  const timer = setInterval(sample, 250);
  const t0 = performance.now();
  try {
    const value = await fn(sample);
    const ms = performance.now() - t0;
    sample();
    return { value, heapMb: heap / MB, rssMb: rss / MB, ms };
  } finally {
    clearInterval(timer);
  }
}

async function run(database: Database) {
  await migrate(database);
  await seedDemo(database, () => undefined, { history: false });
  log(`generating ${CASES} cases`);
  await generate(database, CASES);
  const rows: string[][] = [];
  for (const format of ['csv', 'xlsx'] as const) {
    let pages = 0;
    const r = await peak(async () => {
      const file = await exportCases(
        { database, now: () => new Date(), logger: SILENT },
        LEADER,
        {},
        { format, lang: 'zh', onPage: () => void pages++ },
      );
      let bytes = 0;
      for await (const chunk of file.stream) bytes += (chunk as Buffer).length;
      return bytes;
    });
    log(`${format}: ${pages} pages, ${(r.value / MB).toFixed(1)} MB`);
    rows.push([
      `export .${format} (streamed, ${pages} keyset pages)`,
      String(CASES),
      fmtMb(r.value / MB),
      fmtMb(r.heapMb),
      fmtMb(r.rssMb),
      fmtS(r.ms),
    ]);
  }
  const baseline = await peak(async (sample) => {
    const list = await database.db.selectFrom('cases').selectAll().execute();
    sample(); // while the list is held
    return list.length;
  });
  rows.push([
    'baseline: load the list (select * into memory)',
    String(baseline.value),
    '—',
    fmtMb(baseline.heapMb),
    fmtMb(baseline.rssMb),
    fmtS(baseline.ms),
  ]);
  return rows;
}

const fmtMb = (n: number) => n.toFixed(1);
const fmtS = (ms: number) => (ms / 1000).toFixed(1);

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    log(`no PostgreSQL server at ${SERVER_URL} (${(error as Error).message}): nothing to measure`);
    return;
  }
  const name = `liandong_bench_export_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  try {
    const rows = await run(database);
    console.log(
      [
        `# Export bench — ${new Date().toISOString().slice(0, 10)}`,
        '',
        `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}; PostgreSQL server; peaks above the start.`,
        '',
        '| what | rows | file MB | peak heap MB | peak RSS MB | seconds |',
        '| --- | --- | --- | --- | --- | --- |',
        ...rows.map((r) => `| ${r.join(' | ')} |`),
      ].join('\n'),
    );
  } finally {
    await database.close();
    const c = new pg.Client({ connectionString: SERVER_URL });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
}

await main();
