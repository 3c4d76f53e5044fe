import path from 'node:path';
import { localFileStore } from '../app/cases/file-store.ts';
import { Command, Option } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import { isAppError } from '../core/errors.ts';
import { migrate } from '../db/migrate.ts';
import { seedDemo } from '../demo/seed.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerCalendarCommands } from './commands/calendar.ts';
import { registerCaseCommands } from './commands/cases.ts';
import { registerEvaluationCommands } from './commands/evaluation.ts';
import { registerImportBaseInfo } from './commands/import-baseinfo.ts';
import { registerImportRegions } from './commands/import-regions.ts';
import { registerPatrolCommands } from './commands/patrols.ts';
import { registerWarningCommands } from './commands/warnings.ts';
import { registerScreeningCommands } from './commands/screening.ts';
import { registerPiiCommands } from './commands/pii.ts';
import { registerReportCommands } from './commands/reports.ts';
import { registerSweepCommand } from './commands/sweep.ts';
import { registerUserCommands } from './commands/users.ts';
import { registerWebhookCommands } from './commands/webhooks.ts';
import cluster from 'node:cluster';
import { serveCluster } from './cluster.ts';
import { serve } from './serve.ts';
import { describeDatabase, openConfiguredDatabase } from './open.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { lockedHint, EXIT_DATA_DIR_LOCKED } from './locked-hint.ts';

const config = readConfig();

/** The configuration, or a clear message and exit code 2 (bad configuration is a usage error). */
function readConfig() {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`liandong: ${error.message}`);
    process.exit(2);
  }
}
// the command as typed (`case report`, `audit verify`…), recorded in the DATA_DIR lock
const commandName = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('-'))
  .slice(0, 2)
  .join(' ');
const open = () => openConfiguredDatabase(config, { command: commandName });

const program = new Command()
  .name('liandong')
  .description('Liandong (联动) — grid-based city management platform')
  .showHelpAfterError();

program
  .command('serve')
  .description('start the HTTP server (migrates the database first)')
  .addOption(new Option('--demo', 'seed the Minhang demo district and accounts when the database is empty'))
  .option('--no-sweeper', 'do not run the deadline sweeper in this process')
  .option('--no-webhooks', 'do not deliver webhooks from this process')
  .option(
    '--workers <n>',
    'server processes sharing the port (node:cluster; needs DATABASE_URL); default WORKERS or 1',
  )
  .action(async (opts: { demo?: boolean; sweeper: boolean; webhooks: boolean; workers?: string }) => {
    const options = { demo: opts.demo ?? false, sweeper: opts.sweeper, webhooks: opts.webhooks };
    const workers = opts.workers === undefined ? (config.workers ?? 1) : Number(opts.workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 64)
      throw new Error(`--workers must be a whole number from 1 to 64, got "${opts.workers}"`);
    // a forked worker runs this same command line; WORKERS=1 in its environment makes it serve alone
    if (workers > 1 || cluster.isWorker) await serveCluster(config, options, workers);
    else await serve(config, options);
  });

program
  .command('migrate')
  .description('apply pending SQL migrations')
  .action(async () => {
    const database = await openConfiguredDatabase(config, { migrate: false, command: 'migrate' });
    try {
      const applied = await migrate(database);
      console.log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
      console.log(`database: ${describeDatabase(config)}`);
    } finally {
      await database.close();
    }
  });

program
  .command('seed')
  .description('seed data')
  .requiredOption(
    '--demo',
    'the Minhang demo district (real names and codes, synthetic geometry), departments, accounts, history',
  )
  .action(async () => {
    const database = await open();
    try {
      const report = await seedDemo(database, (m) => console.error(m), {
        files: localFileStore(path.join(config.dataDir, 'files')),
      });
      console.log(report.seeded ? 'demo seeded' : 'database already has a territory; nothing seeded', report);
    } finally {
      await database.close();
    }
  });

registerImportRegions(program, open);
registerImportBaseInfo(program, open);
registerUserCommands(program, open);
registerAuditCommands(program, open);
registerCaseCommands(program, open, config);
registerSweepCommand(program, open, localFileStore(path.join(config.dataDir, 'files')));
registerCalendarCommands(program, open);
registerPatrolCommands(program, open);
registerWarningCommands(program, open);
registerScreeningCommands(program, open);
registerPiiCommands(program, open, config);
registerWebhookCommands(program, open, config);
registerReportCommands(program, open, config);
registerEvaluationCommands(program, open);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof DataDirLockedError) {
    console.error(`error [data_dir_locked]: ${error.message}`);
    const hint = lockedHint(commandName, error.holder);
    if (hint) console.error(hint);
    process.exitCode = EXIT_DATA_DIR_LOCKED;
  } else if (isAppError(error)) {
    console.error(`error [${error.code}]: ${error.message}`);
    if (error.details) console.error(JSON.stringify(error.details, null, 2));
    process.exitCode = error.code === 'validation_failed' ? 2 : 1;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
});
