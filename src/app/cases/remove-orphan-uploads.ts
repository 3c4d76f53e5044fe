import { sql, type SqlBool } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { FileStore } from './file-store.ts';

/** An upload not linked to a case within this time is removed (issue 9 finding 11). */
export const ORPHAN_UPLOAD_TTL_MS = 24 * 3600_000;

export interface OrphanSweepReport {
  /** Upload rows removed. */
  removed: number;
  /** Stored files whose last row went with them. */
  filesRemoved: number;
}

/**
 * Removes uploads that were never linked to a case within a day, and their bytes when no other upload
 * shares them. Safe on several processes at once: each row goes with one `delete … returning` (a
 * concurrent pass finds it gone), and the bytes are removed only by the store's `removeIfUnused`, which
 * re-checks after taking the file out of place.
 */
export async function removeOrphanUploads(
  deps: { database: Database; files: FileStore; now: () => Date },
  options: { batchSize?: number } = {},
): Promise<OrphanSweepReport> {
  const cutoff = new Date(deps.now().getTime() - ORPHAN_UPLOAD_TTL_MS);
  const batchSize = options.batchSize ?? 500;
  const report: OrphanSweepReport = { removed: 0, filesRemoved: 0 };
  for (;;) {
    const gone = await deps.database.db
      .deleteFrom('attachments')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('attachments')
          .select('id')
          .where('case_id', 'is', null)
          .where('event_id', 'is', null)
          .where('uploaded_at', '<', cutoff)
          // a screening visit's photos belong to the visit (no case needed)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('screening_visits as v')
                  .select('v.id')
                  .where(sql<SqlBool>`v.photos @> array[attachments.id]`),
              ),
            ),
          )
          .limit(batchSize),
      )
      .where('case_id', 'is', null)
      .returning('sha256')
      .execute();
    report.removed += gone.length;
    for (const sha256 of new Set(gone.map((g) => g.sha256))) {
      const inUse = async () =>
        (await deps.database.db
          .selectFrom('attachments')
          .select('id')
          .where('sha256', '=', sha256)
          .limit(1)
          .executeTakeFirst()) !== undefined;
      if (!(await inUse()) && (await deps.files.removeIfUnused(sha256, inUse))) report.filesRemoved += 1;
    }
    if (gone.length < batchSize) return report;
  }
}
