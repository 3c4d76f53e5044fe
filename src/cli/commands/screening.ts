import type { Command } from 'commander';
import { generateScreeningTasks } from '../../app/screening/generate-tasks.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';

/**
 * `screening generate`: one pass of the screening task-generation job (what `serve` runs after each
 * sweeper pass and after a campaign is created), for cron-style deployments and the multi-process test.
 */
export function registerScreeningCommands(program: Command, open: () => Promise<Database>): void {
  program
    .command('screening')
    .description('rolling screening (滚动排摸)')
    .command('generate')
    .description('generate the visit tasks of every round waiting for them')
    .option('--at <iso>', 'run as of this instant (ISO 8601 with offset) instead of now')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { at?: string; json?: boolean }) => {
      const at = opts.at ? new Date(opts.at) : new Date();
      if (Number.isNaN(at.getTime()))
        throw new AppError('validation_failed', `--at is not a valid instant: ${opts.at}`);
      const database = await open();
      try {
        const report = await generateScreeningTasks({ database, now: () => at });
        if (opts.json) console.log(JSON.stringify(report));
        else
          console.log(
            `generated ${report.generated.length} rounds (${report.generated.reduce((n, g) => n + g.tasks, 0)} tasks)`,
          );
      } finally {
        await database.close();
      }
    });
}
