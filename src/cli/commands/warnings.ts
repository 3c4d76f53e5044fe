import type { Command } from 'commander';
import { evaluateWarningRules } from '../../app/warnings/evaluate-warnings.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';

/**
 * `warnings evaluate`: one run of the early-warning rules (the job `serve` runs after each sweeper pass),
 * for cron-style deployments and the multi-process test. `--at` runs as of another instant; `--force`
 * runs even when the last run is more recent than the policy's interval.
 */
export function registerWarningCommands(program: Command, open: () => Promise<Database>): void {
  program
    .command('warnings')
    .description('early warnings (预警)')
    .command('evaluate')
    .description('evaluate the warning rules once and raise the new warnings')
    .option('--at <iso>', 'run as of this instant (ISO 8601 with offset) instead of now')
    .option('--force', 'run even if not due')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { at?: string; force?: boolean; json?: boolean }) => {
      const at = opts.at ? new Date(opts.at) : new Date();
      if (Number.isNaN(at.getTime()))
        throw new AppError('validation_failed', `--at is not a valid instant: ${opts.at}`);
      const database = await open();
      try {
        const report = await evaluateWarningRules(
          { database, now: () => at },
          { force: opts.force ?? false },
        );
        if (opts.json) console.log(JSON.stringify(report));
        else
          console.log(
            report.ran
              ? `raised ${report.raised.length} warnings (${report.drafts} found)`
              : 'not run (not due or busy)',
          );
      } finally {
        await database.close();
      }
    });
}
