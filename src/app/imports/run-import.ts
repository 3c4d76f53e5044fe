import type { Kysely } from 'kysely';
import { dateKeyOf } from '../../core/calendar/time.ts';
import { AppError } from '../../core/errors.ts';
import type { Crs } from '../../core/geo/crs.ts';
import type { ImportKind } from '../../core/imports/fields.ts';
import { mapHeaders, rowFields, type HeaderMapping } from '../../core/imports/headers.ts';
import {
  parseAddressRow,
  parseDwellingRow,
  parsePersonRow,
  parseUnitRow,
  type Parsed,
} from '../../core/imports/rows.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema/index.ts';
import type { Logger } from '../logger.ts';
import { regionIndexCache } from '../territory/region-index-cache.ts';
import type { BatchContext, BatchResult, BatchRow, ImportSealer, RowReport } from './batch.ts';
import { readTable } from './read-table.ts';
import { writeAddresses, type CommitteeLookup } from './write-addresses.ts';
import { writeDwellings } from './write-dwellings.ts';
import { writePeople } from './write-people.ts';
import { writeUnits } from './write-units.ts';

/**
 * The import job (issue 12 §4): streams the run's file row by row, parses each row with the core rules,
 * and every `batchSize` rows matches, upserts and records the batch's refused rows and the run's counts
 * in ONE transaction — so a crash leaves whole batches, the progress is what is written, and a re-run of
 * the same file finds every record unchanged. A dry run does all of it but the upserts.
 */

export interface RunImportDeps {
  database: Database;
  logger: Logger;
  sealer: ImportSealer;
  now?: () => Date;
}

export interface RunImportOptions {
  batchSize?: number;
  /** The datum of 经度/纬度 when the file has no 坐标系 column. */
  defaultCrs?: Crs;
  onProgress?: (progress: ImportCounts) => void;
}

export interface ImportCounts {
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  refused: number;
  bytesRead: number;
  fileSize: number;
}

export interface ImportOutcome extends ImportCounts {
  id: string;
  status: 'done' | 'failed';
  dryRun: boolean;
  error: string | null;
}

const DEFAULT_BATCH = 500;

/** Runs an uploaded import. Refuses (conflict) a run that is not waiting to start: each runs once. */
export async function runImport(
  deps: RunImportDeps,
  runId: string,
  options: RunImportOptions = {},
): Promise<ImportOutcome> {
  const { database, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const run = await database.db
    .updateTable('import_runs')
    .set({ status: 'running', started_at: now(), heartbeat_at: now() })
    .where('id', '=', runId)
    .where('status', '=', 'uploaded')
    .returningAll()
    .executeTakeFirst();
  if (!run) throw new AppError('conflict', `Import ${runId} is not waiting to start`);

  const counts: ImportCounts = {
    rowsRead: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    refused: 0,
    bytesRead: 0,
    fileSize: run.file_size,
  };
  const finish = async (status: 'done' | 'failed', error: string | null): Promise<ImportOutcome> => {
    await database.db
      .updateTable('import_runs')
      .set({ status, error, finished_at: now(), heartbeat_at: now(), bytes_read: run.file_size })
      .where('id', '=', runId)
      .execute();
    options.onProgress?.({ ...counts, bytesRead: counts.fileSize });
    return { id: runId, status, dryRun: run.dry_run, error, ...counts, bytesRead: counts.fileSize };
  };

  try {
    const job = await prepare(deps, run.kind, run.street_code, options.defaultCrs ?? 'wgs84');
    let mapping: HeaderMapping | null = null;
    let headers: string[] = [];
    const seen = new Map<string, number>();
    let seq = 0;
    let pending: BatchRow<unknown>[] = [];
    let pendingProblems: RowReport[] = [];
    const batchSize = options.batchSize ?? DEFAULT_BATCH;

    const flush = async (rowsRead: number, bytesRead: number) => {
      const rows = pending;
      const parseProblems = pendingProblems;
      pending = [];
      pendingProblems = [];
      const result = await inBatchTransaction(database, logger, runId, async (db) => {
        const ctx: BatchContext = {
          db,
          runId,
          streetCode: run.street_code,
          dryRun: run.dry_run,
          actorId: run.created_by,
          present: new Set(Object.keys(mapping?.columns ?? {})),
          committed: seen,
          seen: new Map(),
          sealer: deps.sealer,
          regions: job.regions,
          now: now(),
          today: dateKeyOf(now()),
        };
        const written = rows.length > 0 ? await job.write(ctx, rows) : emptyBatch();
        const problems = [...parseProblems, ...written.problems].sort((a, b) => a.row - b.row);
        const refusedRows = new Set(problems.map((p) => p.row)).size;
        if (problems.length > 0) {
          let s = seq;
          await db
            .insertInto('import_row_errors')
            .values(
              problems.map((p) => ({
                run_id: runId,
                seq: ++s,
                row_no: p.row,
                col:
                  p.problem.field === null
                    ? null
                    : (headers[mapping?.columns[p.problem.field] ?? -1] ?? p.problem.field),
                value: p.problem.value,
                reason: p.problem.reason,
              })),
            )
            .execute();
        }
        await db
          .updateTable('import_runs')
          .set((eb) => ({
            rows_read: rowsRead,
            bytes_read: Math.min(bytesRead, run.file_size),
            inserted: eb('inserted', '+', written.inserted),
            updated: eb('updated', '+', written.updated),
            unchanged: eb('unchanged', '+', written.unchanged),
            refused: eb('refused', '+', refusedRows),
            heartbeat_at: now(),
          }))
          .where('id', '=', runId)
          .execute();
        return { written, problems, refusedRows, seen: ctx.seen };
      });
      // only a committed batch's keys count as seen (a retried batch starts from the same set)
      for (const [k, v] of result.seen) seen.set(k, v);
      seq += result.problems.length;
      counts.inserted += result.written.inserted;
      counts.updated += result.written.updated;
      counts.unchanged += result.written.unchanged;
      counts.refused += result.refusedRows;
      counts.rowsRead = rowsRead;
      counts.bytesRead = bytesRead;
      options.onProgress?.({ ...counts });
    };

    let rowsRead = 0;
    let bytesRead = 0;
    for await (const { row, cells, bytes } of readTable(run.file_path, run.file_format)) {
      bytesRead = bytes;
      if (mapping === null) {
        headers = cells.map((c) => c.trim());
        mapping = mapHeaders(run.kind, headers);
        if (mapping.missing.length > 0) return await finish('failed', missingColumnsMessage(mapping));
        continue;
      }
      if (cells.every((c) => c.trim() === '')) continue;
      rowsRead++;
      const fields = rowFields(mapping, cells);
      const parsed = job.parse(fields);
      if (parsed.ok) pending.push({ row, fields, value: parsed.value });
      else for (const p of parsed.problems) pendingProblems.push({ row, problem: p });
      if (pending.length >= batchSize || pendingProblems.length >= batchSize)
        await flush(rowsRead, bytesRead);
    }
    if (mapping === null) return await finish('failed', 'The file is empty (no header row)');
    await flush(rowsRead, bytesRead);
    return await finish('done', null);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ err: error, runId, kind: run.kind }, 'import run failed');
    return await finish('failed', message.slice(0, 1000));
  }
}

export const missingColumnsMessage = (mapping: HeaderMapping): string =>
  `Missing columns: ${mapping.missing.join(', ')}`;

const emptyBatch = (): BatchResult => ({ inserted: 0, updated: 0, unchanged: 0, problems: [] });

interface Job {
  regions: BatchContext['regions'];
  parse: (fields: Record<string, string>) => Parsed<unknown>;
  write: (ctx: BatchContext, rows: BatchRow<unknown>[]) => Promise<BatchResult>;
}

/** The parser and writer of a kind, and what they read once per run (regions, committees). */
async function prepare(
  deps: RunImportDeps,
  kind: ImportKind,
  streetCode: string | null,
  defaultCrs: Crs,
): Promise<Job> {
  const today = dateKeyOf((deps.now ?? (() => new Date()))());
  const regions = await regionIndexCache(deps.database).get();
  switch (kind) {
    case 'addresses': {
      const committees = await committeeLookup(deps.database, streetCode);
      return {
        regions,
        parse: (fields) => parseAddressRow(fields, defaultCrs),
        write: (ctx, rows) => writeAddresses(ctx, rows as Parameters<typeof writeAddresses>[1], committees),
      };
    }
    case 'dwellings':
      return {
        regions,
        parse: (fields) => parseDwellingRow(fields),
        write: (ctx, rows) => writeDwellings(ctx, rows as Parameters<typeof writeDwellings>[1]),
      };
    case 'people':
      return {
        regions,
        parse: (fields) => parsePersonRow(fields, today),
        write: (ctx, rows) => writePeople(ctx, rows as Parameters<typeof writePeople>[1]),
      };
    case 'units':
      return {
        regions,
        parse: (fields) => parseUnitRow(fields, today),
        write: (ctx, rows) => writeUnits(ctx, rows as Parameters<typeof writeUnits>[1]),
      };
  }
}

/** Committees named by code (12 digits) or by name, within a street. */
async function committeeLookup(database: Database, streetCode: string | null): Promise<CommitteeLookup> {
  let query = database.db
    .selectFrom('regions')
    .select(['code', 'name', 'parent_code'])
    .where('level', '=', 'committee');
  if (streetCode !== null) query = query.where('parent_code', '=', streetCode);
  const rows = await query.execute();
  const byCode = new Map(rows.map((r) => [r.code, r.parent_code]));
  const byName = new Map(rows.map((r) => [`${r.parent_code}:${r.name}`, r.code]));
  return (street, text) => {
    const t = text.normalize('NFKC').trim();
    if (byCode.get(t) === street) return t;
    return (
      byName.get(`${street}:${t}`) ??
      byName.get(`${street}:${t}居委会`) ??
      byName.get(`${street}:${t}村委会`) ??
      null
    );
  };
}

/**
 * One batch, one transaction. Two runs writing the same new record at once collide on its unique key:
 * the loser's batch rolls back and is tried again once, when it finds the winner's row and updates it.
 */
async function inBatchTransaction<T>(
  database: Database,
  logger: Logger,
  runId: string,
  body: (db: Kysely<DB>) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.db.transaction().execute((trx) => body(trx));
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (attempt >= 2 || (code !== '23505' && code !== '40P01')) throw error;
      logger.warn({ err: error, runId }, 'an import batch collided with another writer; trying it again');
    }
  }
}
