import fs from 'node:fs/promises';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import type { ImportKind } from '../../core/imports/fields.ts';
import { mapHeaders, rowFields, type HeaderMapping } from '../../core/imports/headers.ts';
import { canImportInto, importScope } from '../../core/imports/policy.ts';
import { maskForReport } from '../../core/imports/rows.ts';
import type { Database } from '../../db/database.ts';
import { readImportRun, type ImportRunView } from './query-imports.ts';
import { formatOf, readTable } from './read-table.ts';

export interface ImportPreview {
  /** The file's header row as written. */
  headers: string[];
  /** field → the header text that maps to it. */
  mapping: Record<string, string>;
  ignored: string[];
  missing: string[];
  duplicates: string[];
  /** The first rows as field → value (ID and phone numbers masked). */
  rows: { row: number; values: Record<string, string> }[];
}

export interface CreateImportInput {
  kind: ImportKind;
  fileName: string;
  /** Where the file is (the server stores uploads in DATA_DIR/imports; the CLI points at the user's file). */
  filePath: string;
  /** The street the rows are for; a street operator's own street when absent. */
  streetCode: string | null;
  dryRun: boolean;
}

const PREVIEW_ROWS = 5;
const MASKED: ReadonlySet<string> = new Set(['idNumber', 'phone']);

/**
 * Registers an import file as a run waiting to start, after checking who may import into which street
 * and that the file is a readable table; returns the run and a preview (the column mapping and the first
 * rows) so the user can check the file before a dry run or the real one.
 */
export async function createImportRun(
  database: Database,
  actor: Actor,
  input: CreateImportInput,
): Promise<{ run: ImportRunView; preview: ImportPreview }> {
  const scope = importScope(actor);
  if (!scope)
    throw new AppError('forbidden', 'Only administrators and street operators import base information');
  const streetCode = input.streetCode ?? (scope.kind === 'street' ? scope.code : null);
  if (!canImportInto(actor, streetCode))
    throw new AppError('forbidden', `You may not import into street ${streetCode ?? '(none)'}`);
  if (streetCode !== null) {
    const street = await database.db
      .selectFrom('regions')
      .select('code')
      .where('code', '=', streetCode)
      .where('level', '=', 'street')
      .executeTakeFirst();
    if (!street) throw new AppError('validation_failed', `No street ${streetCode}`);
  }
  const format = await formatOf(input.filePath);
  const size = (await fs.stat(input.filePath)).size;
  const preview = await previewTable(input.kind, input.filePath, format);
  const created = await database.db
    .insertInto('import_runs')
    .values({
      kind: input.kind,
      file_name: input.fileName.slice(0, 255),
      file_path: input.filePath,
      file_format: format,
      file_size: size,
      street_code: streetCode,
      created_by: actor.role === 'system' ? null : actor.userId,
      dry_run: input.dryRun,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { run: await readImportRun(database, created.id), preview };
}

/** The header mapping and the first rows of a file. */
export async function previewTable(
  kind: ImportKind,
  filePath: string,
  format?: 'csv' | 'xlsx',
): Promise<ImportPreview> {
  let headers: string[] | null = null;
  let mapping: HeaderMapping | null = null;
  const rows: ImportPreview['rows'] = [];
  for await (const { row, cells } of readTable(filePath, format)) {
    if (headers === null || mapping === null) {
      headers = cells.map((c) => c.trim());
      mapping = mapHeaders(kind, headers);
      continue;
    }
    if (cells.every((c) => c.trim() === '')) continue;
    const values = rowFields(mapping, cells);
    for (const field of Object.keys(values))
      if (MASKED.has(field)) values[field] = maskForReport(values[field] ?? '');
    rows.push({ row, values });
    if (rows.length >= PREVIEW_ROWS) break;
  }
  if (headers === null || mapping === null)
    throw new AppError('validation_failed', 'The file is empty (no header row)', {
      reason: 'unreadable_file',
    });
  const header = headers;
  return {
    headers: header,
    mapping: Object.fromEntries(Object.entries(mapping.columns).map(([f, i]) => [f, header[i] ?? ''])),
    ignored: mapping.ignored,
    missing: mapping.missing,
    duplicates: mapping.duplicates,
    rows,
  };
}
