import type { Kysely } from 'kysely';
import type { BaseEntity } from '../../core/baseinfo/index.ts';
import type { RegionIndex } from '../../core/geo/region-index.ts';
import { problem, type RowProblem } from '../../core/imports/rows.ts';
import type { DB } from '../../db/schema/index.ts';

/**
 * What every kind's batch writer shares (issue 12 §4): the run it writes for, the transaction, the natural
 * keys met so far in the file (a second row with the same key is a duplicate, reported), and the change
 * history it appends to. A dry run computes the same outcome and writes nothing but the run's own report.
 */

/** Encrypts personal data and computes its lookup hashes (src/app/baseinfo/pii.ts behind it). */
export interface ImportSealer {
  /** The key the ciphertexts are written under (`pii_key_id`). */
  keyId: string;
  /** Authenticated encryption of an ID (`id_number`) or phone (`phone`) number. */
  seal(field: 'id_number' | 'phone', plain: string): string;
  idHash(idType: string, idNumber: string): string;
  phoneHash(phone: string): string;
}

export interface BatchContext {
  db: Kysely<DB>;
  runId: string;
  /** The street the run is for (a street operator's); null = anywhere in the district (admins). */
  streetCode: string | null;
  dryRun: boolean;
  actorId: string | null;
  /** The fields the file has a column for: fields it lacks are left as they are on existing records. */
  present: ReadonlySet<string>;
  /** Natural key → the row that first had it, in the batches committed before this one. */
  committed: ReadonlyMap<string, number>;
  /** The same for this batch (merged into `committed` when the batch commits). */
  seen: Map<string, number>;
  sealer: ImportSealer;
  regions: RegionIndex;
  now: Date;
  /** The calendar day in Shanghai (YYYY-MM-DD): dates after it are refused. */
  today: string;
}

export interface BatchRow<T> {
  row: number;
  fields: Record<string, string>;
  value: T;
}

export interface RowReport {
  row: number;
  problem: RowProblem;
}

export interface BatchResult {
  inserted: number;
  updated: number;
  unchanged: number;
  problems: RowReport[];
}

export const emptyResult = (): BatchResult => ({ inserted: 0, updated: 0, unchanged: 0, problems: [] });

/** Records `key` for `row`; false (and a `duplicate_in_file` problem) when an earlier row had it. */
export function claimKey(
  ctx: BatchContext,
  result: BatchResult,
  key: string,
  row: BatchRow<unknown>,
  field: string | null,
): boolean {
  const first = ctx.committed.get(key) ?? ctx.seen.get(key);
  if (first !== undefined) {
    result.problems.push({ row: row.row, problem: { ...problem(field, 'duplicate_in_file', row.fields) } });
    return false;
  }
  ctx.seen.set(key, row.row);
  return true;
}

export type Changes = Record<string, { from: unknown; to: unknown } | { changed: true }>;

/**
 * The fields that differ between a stored record and the row (only fields the file has a column for).
 * `secret` fields (ciphertext columns compared by their hash) are recorded as changed, never by value.
 */
export function diff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  secret: ReadonlySet<string> = new Set(),
): Changes {
  const changes: Changes = {};
  for (const [field, to] of Object.entries(after)) {
    const from = before[field] ?? null;
    if (same(from, to ?? null)) continue;
    changes[field] = secret.has(field) ? { changed: true } : { from, to: to ?? null };
  }
  return changes;
}

const same = (a: unknown, b: unknown): boolean =>
  typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 1e-9 : a === b;

/** Appends the change history rows of a batch (source `import`, the run's id as `source_ref`). */
export async function writeHistory(
  ctx: BatchContext,
  entries: { entity: BaseEntity; entityId: string; action: 'create' | 'update'; changes: Changes }[],
): Promise<void> {
  if (ctx.dryRun || entries.length === 0) return;
  await ctx.db
    .insertInto('base_history')
    .values(
      entries.map((e) => ({
        entity: e.entity,
        entity_id: e.entityId,
        action: e.action,
        changes: JSON.stringify(e.changes),
        actor_id: ctx.actorId,
        source: 'import' as const,
        source_ref: ctx.runId,
        at: ctx.now,
      })),
    )
    .execute();
}

/** Keeps only the entries of `record` whose field the file has (by the file's field names). */
export function presentOnly<T extends Record<string, unknown>>(
  ctx: BatchContext,
  record: T,
  columnOf: Record<string, string>,
): Partial<T> {
  const out: Partial<T> = {};
  for (const [column, value] of Object.entries(record)) {
    const field = columnOf[column];
    if (field === undefined || ctx.present.has(field)) (out as Record<string, unknown>)[column] = value;
  }
  return out;
}
