import { sql } from 'kysely';
import { RegionIndex, type IndexedRegion } from '../../core/geo/region-index.ts';
import type { AreaGeometry } from '../../core/geo/types.ts';
import type { Database } from '../../db/database.ts';

/** Reads every region with a polygon and builds the spatial index over them. */
export async function loadRegionIndex(database: Database): Promise<RegionIndex> {
  const rows = await database.db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'parent_code', 'geometry'])
    .where('geometry', 'is not', null)
    .execute();
  const regions: IndexedRegion[] = [];
  for (const r of rows) {
    const geometry = r.geometry as AreaGeometry | null;
    // geometry is validated on import; anything else (a stray Point) cannot contain a point anyway
    if (geometry?.type !== 'Polygon' && geometry?.type !== 'MultiPolygon') continue;
    regions.push({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code, geometry });
  }
  return RegionIndex.build(regions);
}

/**
 * Cheap change detector for the regions table: the row count and the sum of the rows' transaction ids
 * (`xmin`), which moves whenever a row is inserted, updated or deleted — also by another process (a CLI
 * import) or another server instance sharing the database.
 */
/** A cheap version of the regions table (row count and transaction ids): it changes with any write. */
export async function fingerprint(database: Database): Promise<string> {
  const { rows } = await sql<{ n: string; x: string | null }>`
    select count(*)::text as n, sum(xmin::text::bigint)::text as x from regions`.execute(database.db);
  return `${rows[0]?.n}:${rows[0]?.x ?? 0}`;
}

export interface RegionIndexCache {
  /** The current index; rebuilt when invalidated or when the regions table changed. */
  get(): Promise<RegionIndex>;
  /** Forces a rebuild on the next `get` (call after writing regions in this process). */
  invalidate(): void;
}

export interface CacheOptions {
  /** How often `get` asks the database whether the regions changed (ms). */
  checkIntervalMs?: number;
  clock?: () => number;
}

/**
 * Keeps one RegionIndex in memory per database handle. Building it reads every polygon, so it is built
 * once and reused; at most every `checkIntervalMs` a one-row query checks whether the regions changed
 * elsewhere (imports by the CLI or another instance), so every instance picks up new boundaries within
 * seconds without any messaging.
 */
export function createRegionIndexCache(database: Database, options: CacheOptions = {}): RegionIndexCache {
  const interval = options.checkIntervalMs ?? 5_000;
  const clock = options.clock ?? Date.now;
  let index: RegionIndex | null = null;
  let indexFingerprint = '';
  let checkedAt = -Infinity;
  let generation = 0; // bumped by invalidate(); a build that started earlier does not clear it
  let builtGeneration = -1;
  let pending: Promise<RegionIndex> | null = null;
  let pendingGeneration = -1;

  const refresh = async (): Promise<RegionIndex> => {
    const startedGeneration = generation;
    const current = await fingerprint(database);
    if (!index || builtGeneration !== startedGeneration || current !== indexFingerprint) {
      index = await loadRegionIndex(database);
      indexFingerprint = current;
    }
    builtGeneration = startedGeneration;
    checkedAt = clock();
    return index;
  };

  return {
    get() {
      if (index && builtGeneration === generation && clock() - checkedAt < interval)
        return Promise.resolve(index);
      // a refresh that started before the latest invalidate() may miss it: queue a fresh one behind it
      if (!pending || pendingGeneration !== generation) {
        const before = pending ?? Promise.resolve();
        const run: Promise<RegionIndex> = before
          // the earlier refresh's failure went to those who awaited it; this one starts afresh
          .catch(() => undefined)
          .then(refresh)
          .finally(() => {
            if (pending === run) pending = null;
          });
        pending = run;
        pendingGeneration = generation;
      }
      return pending;
    },
    invalidate() {
      generation++;
    },
  };
}

const shared = new WeakMap<Database, RegionIndexCache>();

/** The process-wide cache for this database handle (locate, case reports and imports all share it). */
export function regionIndexCache(database: Database): RegionIndexCache {
  let cache = shared.get(database);
  if (!cache) {
    cache = createRegionIndexCache(database);
    shared.set(database, cache);
  }
  return cache;
}
