import path from 'node:path';
import { localFileStore } from '../app/cases/file-store.ts';
import type { Config } from '../config.ts';
import { isDemoDatabase, seedDemo } from '../demo/seed.ts';
import { buildApp } from '../server/app.ts';
import { caseServices } from '../server/case-services.ts';
import { startSweeper, type RunningSweeper } from '../app/deadlines/run-sweeper.ts';
import { describeDatabase, openConfiguredDatabase } from './open.ts';
import { DEMO_PASSWORD, DEMO_USERNAMES } from '../demo/accounts.ts';

export interface ServeOptions {
  demo: boolean;
  sweeper: boolean;
}

/** Opens and migrates the database, seeds the demo when asked and empty, and serves until a signal. */
export async function serve(config: Config, options: ServeOptions): Promise<void> {
  const logger = {
    level: config.logLevel,
    ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } } : {}),
  };
  const database = await openConfiguredDatabase(config);
  if (options.demo) await seedDemo(database, (m) => console.log(m), { files: localFileStore(path.join(config.dataDir, 'files')) });
  const demo = await isDemoDatabase(database);
  const ctx = { database, config, demo };
  const app = await buildApp(ctx, { logger });
  let sweeper: RunningSweeper | null = null;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await sweeper?.stop();
    await app.close();
    await database.close(); // PGlite flushes its data folder here
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  if (options.sweeper) {
    // every instance may sweep: passes claim their rows with SKIP LOCKED (the routes' bus carries live updates)
    sweeper = startSweeper({ database, now: () => new Date(), changes: caseServices(ctx, app).changes }, { log: app.log });
  }
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const lines = [
    '',
    `  Liandong 联动 is running on http://${shown}:${config.port}`,
    `  API docs:   http://${shown}:${config.port}/docs`,
    `  Database:   ${describeDatabase(config)}`,
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
