import fs from 'node:fs/promises';
import { Option, type Command } from 'commander';
import {
  DEFAULT_COVERAGE_TOLERANCE_M2,
  importRegions,
  type ImportProgress,
} from '../../app/territory/import-regions.ts';
import { isAppError } from '../../core/errors.ts';
import { CRS_VALUES, type Crs } from '../../core/geo/crs.ts';
import type { FeatureProblem } from '../../core/geo/region-features.ts';
import type { Database } from '../../db/database.ts';

/** The `import` group is shared with other importers (base information); create it once. */
const importGroup = (program: Command): Command =>
  program.commands.find((c) => c.name() === 'import') ??
  program.command('import').description('import territory or base information from files');

/**
 * `import regions FILE.geojson`: loads a deployment's own territory (districts, streets, committees,
 * grids). Progress goes to stderr; a rejected file lists every bad feature and exits 1 with nothing written.
 */
export function registerImportRegions(program: Command, open: () => Promise<Database>): void {
  importGroup(program)
    .command('regions')
    .description(
      'import territory polygons from a GeoJSON FeatureCollection (properties: code, name, [level], [parent]); all or nothing',
    )
    .argument('<file>', 'GeoJSON file')
    .addOption(
      new Option('--crs <crs>', 'datum of the coordinates in the file').choices(CRS_VALUES).default('wgs84'),
    )
    .option('--dry-run', 'check the file only; write nothing')
    .option(
      '--tolerance <m2>',
      'gaps, overlaps and parts outside a parent up to this many m² are ignored (overlaps above it are refused, gaps reported)',
      (v) => Number(v),
      DEFAULT_COVERAGE_TOLERANCE_M2,
    )
    .action(async (file: string, opts: { crs: Crs; dryRun?: boolean; tolerance: number }) => {
      if (!Number.isFinite(opts.tolerance) || opts.tolerance < 0) {
        console.error('--tolerance must be a number of square metres, 0 or more');
        process.exitCode = 1;
        return;
      }
      let collection: unknown;
      try {
        collection = JSON.parse(await fs.readFile(file, 'utf8'));
      } catch (error) {
        console.error(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
        return;
      }
      const database = await open();
      try {
        const result = await importRegions(database, collection, {
          crs: opts.crs,
          dryRun: opts.dryRun ?? false,
          onProgress: progress,
          toleranceM2: opts.tolerance,
        });
        const { district, street, committee, grid } = result.byLevel;
        console.log(
          `${result.dryRun ? 'file is valid (dry run, nothing written)' : 'imported'}: ${result.total} regions ` +
            `(${result.inserted} new, ${result.updated} updated; ${district} districts, ${street} streets, ` +
            `${committee} committees, ${grid} grids)`,
        );
        if (result.gaps.length > 0) {
          console.warn(
            `warning: ${result.gaps.length} gaps above ${result.toleranceM2} m² (no child region covers them; ` +
              'a point there is placed only in the parent):',
          );
          for (const g of result.gaps)
            console.warn(
              `  [gap] in ${g.parent}: ${g.areaM2} m² around [${g.at[0].toFixed(6)}, ${g.at[1].toFixed(6)}]`,
            );
        }
      } catch (error) {
        if (!isAppError(error) || error.code !== 'validation_failed') throw error;
        console.error(`rejected: ${error.message}`);
        for (const p of (error.details?.problems ?? []) as FeatureProblem[])
          console.error(`  [${p.reason}] ${p.message}`);
        process.exitCode = 1;
      } finally {
        await database.close();
      }
    });
}

/** One line per step, rewritten in place on a terminal. */
function progress(p: ImportProgress): void {
  const line = `${p.phase} ${p.done}/${p.total}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}${p.done === p.total ? '\n' : ''}`);
  else process.stderr.write(`${line}\n`);
}
