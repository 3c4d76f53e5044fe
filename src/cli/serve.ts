import cluster from 'node:cluster';
import path from 'node:path';
import { localFileStore } from '../app/cases/file-store.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { seedDemoBaseInfo } from '../demo/base-info.ts';
import { seedDemoHistory } from '../demo/history.ts';
import { seedDemoPatrols } from '../demo/patrols.ts';
import { seedDemoWarningSituations } from '../demo/warning-situations.ts';
import { seedDemoScreening } from '../demo/screening.ts';
import { judgeDemoHistory } from './demo-history.ts';
import { isDemoDatabase, seedDemo } from '../demo/seed.ts';
import { buildApp } from '../server/app.ts';
import { caseServices } from '../server/case-services.ts';
import { startSweeper, type RunningSweeper } from '../app/deadlines/run-sweeper.ts';
import { patrolHousekeeping } from '../app/patrols/patrol-jobs.ts';
import { warningHousekeeping } from '../app/warnings/warning-jobs.ts';
import { screeningHousekeeping } from '../app/screening/generate-tasks.ts';
import { startWebhookWorker } from '../app/webhooks/run-webhook-worker.ts';
import { removeOrphanUploads } from '../app/cases/remove-orphan-uploads.ts';
import { pruneLoginThrottle } from '../app/identity/throttle.ts';
import { pruneRequestLimits } from '../app/identity/request-limits.ts';
import { auditHousekeeping } from '../app/audit/checkpoint-audit.ts';
import { evaluationHousekeeping } from '../app/evaluation/rollups.ts';
import { describeDatabase, openConfiguredDatabase } from './open.ts';
import { DEMO_PASSWORD, DEMO_USERNAMES } from '../demo/accounts.ts';

export interface ServeOptions {
  demo: boolean;
  sweeper: boolean;
  /** Deliver webhooks from this process (every instance may: claims use SKIP LOCKED). */
  webhooks?: boolean;
}

/** Opens and migrates the database, seeds the demo when asked and empty, and serves until a signal. */
export async function serve(config: Config, options: ServeOptions): Promise<void> {
  const logger = {
    level: config.logLevel,
    ...(process.stdout.isTTY
      ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } }
      : {}),
  };
  const database = await openConfiguredDatabase(config, { command: 'serve' });
  const files = localFileStore(path.join(config.dataDir, 'files'));
  // the territory, organisation and accounts are seeded before listening (seconds); the case history (the
  // previous month and this one, up to now) is played after, in the background, so the server answers quickly
  const seeded = options.demo
    ? (await seedDemo(database, (m) => console.log(m), { files, history: false, baseInfo: false })).seeded
    : false;
  const demo = await isDemoDatabase(database);
  let history: Promise<unknown> | null = null;
  const ctx = { database, config, demo, seeding: () => history !== null, warningTriggers: true };
  const app = await buildApp(ctx, { logger });
  if (config.databaseUrl && !config.auditKey) {
    app.log.warn(
      `AUDIT_KEY is not set: the audit chain is keyed with ${path.join(config.dataDir, 'audit.key')}; ` +
        'every instance on this database must use the same key (set AUDIT_KEY on all of them)',
    );
  }
  if (config.databaseUrl && !config.piiKey) {
    app.log.warn(
      `PII_KEY is not set: personal data is encrypted with ${path.join(config.dataDir, 'pii.key')}; ` +
        'every instance on this database must use the same key (set PII_KEY on all of them)',
    );
  }
  let sweeper: RunningSweeper | null = null;
  const startSweeping = () => {
    if (!options.sweeper || stopping) return;
    // every instance may sweep: passes claim their rows with SKIP LOCKED (the routes' bus carries live updates)
    sweeper = startSweeper(
      {
        database,
        now: () => new Date(),
        changes: caseServices(ctx, app).changes,
        log: app.log.child({ component: 'sweeper' }),
      },
      {
        log: app.log,
        housekeeping: [
          {
            name: 'old login throttle counters removed',
            run: async () => {
              const n = await pruneLoginThrottle(database.db, new Date());
              return n > 0 ? { removed: n } : null;
            },
          },
          {
            name: 'old request rate-limit counters removed',
            run: async () => {
              const n = await pruneRequestLimits(database.db);
              return n > 0 ? { removed: n } : null;
            },
          },
          ...auditHousekeeping(database.db),
          ...evaluationHousekeeping(database.db),
          ...patrolHousekeeping(database),
          ...warningHousekeeping(database, () => new Date(), caseServices(ctx, app).bus),
          ...screeningHousekeeping(database),
          {
            name: 'orphan uploads removed',
            run: async () => {
              const r = await removeOrphanUploads({ database, files, now: () => new Date() });
              return r.removed > 0 ? r : null;
            },
          },
        ],
      },
    );
  };

  // webhooks: fan out case events and deliver them, from every instance (claims use SKIP LOCKED)
  const webhookLog = app.log.child({ component: 'webhooks' });
  const webhooks =
    options.webhooks === false
      ? null
      : startWebhookWorker(
          {
            database,
            now: () => new Date(),
            log: webhookLog,
            allowLocal: config.webhooksAllowLocal,
            timeoutMs: config.webhookTimeoutMs,
          },
          { log: webhookLog },
        );

  let stopping = false;
  const stop = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await sweeper?.stop();
    await webhooks?.stop();
    await app.close();
    await database.close(); // PGlite flushes its data folder here
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const bound = app.server.address();
  const listening = typeof bound === 'object' && bound ? bound.port : config.port;
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  // other commands on this DATA_DIR are refused; the lock tells them where the server answers instead
  database.lock?.setUrl(`http://${shown}:${listening}`);
  if (seeded) {
    console.log('playing the demo cases up to now through the workflow (in the background)…');
    await setHistoryState(database, 'playing');
    const strict = config.demoStrict ?? false;
    // the base information of 古美街道 first (tens of thousands of rows), then the case history up to now,
    // then the patrols of the last weeks; a failure in any of them is judged like a failed history
    history = seedDemoBaseInfo(database, { log: (m) => console.log(m) })
      .then((baseInfo) => console.log(`demo base information written in ${baseInfo.ms} ms`))
      .then(() => seedDemoHistory(database, { files, log: (m) => console.log(m) }))
      .then(async (report) => {
        await seedDemoPatrols(database, { log: (m) => console.log(m) });
        await seedDemoWarningSituations(database, { files, log: (m) => console.log(m) });
        await seedDemoScreening(database, { files, log: (m) => console.log(m) });
        return report;
      })
      .then(
        (report) => ({ report }),
        (error: unknown) => ({ error }),
      )
      .then(async (outcome) => {
        if (stopping) return;
        const verdict = judgeDemoHistory(outcome, strict);
        if (verdict.ok) return setHistoryState(database, 'done');
        app.log.error({ err: 'error' in outcome ? outcome.error : undefined }, verdict.message);
        // CI or DEMO_STRICT=1: a broken demo fails the start (the browser suite sees the server exit)
        if (verdict.exit) await stop('demo history failed', 1);
      })
      .finally(() => {
        history = null;
        startSweeping(); // after the history: its simulated clock must not meet the real one mid-play
      });
  } else {
    if (demo && (await historyState(database)) === 'playing') {
      console.log(
        '  Note: the demo history was interrupted on the first start and is incomplete.\n' +
          `  To regenerate the demo, stop the server and delete ${config.dataDir}.`,
      );
    }
    startSweeping();
  }
  const lines = [
    '',
    `  Liandong 联动 is running on http://${shown}:${listening}`,
    `  API docs:   http://${shown}:${listening}/docs`,
    `  Database:   ${describeDatabase(config)}`,
    ...(cluster.isWorker ? [`  Process:    worker ${cluster.worker?.id ?? '?'} (pid ${process.pid})`] : []),
  ];
  if (demo) {
    lines.push(
      '',
      '  Demo district: 闵行区 Minhang — real names and codes, SYNTHETIC geometry.',
      `  Demo accounts (password "${DEMO_PASSWORD}"):`,
      `    ${DEMO_USERNAMES.join(', ')}`,
    );
  }
  console.log(lines.join('\n') + '\n');
}

// whether the background demo history finished (a first start stopped within its ~20 s leaves it partial)
const HISTORY_KEY = 'demo_history';

async function setHistoryState(database: Database, state: 'playing' | 'done'): Promise<void> {
  await database.db
    .insertInto('app_settings')
    .values({ key: HISTORY_KEY, value: JSON.stringify(state) })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: JSON.stringify(state), updated_at: new Date() }),
    )
    .execute();
}

async function historyState(database: Database): Promise<unknown> {
  const row = await database.db
    .selectFrom('app_settings')
    .select('value')
    .where('key', '=', HISTORY_KEY)
    .executeTakeFirst();
  return row?.value;
}
