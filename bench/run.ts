/**
 * `npm run bench` (issue 3 §9): end-to-end intake throughput and latency — concurrent HTTP reports
 * (`POST /api/v1/cases` with a patroller's bearer token and an Idempotency-Key, through the real server on
 * a loopback port) — on embedded PGlite and, when reachable, a PostgreSQL server, each next to a baseline
 * measured in the same run on the same database: the same number of plain single-row INSERT
 * transactions. Then point lookups (`locate`): the in-memory index against a brute-force
 * point-in-polygon scan, and over HTTP against an empty route.
 *
 * Knobs (environment): BENCH_REPORTS (default 400), BENCH_CONCURRENCY (16), BENCH_LOCATE_HTTP (3000),
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a fresh database is created
 * and dropped on that server). Loopback only; every loop is bounded.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { booleanPointInPolygon } from '@turf/turf';
import { sql } from 'kysely';
import pg from 'pg';
import { setAuditKey } from '../src/app/audit/audit-key.ts';
import { auditKeyOf } from '../src/app/audit/hash.ts';
import { regionIndexCache } from '../src/app/territory/region-index-cache.ts';
import { loadConfig } from '../src/config.ts';
import type { AreaGeometry } from '../src/core/geo/types.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { DEMO_PASSWORD } from '../src/demo/accounts.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { buildApp } from '../src/server/app.ts';
import { fmt, measure, measureSync, table, type Measurement } from './measure.ts';
import { benchImport, importSection, type ImportBench } from './imports.ts';
import { addressSearchSection, benchAddressSearch, type AddressSearchBench } from './address-search.ts';
import { piiKeyringOf, setPiiKeyring } from '../src/app/baseinfo/pii.ts';
import { currentImportSealer } from '../src/app/imports/sealer.ts';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const LOCATE_HTTP = Number(process.env.BENCH_LOCATE_HTTP ?? 3000);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Target {
  label: string;
  database: Database;
  /** The server database's URL (null for PGlite): the import baseline COPYs over it. */
  url?: string;
  dispose: () => Promise<void>;
}

const log = (message: string) => console.error(`[bench] ${message}`);

// the benchmark's throwaway databases keep their audit chain under a throwaway key
setAuditKey(auditKeyOf(randomBytes(32)));
// …and their personal data under a throwaway PII key
setPiiKeyring(piiKeyringOf([randomBytes(32)]));

async function pgliteTarget(): Promise<Target> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-bench-'));
  const database = await openDatabase({ pgliteDir: path.join(dir, 'pglite') });
  return {
    label: 'PGlite (embedded, on disk)',
    database,
    dispose: async () => {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database on the PostgreSQL server, or null when the server cannot be reached. */
async function serverTarget(): Promise<Target | null> {
  const admin = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    log(`no PostgreSQL server at ${SERVER_URL} (${(error as Error).message}): skipping it`);
    return null;
  }
  const name = `liandong_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({
    databaseUrl: url.toString(),
    poolSize: Math.max(10, CONCURRENCY + 4),
  });
  const version = (
    await sql<{ v: string }>`select current_setting('server_version') as v`.execute(database.db)
  ).rows[0]?.v;
  return {
    url: url.toString(),
    label: `PostgreSQL ${(version ?? '').split(' ')[0]} server (loopback)`,
    database,
    dispose: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: SERVER_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

interface Result {
  label: string;
  intake: Measurement;
  baseline: Measurement;
  locateHttp: Measurement;
  emptyHttp: Measurement;
}

async function benchTarget(
  target: Target,
): Promise<{ result: Result; points: [number, number][]; grids: { geometry: AreaGeometry }[] }> {
  const { database } = target;
  let t = performance.now();
  await migrate(database);
  await seedDemo(database, () => undefined, { history: false });
  log(`${target.label}: migrated and seeded the demo district in ${fmt((performance.now() - t) / 1000)} s`);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-bench-files-'));
  const config = { ...loadConfig({}), dataDir, host: '127.0.0.1', port: 0, logLevel: 'silent' };
  const app = await buildApp({ database, config, demo: true }, { logger: false });
  app.get('/bench/empty', { schema: { hide: true } }, async () => ({ ok: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  try {
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'gumei.patroller', password: DEMO_PASSWORD }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const { token } = (await login.json()) as { token: string };

    // reporting points: grid centres the index places in their own grid, all over the district
    const index = await regionIndexCache(database).get();
    const grids = await database.db
      .selectFrom('regions')
      .select(['code', 'centroid_lon', 'centroid_lat', 'geometry'])
      .where('level', '=', 'grid')
      .execute();
    const points = grids
      .filter(
        (g) => g.centroid_lon !== null && index.locate(g.centroid_lon, g.centroid_lat!).grid?.code === g.code,
      )
      .map((g) => [g.centroid_lon!, g.centroid_lat!] as [number, number]);
    const categories = (
      await database.db.selectFrom('categories').select('code').where('parent_code', 'is not', null).execute()
    ).map((c) => c.code);

    const run = randomBytes(3).toString('hex');
    const report = async (i: number, prefix: string) => {
      const [lon, lat] = points[(i * 7919) % points.length]!;
      const res = await fetch(`${base}/api/v1/cases`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'idempotency-key': `${prefix}-${run}-${i}`,
        },
        body: JSON.stringify({
          category: categories[i % categories.length],
          description: `压测上报 #${i}`,
          location: { lon, lat },
        }),
      });
      await res.arrayBuffer();
      return res.status === 201;
    };
    await measure(Math.min(40, REPORTS), CONCURRENCY, (i) => report(i, 'warmup'));
    t = performance.now();
    const intake = await measure(REPORTS, CONCURRENCY, (i) => report(i, 'bench'));
    log(
      `${target.label}: ${REPORTS} reports in ${fmt((performance.now() - t) / 1000)} s (${intake.failed} failed)`,
    );

    await sql`create table bench_baseline (id bigserial primary key, body jsonb not null, created_at timestamptz not null default now())`.execute(
      database.db,
    );
    const baseline = await measure(REPORTS, CONCURRENCY, (i) =>
      database.db
        .transaction()
        .execute((trx) =>
          sql`insert into bench_baseline (body) values (${JSON.stringify({ i, description: `压测上报 #${i}` })})`.execute(
            trx,
          ),
        ),
    );
    await sql`drop table bench_baseline`.execute(database.db);

    const locate = async (i: number) => {
      const [lon, lat] = points[(i * 104_729) % points.length]!;
      const res = await fetch(`${base}/api/v1/locate?lon=${lon + 0.0003}&lat=${lat - 0.0002}`);
      await res.arrayBuffer();
      return res.ok;
    };
    const empty = async () => {
      const res = await fetch(`${base}/bench/empty`);
      await res.arrayBuffer();
      return res.ok;
    };
    await measure(200, CONCURRENCY, locate);
    await measure(200, CONCURRENCY, empty);
    const locateHttp = await measure(LOCATE_HTTP, CONCURRENCY, locate);
    const emptyHttp = await measure(LOCATE_HTTP, CONCURRENCY, empty);
    return {
      result: { label: target.label, intake, baseline, locateHttp, emptyHttp },
      points,
      grids: grids.filter((g) => g.geometry).map((g) => ({ geometry: g.geometry as AreaGeometry })),
    };
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const results: Result[] = [];
  const imports: ImportBench[] = [];
  const searches: AddressSearchBench[] = [];
  let sample: { points: [number, number][]; grids: { geometry: AreaGeometry }[]; database: Database } | null =
    null;
  const targets = [pgliteTarget, serverTarget];
  let indexLocate: ReturnType<typeof measureSync> | null = null;
  let bruteLocate: ReturnType<typeof measureSync> | null = null;
  for (const make of targets) {
    const target = await make();
    if (!target) continue;
    try {
      const { result, points, grids } = await benchTarget(target);
      results.push(result);
      const s = await benchAddressSearch(target.database, target.label);
      if (s) searches.push(s);
      const t = performance.now();
      imports.push(
        await benchImport(target.database, target.label, currentImportSealer(), target.url ?? null),
      );
      log(`${target.label}: import bench in ${fmt((performance.now() - t) / 1000)} s`);
      if (!sample) {
        sample = { points, grids, database: target.database };
        // the in-memory lookups do not depend on the database: measure them once
        const index = await regionIndexCache(target.database).get();
        const at = (i: number): [number, number] => {
          const [lon, lat] = points[(i * 104_729) % points.length]!;
          return [lon + 0.0003 * Math.sin(i), lat + 0.0003 * Math.cos(i)];
        };
        indexLocate = measureSync(200_000, (i) => index.locate(...at(i)));
        bruteLocate = measureSync(2_000, (i) => {
          const p = at(i);
          for (const g of grids) if (booleanPointInPolygon(p, g.geometry)) return g;
          return null;
        });
      }
    } finally {
      await target.dispose();
    }
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `# Liandong bench — ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Node ${process.version}, ${os.cpus().length} × ${cpu}, ${os.platform()} ${os.release()}; ` +
      `${REPORTS} reports, concurrency ${CONCURRENCY}; locate over HTTP ${LOCATE_HTTP} requests.`,
    '',
    '## Intake: `POST /api/v1/cases` end to end vs plain INSERT transactions',
    '',
    table(
      [
        'database',
        'intake reports/s',
        'p50 ms',
        'p95 ms',
        'baseline INSERT tx/s',
        'p50 ms',
        'p95 ms',
        'baseline ÷ intake',
      ],
      results.map((r) => [
        r.label,
        fmt(r.intake.opsPerSec) + (r.intake.failed ? ` (${r.intake.failed} failed)` : ''),
        fmt(r.intake.p50Ms),
        fmt(r.intake.p95Ms),
        fmt(r.baseline.opsPerSec),
        fmt(r.baseline.p50Ms, 2),
        fmt(r.baseline.p95Ms, 2),
        `${fmt(r.baseline.opsPerSec / r.intake.opsPerSec)}×`,
      ]),
    ),
    '',
    '## Locate: point → district/street/committee/grid',
    '',
    table(
      ['in process (one thread)', 'lookups/s', 'µs per lookup', 'vs baseline'],
      indexLocate && bruteLocate
        ? [
            [
              'region index (Flatbush R-tree + point-in-polygon)',
              fmt(indexLocate.opsPerSec, 0),
              fmt(indexLocate.perOpUs, 2),
              `${fmt(indexLocate.opsPerSec / bruteLocate.opsPerSec, 0)}×`,
            ],
            [
              `baseline: scan all ${sample?.grids.length ?? 0} grid polygons (turf, stops at the first hit)`,
              fmt(bruteLocate.opsPerSec, 0),
              fmt(bruteLocate.perOpUs, 1),
              '1×',
            ],
          ]
        : [],
    ),
    '',
    table(
      ['over HTTP (loopback)', 'requests/s', 'p50 ms', 'p95 ms', 'vs baseline'],
      [
        ...results.flatMap((r) => [
          [
            `HTTP GET /api/v1/locate — ${r.label}`,
            fmt(r.locateHttp.opsPerSec, 0),
            fmt(r.locateHttp.p50Ms, 2),
            fmt(r.locateHttp.p95Ms, 2),
            `${fmt((r.locateHttp.opsPerSec / r.emptyHttp.opsPerSec) * 100, 0)} % of the empty route`,
          ],
          [
            `baseline: HTTP GET empty route — ${r.label}`,
            fmt(r.emptyHttp.opsPerSec, 0),
            fmt(r.emptyHttp.p50Ms, 2),
            fmt(r.emptyHttp.p95Ms, 2),
            '100 %',
          ],
        ]),
      ],
    ),
    '',
    ...importSection(imports),
    '',
    ...addressSearchSection(searches),
    '',
    `Whole bench: ${fmt((performance.now() - started) / 1000)} s.`,
  ];
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
