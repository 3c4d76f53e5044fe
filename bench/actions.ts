/**
 * `npm run bench:actions` (issue 10): a case action at high concurrency on the PostgreSQL server — BENCH_ACTIONS
 * (default 400) `register` actions by the street's dispatcher over HTTP (`POST /api/v1/cases/{id}/actions/
 * register`, through auth, scope, the workflow, the event log, clocks, notifications and the audit chain),
 * BENCH_ACTION_CONCURRENCY (50) at once, each on its own reported case — next to a baseline measured in the
 * same run on the same database at the same concurrency: plain single-row INSERT transactions. Prints the
 * machine's load average with the figures (a loaded machine moves the absolute numbers, less the ratio),
 * and verifies the audit log after the run (each action's record is in its case's audit stream).
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test): a fresh database is created there
 * and dropped after. Loopback only; every loop is bounded.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { setAuditKey } from '../src/app/audit/audit-key.ts';
import { auditKeyOf } from '../src/app/audit/hash.ts';
import { verifyAuditChain } from '../src/app/audit/verify-audit-chain.ts';
import { piiKeyringOf, setPiiKeyring } from '../src/app/baseinfo/pii.ts';
import { regionIndexCache } from '../src/app/territory/region-index-cache.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { DEMO_PASSWORD } from '../src/demo/accounts.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { buildApp } from '../src/server/app.ts';
import { fmt, measure, table } from './measure.ts';

const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_ACTION_CONCURRENCY ?? 50);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const GUMEI = '310112006';
const log = (message: string) => console.error(`[bench] ${message}`);

setAuditKey(auditKeyOf(randomBytes(32)));
setPiiKeyring(piiKeyringOf([randomBytes(32)]));

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 2000 });
  await admin.connect();
  const name = `liandong_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: CONCURRENCY + 10 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-bench-actions-'));
  try {
    await migrate(database);
    await seedDemo(database, () => undefined, { history: false });
    const config = { ...loadConfig({}), dataDir, host: '127.0.0.1', port: 0, logLevel: 'silent' };
    const app = await buildApp({ database, config, demo: true }, { logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const token = async (username: string) => {
        const res = await fetch(`${base}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: DEMO_PASSWORD }),
        });
        if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
        return ((await res.json()) as { token: string }).token;
      };
      const patroller = await token('gumei.patroller');
      const dispatcher = await token('gumei.dispatcher');

      // reported cases in 古美 (the dispatcher's street), one per action and a few for the warm-up
      const index = await regionIndexCache(database).get();
      const grids = await database.db
        .selectFrom('regions')
        .select(['code', 'centroid_lon', 'centroid_lat'])
        .where('level', '=', 'grid')
        .where('code', 'like', `${GUMEI}%`)
        .execute();
      const points = grids
        .filter(
          (g) =>
            g.centroid_lon !== null && index.locate(g.centroid_lon, g.centroid_lat!).grid?.code === g.code,
        )
        .map((g) => ({ lon: g.centroid_lon!, lat: g.centroid_lat! }));
      const warm = 20;
      const cases: { id: string; version: number }[] = [];
      const t = performance.now();
      await measure(ACTIONS + warm, 8, async (i) => {
        const res = await fetch(`${base}/api/v1/cases`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${patroller}` },
          body: JSON.stringify({
            category: '0501',
            description: `压测动作 #${i}`,
            location: points[i % points.length],
          }),
        });
        if (res.status !== 201) throw new Error(`report: ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { case: { id: string; version: number; state: string } };
        if (body.case.state === 'reported') cases.push({ id: body.case.id, version: body.case.version });
        return true;
      });
      log(`${cases.length} reported cases in ${fmt((performance.now() - t) / 1000)} s`);
      if (cases.length < ACTIONS + warm) throw new Error(`only ${cases.length} cases are in 'reported'`);

      const register = async (c: { id: string; version: number }) => {
        const res = await fetch(`${base}/api/v1/cases/${c.id}/actions/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${dispatcher}` },
          body: JSON.stringify({ version: c.version }),
        });
        await res.arrayBuffer();
        return res.ok;
      };
      await measure(warm, Math.min(warm, CONCURRENCY), (i) => register(cases[ACTIONS + i]!));
      const loadBefore = os.loadavg()[0]!;
      const actions = await measure(ACTIONS, CONCURRENCY, (i) => register(cases[i]!));

      await sql`create table bench_baseline (id bigserial primary key, body jsonb not null, created_at timestamptz not null default now())`.execute(
        database.db,
      );
      const baseline = await measure(ACTIONS, CONCURRENCY, (i) =>
        database.db
          .transaction()
          .execute((trx) =>
            sql`insert into bench_baseline (body) values (${JSON.stringify({ i, action: 'register' })})`.execute(
              trx,
            ),
          ),
      );
      const loadAfter = os.loadavg()[0]!;
      // every action's audit record landed in its case's stream, and the whole log verifies (and is sealed)
      const audit = await verifyAuditChain(database.db);
      const version = (
        await sql<{ v: string }>`select current_setting('server_version') as v`.execute(database.db)
      ).rows[0]?.v;

      console.log(
        [
          `## Case action at ${CONCURRENCY} connections — ${new Date().toISOString().slice(0, 16)}Z`,
          '',
          `PostgreSQL ${(version ?? '').split(' ')[0]} (loopback), Node ${process.version}, ${os.cpus().length} × ` +
            `${os.cpus()[0]?.model ?? 'CPU'}; load average (1 min) ${fmt(loadBefore, 1)} before, ${fmt(loadAfter, 1)} after.`,
          '',
          table(
            ['', 'ops/s', 'p50 ms', 'p95 ms', 'p99 ms', 'failed'],
            [
              [
                '`register` over HTTP',
                fmt(actions.opsPerSec),
                fmt(actions.p50Ms),
                fmt(actions.p95Ms),
                fmt(actions.p99Ms),
                String(actions.failed),
              ],
              [
                'baseline: plain INSERT transaction',
                fmt(baseline.opsPerSec),
                fmt(baseline.p50Ms, 2),
                fmt(baseline.p95Ms, 2),
                fmt(baseline.p99Ms, 2),
                String(baseline.failed),
              ],
            ],
          ),
          '',
          `Actions run at ${fmt((actions.opsPerSec / baseline.opsPerSec) * 100, 1)} % of the baseline rate.`,
          `Audit log after the run: ${audit.ok ? 'verifies' : `BROKEN (${audit.broken?.reason})`}, ` +
            `${audit.records} records in ${audit.streams} streams.`,
        ].join('\n'),
      );
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    const c = new pg.Client({ connectionString: SERVER_URL });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
}

await main();
