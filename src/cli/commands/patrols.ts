import type { Command } from 'commander';
import { endIdlePatrols } from '../../app/patrols/end-idle-patrols.ts';
import { purgePatrolTracks } from '../../app/patrols/purge-patrol-tracks.ts';
import { rollUpCoverage } from '../../app/patrols/roll-up-coverage.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';

/**
 * `patrols upkeep`: one pass of the patrol jobs `serve` runs every minute (idle patrols ended, coverage
 * of closed days rolled up, tracks past retention deleted), for cron-style deployments and the
 * multi-process test. `--at` runs as of another instant.
 */
export function registerPatrolCommands(program: Command, open: () => Promise<Database>): void {
  program
    .command('patrols')
    .description('patrol upkeep')
    .command('upkeep')
    .description('end idle patrols, roll up the coverage of closed days, delete tracks past retention')
    .option('--at <iso>', 'run as of this instant (ISO 8601 with offset) instead of now')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { at?: string; json?: boolean }) => {
      const at = opts.at ? new Date(opts.at) : new Date();
      if (Number.isNaN(at.getTime()))
        throw new AppError('validation_failed', `--at is not a valid instant: ${opts.at}`);
      const database = await open();
      try {
        const deps = { database, now: () => at };
        const idle = await endIdlePatrols(deps);
        const coverage = await rollUpCoverage(deps, { maxDays: 10_000 });
        const purged = await purgePatrolTracks(deps);
        const report = { idle, coverage, purged };
        if (opts.json) console.log(JSON.stringify(report));
        else {
          console.log(
            `ended ${idle.ended} idle patrols; rolled up ${coverage.days.length} days (${coverage.grids} grid-days, ` +
              `${coverage.points} points); deleted ${purged.points} old track points`,
          );
        }
      } finally {
        await database.close();
      }
    });
}
