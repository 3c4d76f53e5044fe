import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { importCalendarYear } from '../../app/calendar/import-calendar-year.ts';
import { SYSTEM_ACTOR } from '../../core/actor.ts';
import type { ScheduleProblem } from '../../core/calendar/schedule-file.ts';
import { isAppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';

/**
 * `calendar import FILE`: loads a year's official holiday schedule (节假日安排) in one step — a CSV of
 * `date,kind,name` lines or the JSON form (see demo-data/calendar-2027.example.csv). A file with any
 * problem lists every one by line and exits 1 with nothing written; otherwise the year is confirmed and
 * running deadlines that depend on it are recomputed.
 */
export function registerCalendarCommands(program: Command, open: () => Promise<Database>): void {
  const calendar =
    program.commands.find((c) => c.name() === 'calendar') ??
    program.command('calendar').description('the working calendar (工作日历)');
  calendar
    .command('import')
    .description("load a year's official holiday schedule (holidays and make-up workdays) from CSV or JSON")
    .argument('<file>', 'CSV (date,kind,name) or JSON ({year, holidays, workdays})')
    .option('--year <year>', 'the year being loaded (default: the file’s); every date must be in it')
    .action(async (file: string, opts: { year?: string }) => {
      const year = opts.year === undefined ? undefined : Number(opts.year);
      if (year !== undefined && !Number.isInteger(year)) {
        console.error(`--year must be a year such as 2027, got ${opts.year}`);
        process.exitCode = 1;
        return;
      }
      let content: string;
      try {
        content = await fs.readFile(file, 'utf8');
      } catch (error) {
        console.error(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
        return;
      }
      const database = await open();
      try {
        const result = await importCalendarYear(database, SYSTEM_ACTOR, { content, year }, new Date());
        console.log(
          `imported the ${result.year} schedule: ${result.holidays} holidays, ${result.workdays} make-up workdays ` +
            `(${result.replaced} earlier entries of ${result.year} replaced); ${result.year} is confirmed; ` +
            `${result.recomputedClocks} running deadlines recomputed`,
        );
      } catch (error) {
        if (!isAppError(error) || error.code !== 'validation_failed') throw error;
        console.error(`rejected: ${error.message}`);
        for (const p of (error.details?.problems ?? []) as ScheduleProblem[]) console.error(`  ${p.message}`);
        process.exitCode = 1;
      } finally {
        await database.close();
      }
    });
}
