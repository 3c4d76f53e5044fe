import path from 'node:path';
import { localFileStore } from '../app/cases/file-store.ts';
import { Command, Option } from 'commander';
import { loadConfig } from '../config.ts';
import { isAppError } from '../core/errors.ts';
import { migrate } from '../db/migrate.ts';
import { seedDemo } from '../demo/seed.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerCalendarCommands } from './commands/calendar.ts';
import { registerCaseCommands } from './commands/cases.ts';
import { registerImportRegions } from './commands/import-regions.ts';
import { registerSweepCommand } from './commands/sweep.ts';
import { registerUserCommands } from './commands/users.ts';
import { serve } from './serve.ts';
import { describeDatabase, openConfiguredDatabase } from './open.ts';

const config = loadConfig();
const open = () => openConfiguredDatabase(config);

const program = new Command()
  .name('liandong')
  .description('Liandong (联动) — grid-based city management platform')
  .showHelpAfterError();

program
  .command('serve')
  .description('start the HTTP server (migrates the database first)')
  .addOption(new Option('--demo', 'seed the Minhang demo district and accounts when the database is empty'))
  .option('--no-sweeper', 'do not run the deadline sweeper in this process')
  .action(async (opts: { demo?: boolean; sweeper: boolean }) => {
    await serve(config, { demo: opts.demo ?? false, sweeper: opts.sweeper });
  });

program
  .command('migrate')
  .description('apply pending SQL migrations')
  .action(async () => {
    const database = await openConfiguredDatabase(config, { migrate: false });
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
registerUserCommands(program, open);
registerAuditCommands(program, open);
registerCaseCommands(program, open, config);
registerSweepCommand(program, open);
registerCalendarCommands(program, open);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (isAppError(error)) {
    console.error(`error [${error.code}]: ${error.message}`);
    if (error.details) console.error(JSON.stringify(error.details, null, 2));
    process.exitCode = error.code === 'validation_failed' ? 2 : 1;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
});
