import type { Command } from 'commander';
import { sweepDeadlines } from '../../app/deadlines/sweep-deadlines.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import type { FileStore } from '../../app/cases/file-store.ts';
import { removeOrphanUploads } from '../../app/cases/remove-orphan-uploads.ts';

/**
 * `sweep`: one pass of the deadline sweeper (what `serve` runs every minute), for cron-style
 * deployments, scripted demos and the multi-process test. `--at` sweeps as of another instant.
 */
export function registerSweepCommand(
  program: Command,
  open: () => Promise<Database>,
  files?: FileStore,
): void {
  program
    .command('sweep')
    .description('run one pass of the deadline sweeper: record yellow/red clocks, escalate overdue cases')
    .option('--at <iso>', 'sweep as of this instant (ISO 8601 with offset) instead of now')
    .option('--batch <n>', 'clocks claimed per transaction', '100')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { at?: string; batch: string; json?: boolean }) => {
      const at = opts.at ? new Date(opts.at) : new Date();
      if (Number.isNaN(at.getTime()))
        throw new AppError('validation_failed', `--at is not a valid instant: ${opts.at}`);
      const batchSize = Number(opts.batch);
      if (!Number.isInteger(batchSize) || batchSize < 1)
        throw new AppError('validation_failed', '--batch must be a positive integer');
      const database = await open();
      try {
        const report = await sweepDeadlines({ database, now: () => at }, { batchSize, maxBatches: 10_000 });
        // the same upkeep as the server's loop: uploads never linked to a case within a day
        const orphans = files ? await removeOrphanUploads({ database, files, now: () => at }) : null;
        if (opts.json)
          console.log(JSON.stringify({ ...report, ...(orphans ? { orphanUploads: orphans } : {}) }));
        else {
          const e = report.escalations;
          console.log(
            `swept ${report.examined} clocks at ${report.at}: ${report.warned} turned yellow, ${report.overdue} turned red, ` +
              `escalations level 1: ${e[1]}, level 2: ${e[2]}, level 3: ${e[3]}`,
          );
        }
      } finally {
        await database.close();
      }
    });
}
