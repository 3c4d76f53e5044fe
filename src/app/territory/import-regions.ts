import { AppError } from '../../core/errors.ts';
import type { Crs } from '../../core/geo/crs.ts';
import { areaM2, centroidOf } from '../../core/geo/measure.ts';
import { REGION_LEVELS, type RegionLevel } from '../../core/geo/region-code.ts';
import {
  parseRegionCollection,
  type FeatureProblem,
  type ParsedRegion,
} from '../../core/geo/region-features.ts';
import { coverageReport } from '../../core/geo/topology.ts';
import type { AreaGeometry, Position } from '../../core/geo/types.ts';
import type { Database } from '../../db/database.ts';
import { regionIndexCache } from './region-index-cache.ts';

export interface ImportProgress {
  phase: 'validating' | 'writing';
  done: number;
  total: number;
}

export interface ImportRegionsOptions {
  /** Datum of the file's coordinates (default WGS84); they are stored as WGS84. */
  crs?: Crs;
  /** Check the file only; write nothing. */
  dryRun?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  /** Rows per INSERT statement. */
  batchSize?: number;
  /**
   * Gaps, overlaps and parts outside the parent smaller than this (m²) are ignored as digitising noise.
   * Default DEFAULT_COVERAGE_TOLERANCE_M2.
   */
  toleranceM2?: number;
}

/** 1 m²: far above the float noise of a clean tiling, far below any real piece of territory. */
export const DEFAULT_COVERAGE_TOLERANCE_M2 = 1;

/** A part of a parent that none of its children covers (reported, not refused). */
export interface CoverageGap {
  parent: string;
  areaM2: number;
  /** A point in the gap (its centroid), WGS84. */
  at: Position;
}

export interface ImportRegionsResult {
  total: number;
  inserted: number;
  updated: number;
  byLevel: Record<RegionLevel, number>;
  dryRun: boolean;
  /**
   * Parts of parents (after the import) that no child covers, larger than the tolerance. They are
   * imported anyway — a deployment may load its grids committee by committee — but a point there has
   * no region of that level (locate snaps only within a few metres), so they are worth fixing.
   */
  gaps: CoverageGap[];
  toleranceM2: number;
}

/**
 * Imports a deployment's own territory (DESIGN §3, §8): a GeoJSON FeatureCollection of districts,
 * streets, committees and grids. Every feature is checked first; if any is bad, nothing is written and
 * the error lists ALL bad features (index, code, reason). Then the tiling is checked (checkCoverage):
 * overlaps between siblings and parts outside a parent are refused the same way; gaps are reported in
 * the result. Otherwise the regions are upserted by code in
 * ONE transaction — all or nothing — parents before children, and the in-memory region index is rebuilt.
 */
export async function importRegions(
  database: Database,
  collection: unknown,
  options: ImportRegionsOptions = {},
): Promise<ImportRegionsResult> {
  const existing = new Set(
    (await database.db.selectFrom('regions').select('code').execute()).map((r) => r.code),
  );
  const { regions, problems } = parseRegionCollection(collection, {
    crs: options.crs ?? 'wgs84',
    existingCodes: existing,
    onProgress: (done, total) => options.onProgress?.({ phase: 'validating', done, total }),
  });
  const total = Array.isArray((collection as { features?: unknown } | null)?.features)
    ? (collection as { features: unknown[] }).features.length
    : 0;
  if (problems.length > 0) {
    const bad = new Set(problems.map((p) => p.index)).size;
    throw new AppError('validation_failed', `${bad} of ${total} features are invalid; nothing was imported`, {
      problems,
    });
  }

  const toleranceM2 = options.toleranceM2 ?? DEFAULT_COVERAGE_TOLERANCE_M2;
  const coverage = await checkCoverage(database, regions, toleranceM2);
  if (coverage.problems.length > 0) {
    throw new AppError(
      'validation_failed',
      `${coverage.problems.length} overlaps or parts outside a parent above ${toleranceM2} m²; nothing was imported`,
      { problems: coverage.problems },
    );
  }

  const ordered = [...regions].sort(
    (a, b) => REGION_LEVELS.indexOf(a.level) - REGION_LEVELS.indexOf(b.level),
  );
  const byLevel = { district: 0, street: 0, committee: 0, grid: 0 };
  for (const r of ordered) byLevel[r.level]++;
  const inserted = ordered.filter((r) => !existing.has(r.code)).length;
  const result = {
    total: ordered.length,
    inserted,
    updated: ordered.length - inserted,
    byLevel,
    dryRun: options.dryRun ?? false,
    gaps: coverage.gaps,
    toleranceM2,
  };
  if (options.dryRun) return result;

  const batchSize = options.batchSize ?? 500;
  await database.db.transaction().execute(async (trx) => {
    for (let start = 0; start < ordered.length; start += batchSize) {
      const batch = ordered.slice(start, start + batchSize).map(toRow);
      await trx
        .insertInto('regions')
        .values(batch)
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            level: eb.ref('excluded.level'),
            parent_code: eb.ref('excluded.parent_code'),
            geometry: eb.ref('excluded.geometry'),
            centroid_lon: eb.ref('excluded.centroid_lon'),
            centroid_lat: eb.ref('excluded.centroid_lat'),
            area_m2: eb.ref('excluded.area_m2'),
            synthetic: eb.ref('excluded.synthetic'),
          })),
        )
        .execute();
      options.onProgress?.({
        phase: 'writing',
        done: Math.min(start + batchSize, ordered.length),
        total: ordered.length,
      });
    }
  });
  regionIndexCache(database).invalidate();
  return result;
}

const round = (n: number) => Math.round(n * 100) / 100;
const at = (p: Position) => `[${p[0].toFixed(6)}, ${p[1].toFixed(6)}]`;

/**
 * Checks the tiling the import would leave: for every parent that gains or changes a child (or is
 * itself replaced), its children — from the file, else from the database — must not overlap each other
 * or reach outside it (refused), and should cover it (gaps reported). Pieces up to `toleranceM2` pass.
 */
async function checkCoverage(
  database: Database,
  regions: ParsedRegion[],
  toleranceM2: number,
): Promise<{ problems: FeatureProblem[]; gaps: CoverageGap[] }> {
  const stored = await database.db
    .selectFrom('regions')
    .select(['code', 'parent_code', 'geometry'])
    .execute();
  const final = new Map<string, { parentCode: string | null; geometry: AreaGeometry }>();
  for (const r of stored)
    final.set(r.code, { parentCode: r.parent_code, geometry: r.geometry as AreaGeometry });
  for (const r of regions) final.set(r.code, { parentCode: r.parentCode, geometry: r.geometry });
  const childrenOf = new Map<string, { code: string; geometry: AreaGeometry }[]>();
  for (const [code, r] of final) {
    if (r.parentCode === null) continue;
    const list = childrenOf.get(r.parentCode) ?? [];
    list.push({ code, geometry: r.geometry });
    childrenOf.set(r.parentCode, list);
  }
  const affected = new Set<string>();
  for (const r of regions) {
    if (r.parentCode !== null) affected.add(r.parentCode);
    if (childrenOf.has(r.code)) affected.add(r.code);
  }
  const indexOf = new Map(regions.map((r, i) => [r.code, i] as const));
  const problems: FeatureProblem[] = [];
  const gaps: CoverageGap[] = [];
  for (const parent of [...affected].sort()) {
    const geometry = final.get(parent)?.geometry;
    const children = (childrenOf.get(parent) ?? []).sort((a, b) => (a.code < b.code ? -1 : 1));
    if (!geometry || children.length === 0) continue;
    const report = coverageReport(geometry, children, toleranceM2);
    // what was stored before (and passed its own import) is not this file's fault
    const fromFile = (code: string) => indexOf.has(code) || indexOf.has(parent);
    for (const o of report.overlaps) {
      if (!fromFile(o.a) && !fromFile(o.b)) continue;
      problems.push({
        index: indexOf.get(o.b) ?? indexOf.get(o.a) ?? null,
        code: o.b,
        reason: 'overlap',
        message: `${o.a} and ${o.b} overlap by ${round(o.areaM2)} m² around ${at(o.at)}`,
      });
    }
    for (const o of report.outside) {
      if (!fromFile(o.code)) continue;
      problems.push({
        index: indexOf.get(o.code) ?? null,
        code: o.code,
        reason: 'outside_parent',
        message: `${o.code} reaches ${round(o.areaM2)} m² outside its parent ${parent} around ${at(o.at)}`,
      });
    }
    for (const g of report.gaps) gaps.push({ parent, areaM2: round(g.areaM2), at: g.at });
  }
  return { problems, gaps };
}

function toRow(region: ParsedRegion) {
  const [lon, lat] = centroidOf(region.geometry);
  return {
    code: region.code,
    name: region.name,
    level: region.level,
    parent_code: region.parentCode,
    geometry: region.geometry,
    centroid_lon: lon,
    centroid_lat: lat,
    area_m2: areaM2(region.geometry),
    // imported boundaries are a deployment's own, not generated
    synthetic: false,
  };
}
