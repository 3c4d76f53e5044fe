import fs from 'node:fs/promises';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import { getImportRun, readImportRun, type ImportRunView } from './query-imports.ts';

/**
 * Makes a run ready to start, as a dry run or for real: an uploaded run that never ran is used as it is;
 * a finished one (typically the dry run before the real import) gives a new run over the same file, so
 * every run keeps its own report. The caller then hands the returned run to `runImport`.
 */
export async function prepareImportStart(
  database: Database,
  actor: Actor,
  id: string,
  options: { dryRun: boolean },
): Promise<ImportRunView> {
  const run = await getImportRun(database, actor, id);
  if (run.status === 'running') throw new AppError('conflict', `Import ${id} is running`);
  const stored = await database.db
    .selectFrom('import_runs')
    .select(['file_path', 'file_name', 'file_format', 'file_size', 'kind', 'street_code'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  try {
    await fs.access(stored.file_path);
  } catch {
    throw new AppError('conflict', 'The uploaded file is no longer there; upload it again');
  }
  if (run.status === 'uploaded') {
    const updated = await database.db
      .updateTable('import_runs')
      .set({ dry_run: options.dryRun })
      .where('id', '=', id)
      .where('status', '=', 'uploaded')
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new AppError('conflict', `Import ${id} has just been started`);
    return readImportRun(database, id);
  }
  const created = await database.db
    .insertInto('import_runs')
    .values({ ...stored, created_by: actor.role === 'system' ? null : actor.userId, dry_run: options.dryRun })
    .returning('id')
    .executeTakeFirstOrThrow();
  return readImportRun(database, created.id);
}
