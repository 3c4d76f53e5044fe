/**
 * `npm run bench` (issue 13 §3), patrols: a district's day of GPS points — 1,000 patrollers × 8 h × a point
 * every 30 s = 960,000 points — ingested through the real use case (recordPatrolPoints: duplicate check,
 * judging, grid placement, summary update, one transaction per phone batch of 20 points), next to a
 * baseline measured in the same run on the same database: the same points loaded into a plain table of
 * the same columns by COPY (PostgreSQL server; on PGlite, which has no COPY from a client stream, by one
 * multi-row INSERT … SELECT unnest per 10,000 points). Then the day's coverage roll-up over those points.
 *
 * Knobs: BENCH_PATROLLERS (1000), BENCH_PATROL_POINTS (960 per patroller), BENCH_PATROL_BATCH (20),
 * BENCH_PATROL_CONCURRENCY (16), BENCH_PGLITE_PATROLLERS (100: PGlite is one connection in one process;
 * its figures are per point, so a tenth of the district shows the same rates), BENCH_DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { setAuditKey } from '../src/app/audit/audit-key.ts';
import { auditKeyOf } from '../src/app/audit/hash.ts';
import { actorOfRow } from '../src/app/identity/user-view.ts';
import { recordPatrolPoints } from '../src/app/patrols/record-patrol-points.ts';
import { rollUpCoverage } from '../src/app/patrols/roll-up-coverage.ts';
import { startPatrol } from '../src/app/patrols/start-patrol.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { fmt, measure, table, type Measurement } from './measure.ts';

const PATROLLERS = Number(process.env.BENCH_PATROLLERS ?? 1000);
const PGLITE_PATROLLERS = Number(process.env.BENCH_PGLITE_PATROLLERS ?? 100);
const POINTS = Number(process.env.BENCH_PATROL_POINTS ?? 960);
const BATCH = Number(process.env.BENCH_PATROL_BATCH ?? 20);
const CONCURRENCY = Number(process.env.BENCH_PATROL_CONCURRENCY ?? 16);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DAY = '2026-03-02';
const START = new Date(`${DAY}T08:00:00+08:00`).getTime();
const log = (message: string) => console.error(`[bench patrols] ${message}`);

setAuditKey(auditKeyOf(randomBytes(32)));

interface Row {
  label: string;
  points: number;
  ingest: Measurement;
  copyMs: number;
  copyHow: string;
  rollupMs: number;
  grids: number;
}

async function benchOn(
  label: string,
  database: Database,
  patrollers: number,
  copy: (rows: string[]) => Promise<void>,
  copyHow: string,
): Promise<Row> {
  const { db } = database;
  let t = performance.now();
  await migrate(database);
  await seedDemo(database, () => undefined, { history: false });
  const grids = await db
    .selectFrom('regions')
    .select(['code', 'centroid_lon', 'centroid_lat'])
    .where('level', '=', 'grid')
    .where('centroid_lon', 'is not', null)
    .orderBy('code')
    .execute();
  const users = await db
    .insertInto('users')
    .values(
      Array.from({ length: patrollers }, (_, i) => ({
        username: `bench.patroller${i}`,
        display_name: `巡管员${i}`,
        password_hash: 'x',
        role: 'patroller' as const,
        unit_kind: 'region' as const,
        unit_code: grids[i % grids.length]!.code,
        department_id: null,
        phone: null,
      })),
    )
    .returningAll()
    .execute();
  const clock = { now: new Date(START) };
  const deps = { database, now: () => clock.now };
  const patrols: string[] = [];
  for (const u of users) patrols.push((await startPatrol(deps, actorOfRow(u))).id);
  log(`${label}: seeded, ${patrollers} patrols started in ${fmt((performance.now() - t) / 1000)} s`);

  // each patroller walks loops of 150 m radius around their grid's centre at ~1 m/s
  const pointOf = (p: number, seq: number) => {
    const g = grids[p % grids.length]!;
    const a = (seq / 30) * 2 * Math.PI;
    const cos = Math.cos((g.centroid_lat! * Math.PI) / 180);
    return {
      seq,
      at: new Date(START + seq * 30_000),
      lon: g.centroid_lon! + (150 * Math.cos(a)) / (111_195 * cos),
      lat: g.centroid_lat! + (150 * Math.sin(a)) / 111_195,
      accuracyM: 10,
    };
  };
  const batches = Math.ceil(POINTS / BATCH);
  clock.now = new Date(START + POINTS * 30_000 + 60_000);
  const ingest = await measure(patrollers * batches, CONCURRENCY, async (i) => {
    const p = i % patrollers;
    const b = Math.floor(i / patrollers);
    const points = [];
    for (let s = b * BATCH; s < Math.min(POINTS, (b + 1) * BATCH); s++) points.push(pointOf(p, s));
    const r = await recordPatrolPoints(deps, actorOfRow(users[p]!), patrols[p]!, { points });
    return r.accepted === points.length;
  });
  const points = patrollers * POINTS;
  log(
    `${label}: ingested ${points} points in ${fmt(ingest.wallMs / 1000)} s (${ingest.failed} failed batches)`,
  );

  // baseline: the same rows, as text lines for COPY
  await sql`create table bench_points (like patrol_points)`.execute(db);
  const lines: string[] = [];
  for (let p = 0; p < patrollers; p++)
    for (let s = 0; s < POINTS; s++) {
      const x = pointOf(p, s);
      lines.push(
        `${patrols[p]}\t${s}\t${x.at.toISOString()}\t${x.lon}\t${x.lat}\t10\tt\t\\N\t${grids[p % grids.length]!.code}\t${DAY}\n`,
      );
    }
  t = performance.now();
  await copy(lines);
  const copyMs = performance.now() - t;
  log(`${label}: baseline loaded ${lines.length} rows in ${fmt(copyMs / 1000)} s`);

  // the day is closed the next morning
  t = performance.now();
  const next = await rollUpCoverage({ database, now: () => new Date(START + 86_400_000) }, {});
  const rollupMs = performance.now() - t;
  log(`${label}: rolled up ${next.points} points into ${next.grids} grid-days in ${fmt(rollupMs / 1000)} s`);
  return { label, points, ingest, copyMs, copyHow, rollupMs, grids: next.grids };
}

async function pglite(): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-bench-patrols-'));
  const database = await openDatabase({ pgliteDir: path.join(dir, 'pglite') });
  try {
    return await benchOn(
      'PGlite (embedded, on disk)',
      database,
      PGLITE_PATROLLERS,
      async (lines) => {
        for (let i = 0; i < lines.length; i += 10_000) {
          const cols = lines.slice(i, i + 10_000).map((l) => l.trimEnd().split('\t'));
          const col = (k: number) => cols.map((c) => c[k]!);
          await sql`insert into bench_points select * from unnest(
            ${col(0)}::text[], ${col(1)}::int[], ${col(2)}::timestamptz[], ${col(3)}::float8[], ${col(4)}::float8[],
            ${col(5)}::float8[], ${col(6)}::boolean[], ${cols.map(() => null)}::text[], ${col(8)}::text[], ${col(9)}::date[])`.execute(
            database.db,
          );
        }
      },
      'INSERT … SELECT unnest, 10,000 rows per statement',
    );
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function server(): Promise<Row | null> {
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
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: CONCURRENCY + 4 });
  try {
    return await benchOn(
      'PostgreSQL server (loopback)',
      database,
      PATROLLERS,
      async (lines) => {
        const client = new pg.Client({ connectionString: url.toString() });
        await client.connect();
        try {
          await pipeline(Readable.from(lines), client.query(copyFrom('copy bench_points from stdin')));
        } finally {
          await client.end();
        }
      },
      'COPY … FROM STDIN',
    );
  } finally {
    await database.close();
    const c = new pg.Client({ connectionString: SERVER_URL });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
}

async function main(): Promise<void> {
  const rows = [await pglite(), await server()].filter((r): r is Row => r !== null);
  console.log(
    [
      '',
      `## Patrols: a day of GPS points (${POINTS} points per patroller, batches of ${BATCH}, ${CONCURRENCY} at once)`,
      '',
      table(
        [
          'database',
          'points',
          'ingest points/s',
          'batch p95 ms',
          'baseline',
          'baseline points/s',
          'baseline ÷ ingest',
          'roll-up s',
          'roll-up points/s',
        ],
        rows.map((r) => {
          const ingestRate = r.points / (r.ingest.wallMs / 1000);
          const copyRate = r.points / (r.copyMs / 1000);
          return [
            r.label,
            fmt(r.points, 0),
            fmt(ingestRate, 0),
            fmt(r.ingest.p95Ms, 1),
            r.copyHow,
            fmt(copyRate, 0),
            `${fmt(copyRate / ingestRate, 1)}×`,
            fmt(r.rollupMs / 1000, 1),
            fmt(r.points / (r.rollupMs / 1000), 0),
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
