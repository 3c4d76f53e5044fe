import type { Selectable } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import type { ImportKind } from '../../core/imports/fields.ts';
import type { ImportRowReason } from '../../core/imports/rows.ts';
import { canSeeImportRun, importScope } from '../../core/imports/policy.ts';
import type { Database } from '../../db/database.ts';
import type { ImportRunsTable, ImportStatus } from '../../db/schema/imports.ts';

/** A run as the API and the CLI show it: counts, progress (0–1 by bytes read), status. */
export interface ImportRunView {
  id: string;
  kind: ImportKind;
  fileName: string;
  format: 'csv' | 'xlsx';
  fileSize: number;
  streetCode: string | null;
  createdBy: string | null;
  dryRun: boolean;
  status: ImportStatus;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  refused: number;
  progress: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ImportRowErrorView {
  row: number;
  column: string | null;
  value: string | null;
  reason: ImportRowReason;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function presentRun(r: Selectable<ImportRunsTable>): ImportRunView {
  return {
    id: r.id,
    kind: r.kind,
    fileName: r.file_name,
    format: r.file_format,
    fileSize: r.file_size,
    streetCode: r.street_code,
    createdBy: r.created_by,
    dryRun: r.dry_run,
    status: r.status,
    rowsRead: r.rows_read,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    refused: r.refused,
    progress:
      r.status === 'done'
        ? 1
        : r.file_size > 0
          ? Math.min(1, Math.round((r.bytes_read / r.file_size) * 1000) / 1000)
          : 0,
    error: r.error,
    createdAt: r.created_at.toISOString(),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  };
}

/** A run whose process stopped writing for this long is taken as interrupted (a batch takes seconds). */
export const STALE_RUN_MS = 10 * 60_000;

/**
 * Marks runs whose process died mid-run (server restart, crash) as failed, so they do not show as
 * running for ever; their committed batches stay, and importing the file again completes them.
 */
export async function failStaleRuns(database: Database, now: Date): Promise<void> {
  await database.db
    .updateTable('import_runs')
    .set({ status: 'failed', error: 'interrupted: the process running it stopped', finished_at: now })
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', new Date(now.getTime() - STALE_RUN_MS))
    .execute();
}

/** A run by id, without an access check (the CLI, and after the caller checked). */
export async function readImportRun(database: Database, id: string): Promise<ImportRunView> {
  const run = await database.db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!run) throw new AppError('not_found', `No import ${id}`);
  return presentRun(run);
}

/** A run the actor may see; another street's run does not exist for them (404). */
export async function getImportRun(
  database: Database,
  actor: Actor,
  id: string,
  now: Date = new Date(),
): Promise<ImportRunView> {
  await failStaleRuns(database, now);
  const run = await database.db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!run || !canSeeImportRun(actor, run.street_code)) throw new AppError('not_found', `No import ${id}`);
  return presentRun(run);
}

/** The latest runs the actor may see, newest first. */
export async function listImportRuns(
  database: Database,
  actor: Actor,
  options: { limit: number; kind?: ImportKind | undefined; now?: Date },
): Promise<ImportRunView[]> {
  const scope = importScope(actor);
  if (!scope)
    throw new AppError('forbidden', 'Only administrators and street operators import base information');
  await failStaleRuns(database, options.now ?? new Date());
  let query = database.db.selectFrom('import_runs').selectAll().orderBy('created_at', 'desc').orderBy('id');
  if (scope.kind === 'street') query = query.where('street_code', '=', scope.code);
  if (options.kind) query = query.where('kind', '=', options.kind);
  return (await query.limit(options.limit).execute()).map(presentRun);
}

/** A page of a run's refused rows, in row order. */
export async function listImportRowErrors(
  database: Database,
  actor: Actor,
  id: string,
  page: { offset: number; limit: number },
): Promise<{ total: number; items: ImportRowErrorView[] }> {
  await getImportRun(database, actor, id);
  const total = await database.db
    .selectFrom('import_row_errors')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('run_id', '=', id)
    .executeTakeFirstOrThrow();
  const items = await database.db
    .selectFrom('import_row_errors')
    .select(['row_no', 'col', 'value', 'reason'])
    .where('run_id', '=', id)
    .orderBy('seq')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return {
    total: Number(total.n),
    items: items.map((e) => ({
      row: e.row_no,
      column: e.col,
      value: e.value,
      reason: e.reason as ImportRowReason,
    })),
  };
}

/** Every refused row of a run, streamed in pages (for the CSV download and `--errors-out`). */
export async function* allImportRowErrors(
  database: Database,
  id: string,
): AsyncGenerator<ImportRowErrorView> {
  const PAGE = 2000;
  let after = 0;
  for (;;) {
    const rows = await database.db
      .selectFrom('import_row_errors')
      .select(['seq', 'row_no', 'col', 'value', 'reason'])
      .where('run_id', '=', id)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const e of rows)
      yield { row: e.row_no, column: e.col, value: e.value, reason: e.reason as ImportRowReason };
    const last = rows[rows.length - 1];
    if (!last || rows.length < PAGE) return;
    after = last.seq;
  }
}
