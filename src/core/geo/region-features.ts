import { convertGeometry, type Crs } from './crs.ts';
import { levelOfCode, parentCodeOf, REGION_LEVELS, type RegionLevel } from './region-code.ts';
import type { AreaGeometry } from './types.ts';
import { validateAreaGeometry, type GeometryProblemReason } from './validate.ts';

/** A region read from an import file, checked and converted to WGS84. */
export interface ParsedRegion {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  geometry: AreaGeometry;
}

export type FeatureProblemReason =
  | 'not_feature_collection'
  | 'not_feature'
  | 'bad_code' // missing, or not 6/9/12/14 digits
  | 'missing_name'
  | 'wrong_level' // the level given does not match the code's length
  | 'parent_mismatch' // the parent given is not the code's prefix
  | 'unknown_parent' // the parent is neither in the file nor in the database
  | 'duplicate_code'
  | 'overlap' // two regions of one parent overlap by more than the tolerance
  | 'outside_parent' // a region reaches outside its parent by more than the tolerance
  | GeometryProblemReason;

export interface FeatureProblem {
  /** 0-based position in `features`; null for a problem with the file as a whole. */
  index: number | null;
  code: string | null;
  reason: FeatureProblemReason;
  message: string;
}

export interface ParseOptions {
  /** The datum of the file's coordinates; they are stored as WGS84. */
  crs: Crs;
  /** Codes already in the database (parents may live there). */
  existingCodes: ReadonlySet<string>;
  onProgress?: (done: number, total: number) => void;
}

type Props = {
  code?: unknown;
  name?: unknown;
  level?: unknown;
  parent?: unknown;
  parent_code?: unknown;
  parentCode?: unknown;
};

const codeOf = (value: unknown): string | null =>
  typeof value === 'string'
    ? value.trim()
    : typeof value === 'number' && Number.isSafeInteger(value)
      ? String(value)
      : null;

/**
 * Reads a territory GeoJSON FeatureCollection (properties: `code`, `name`, optional `level`, optional
 * `parent` — otherwise the parent is read from the code prefix) and checks every feature, collecting ALL
 * problems rather than stopping at the first, so an operator can fix a file in one pass. The caller
 * imports the regions only when `problems` is empty.
 */
export function parseRegionCollection(
  input: unknown,
  options: ParseOptions,
): { regions: ParsedRegion[]; problems: FeatureProblem[] } {
  const features = (input as { type?: unknown; features?: unknown } | null)?.features;
  if ((input as { type?: unknown } | null)?.type !== 'FeatureCollection' || !Array.isArray(features)) {
    const message = 'the file must be a GeoJSON FeatureCollection with a features array';
    return {
      regions: [],
      problems: [{ index: null, code: null, reason: 'not_feature_collection', message }],
    };
  }
  const inFile = new Set<string>();
  for (const f of features as unknown[]) {
    const code = codeOf((f as { properties?: Props } | null)?.properties?.code);
    if (code) inFile.add(code);
  }

  const regions: ParsedRegion[] = [];
  const problems: FeatureProblem[] = [];
  const seen = new Set<string>();
  features.forEach((feature: unknown, index) => {
    const found = checkFeature(feature, index);
    problems.push(...found);
    if ((index + 1) % 100 === 0 || index + 1 === features.length)
      options.onProgress?.(index + 1, features.length);
  });
  return { regions, problems };

  function checkFeature(feature: unknown, index: number): FeatureProblem[] {
    const found: FeatureProblem[] = [];
    const report = (reason: FeatureProblemReason, message: string, code: string | null) =>
      found.push({ index, code, reason, message: `feature ${index}${code ? ` (${code})` : ''}: ${message}` });
    const f = feature as { type?: unknown; properties?: Props | null; geometry?: unknown } | null;
    if (f?.type !== 'Feature') {
      report('not_feature', 'is not a GeoJSON Feature', null);
      return found;
    }
    const props: Props = f.properties ?? {};
    const code = codeOf(props.code);
    const level = code ? levelOfCode(code) : null;
    if (!code || !level)
      report(
        'bad_code',
        `code must be 6, 9, 12 or 14 digits, got ${JSON.stringify(props.code ?? null)}`,
        code,
      );
    else if (seen.has(code)) report('duplicate_code', 'the code appears more than once in the file', code);
    if (code) seen.add(code);

    const name = typeof props.name === 'string' ? props.name.trim() : '';
    if (!name) report('missing_name', 'name is missing', code);

    if (props.level !== undefined && props.level !== null && level && props.level !== level) {
      const known = (REGION_LEVELS as readonly unknown[]).includes(props.level) ? '' : ' (unknown level)';
      report(
        'wrong_level',
        `level ${JSON.stringify(props.level)}${known} does not match a ${code!.length}-digit code (${level})`,
        code,
      );
    }

    const givenParent = codeOf(props.parent ?? props.parent_code ?? props.parentCode);
    const parentCode = code && level ? parentCodeOf(code) : null;
    if (level && level !== 'district') {
      if (givenParent && givenParent !== parentCode) {
        report(
          'parent_mismatch',
          `parent ${givenParent} is not the prefix of the code (expected ${parentCode})`,
          code,
        );
      } else if (parentCode && !inFile.has(parentCode) && !options.existingCodes.has(parentCode)) {
        report('unknown_parent', `parent ${parentCode} is neither in the file nor in the database`, code);
      }
    }

    const checked = validateAreaGeometry(f.geometry);
    if (!checked.ok) for (const p of checked.error) report(p.reason, p.message, code);

    if (found.length === 0 && checked.ok) {
      regions.push({
        code: code!,
        name,
        level: level!,
        parentCode,
        geometry: convertGeometry(checked.value, options.crs, 'wgs84'),
      });
    }
    return found;
  }
}
