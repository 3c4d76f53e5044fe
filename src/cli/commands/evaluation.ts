import type { Command } from 'commander';
import { rebuildEvaluationRollups } from '../../app/evaluation/rollups.ts';
import type { Database } from '../../db/database.ts';

/**
 * `evaluation rebuild`: rebuilds the evaluation's items and day roll-ups from the event log (migration
 * 0035). Needed once on a database that had history before the roll-ups existed (until then the evaluation
 * reads the log, slowly); harmless any time: the result equals what the event writer keeps.
 */
export function registerEvaluationCommands(program: Command, open: () => Promise<Database>): void {
  program
    .command('evaluation')
    .description('evaluation upkeep')
    .command('rebuild')
    .description('rebuild the evaluation roll-ups from the event log (blocks case writes while it runs)')
    .action(async () => {
      const database = await open();
      try {
        const t = performance.now();
        const built = await rebuildEvaluationRollups(database, (m) => console.error(m));
        console.log(
          `rebuilt the evaluation roll-ups: ${built.cases} cases, ${built.items} items in ${((performance.now() - t) / 1000).toFixed(1)} s`,
        );
      } finally {
        await database.close();
      }
    });
}
