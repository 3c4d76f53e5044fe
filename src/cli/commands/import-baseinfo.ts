import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import { createImportRun } from '../../app/imports/create-import-run.ts';
import { rowErrorsCsv } from '../../app/imports/row-errors-csv.ts';
import { runImport, type ImportCounts } from '../../app/imports/run-import.ts';
import { currentImportSealer } from '../../app/imports/sealer.ts';
import type { Logger } from '../../app/logger.ts';
import { SYSTEM_ACTOR } from '../../core/actor.ts';
import { isAppError } from '../../core/errors.ts';
import { CRS_VALUES, type Crs } from '../../core/geo/crs.ts';
import { IMPORT_KINDS, type ImportKind } from '../../core/imports/fields.ts';
import { reasonText } from '../../core/imports/reasons.ts';
import type { Database } from '../../db/database.ts';

/** Exit codes of `liandong import <kind>`: every row imported / some rows refused / the run failed / usage. */
export const IMPORT_EXIT = { ok: 0, failed: 1, usage: 2, refusedRows: 3 } as const;

const importGroup = (program: Command): Command =>
  program.commands.find((c) => c.name() === 'import') ??
  program.command('import').description('import territory or base information from files');

const stderrLogger: Logger = {
  error: (obj, msg) => console.error(`error: ${msg}`, (obj as { err?: unknown }).err ?? ''),
  warn: (_obj, msg) => console.error(`warning: ${msg}`),
  info: () => undefined,
};

/**
 * `import addresses|dwellings|people|units FILE`: base information from a street's spreadsheet (CSV in
 * UTF-8 or GBK, or .xlsx), streamed in batches with a progress bar on stderr and a summary on stdout.
 * Refused rows are listed (the first 20) and, with --errors-out, written whole as CSV.
 */
export function registerImportBaseInfo(program: Command, open: () => Promise<Database>): void {
  for (const kind of IMPORT_KINDS) {
    importGroup(program)
      .command(kind)
      .description(
        `import ${kind} (base information, 一标三实) from CSV or .xlsx with Chinese or English headers; ` +
          'exit 0 all rows imported, 3 some rows refused, 1 failed, 2 bad usage',
      )
      .argument('<file>', 'CSV (UTF-8 or GBK) or .xlsx file')
      .option('--dry-run', 'validate and match every row; write nothing')
      .option(
        '--street <code>',
        'the street the rows are for (9-digit code); addresses without a point need it',
      )
      .addOption(
        new Option('--crs <crs>', 'datum of 经度/纬度 when the file has no 坐标系 column')
          .choices(CRS_VALUES)
          .default('wgs84'),
      )
      .option('--errors-out <file>', 'write the refused rows (row, column, value, reason) as CSV')
      .action(
        async (file: string, opts: { dryRun?: boolean; street?: string; crs: Crs; errorsOut?: string }) => {
          process.exitCode = await importCommand(open, kind, file, opts);
        },
      );
  }
}

async function importCommand(
  open: () => Promise<Database>,
  kind: ImportKind,
  file: string,
  opts: { dryRun?: boolean; street?: string; crs: Crs; errorsOut?: string },
): Promise<number> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    console.error(`no such file: ${file}`);
    return IMPORT_EXIT.usage;
  }
  if (opts.street !== undefined && !/^[0-9]{9}$/.test(opts.street)) {
    console.error('--street takes a 9-digit street code (e.g. 310112006)');
    return IMPORT_EXIT.usage;
  }
  const database = await open();
  try {
    const { run, preview } = await createImportRun(database, SYSTEM_ACTOR, {
      kind,
      fileName: path.basename(file),
      filePath: path.resolve(file),
      streetCode: opts.street ?? null,
      dryRun: opts.dryRun ?? false,
    });
    const mapped = Object.entries(preview.mapping).map(([f, h]) => `${h}→${f}`);
    console.error(`columns: ${mapped.join(', ')}`);
    if (preview.ignored.length > 0) console.error(`ignored columns: ${preview.ignored.join(', ')}`);
    const bar = progressBar();
    const outcome = await runImport(
      { database, logger: stderrLogger, sealer: currentImportSealer() },
      run.id,
      {
        defaultCrs: opts.crs,
        onProgress: bar,
      },
    );
    bar.done();
    if (outcome.status === 'failed') {
      console.error(`import failed: ${outcome.error ?? 'unknown error'}`);
      return IMPORT_EXIT.failed;
    }
    console.log(
      `${outcome.dryRun ? 'dry run (nothing written)' : 'imported'} ${kind} from ${path.basename(file)}: ` +
        `${outcome.rowsRead} rows — ${outcome.inserted} new, ${outcome.updated} updated, ` +
        `${outcome.unchanged} unchanged, ${outcome.refused} refused (run ${outcome.id})`,
    );
    if (outcome.refused > 0) await reportRefused(database, outcome.id, opts.errorsOut);
    return outcome.refused > 0 ? IMPORT_EXIT.refusedRows : IMPORT_EXIT.ok;
  } catch (error) {
    if (!isAppError(error) || (error.code !== 'validation_failed' && error.code !== 'forbidden')) throw error;
    console.error(`refused: ${error.message}`);
    return IMPORT_EXIT.usage;
  } finally {
    await database.close();
  }
}

async function reportRefused(database: Database, runId: string, errorsOut: string | undefined) {
  const shown = await database.db
    .selectFrom('import_row_errors')
    .select(['row_no', 'col', 'value', 'reason'])
    .where('run_id', '=', runId)
    .orderBy('seq')
    .limit(20)
    .execute();
  for (const e of shown)
    console.error(
      `  row ${e.row_no}${e.col ? ` [${e.col}]` : ''}${e.value ? ` "${e.value}"` : ''}: ${e.reason} (${reasonText(e.reason)})`,
    );
  if (errorsOut) {
    await pipeline(rowErrorsCsv(database, runId), fs.createWriteStream(errorsOut));
    console.error(`row report written to ${errorsOut}`);
  } else if (shown.length === 20) console.error('  … (--errors-out FILE writes every refused row)');
}

/** A bar on a terminal, a line per tenth otherwise (logs stay short). */
function progressBar(): ((p: ImportCounts) => void) & { done: () => void } {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  const update = (p: ImportCounts) => {
    const fraction = p.fileSize > 0 ? Math.min(1, p.bytesRead / p.fileSize) : 0;
    const text = `${p.rowsRead} rows · ${p.inserted} new · ${p.updated} updated · ${p.refused} refused`;
    if (tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${text}`,
      );
    } else if (Math.floor(fraction * 10) > lastTenth) {
      lastTenth = Math.floor(fraction * 10);
      process.stderr.write(`${Math.round(fraction * 100)}% ${text}\n`);
    }
  };
  return Object.assign(update, { done: () => (tty ? process.stderr.write('\n') : undefined) });
}
