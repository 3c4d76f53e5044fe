import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { actorOfRow } from '../../app/identity/user-view.ts';
import { generateMonthlyReportPdf } from '../../app/reports/generate-monthly-report.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';

/**
 * The operator at the console: the CLI has the database, so it reports as the district administrator
 * would (the whole district); `--as` reports as a named user with that user's scope instead.
 */
const CLI_REPORTER: Actor = {
  userId: 'cli',
  username: 'cli',
  displayName: '命令行',
  role: 'admin',
  unit: { kind: 'region', level: 'district', code: '310112' },
};

/** `report monthly`: the monthly report PDF of the district or a street (the console's download). */
export function registerReportCommands(
  program: Command,
  open: () => Promise<Database>,
  config: { reportFont?: string | undefined },
): void {
  const cmd = program.command('report').description('reports: the monthly evaluation report as PDF');
  cmd
    .command('monthly')
    .description('write the monthly report (summary, indicators, rankings, trend, notable cases) as PDF')
    .requiredOption('--period <YYYY-MM>', 'the month, Beijing time (e.g. 2026-11)')
    .requiredOption(
      '--unit <code>',
      'the district (6 digits, e.g. 310112) or a street (9 digits, e.g. 310112006)',
    )
    .requiredOption('--out <file>', 'where to write the PDF')
    .option('--as <username>', 'report with this user’s scope (default: the whole district)')
    .action(async (o: { period: string; unit: string; out: string; as?: string }) => {
      const database = await open();
      try {
        const actor = o.as ? await actorByUsername(database, o.as) : CLI_REPORTER;
        const file = await generateMonthlyReportPdf(
          { database, now: () => new Date() },
          actor,
          { period: o.period, unit: o.unit },
          { font: config.reportFont },
        );
        await fs.writeFile(o.out, file.body);
        console.log(
          `wrote ${o.out} (${file.report.unit.name} ${file.report.period.key}, ${file.body.length} bytes)`,
        );
      } finally {
        await database.close();
      }
    });
}

async function actorByUsername(database: Database, username: string): Promise<Actor> {
  const row = await database.db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
  if (!row || row.disabled) throw new AppError('not_found', `No active user ${username}`);
  return actorOfRow(row);
}
