/**
 * Territory codes (DESIGN §3): district 6 digits (GB/T 2260), street/town 9, committee 12 (统计用区划代码),
 * unit grid = committee code + 2-digit sequence, 14 digits (in the spirit of CJ/T 213). Each code
 * starts with its parent's code, so the tree can be read from the codes alone.
 */
export const REGION_LEVELS = ['district', 'street', 'committee', 'grid'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export const CODE_LENGTH: Record<RegionLevel, number> = { district: 6, street: 9, committee: 12, grid: 14 };

/** The level a code's length implies, or null for a malformed code. */
export function levelOfCode(code: string): RegionLevel | null {
  if (!/^[0-9]+$/.test(code)) return null;
  return REGION_LEVELS.find((level) => CODE_LENGTH[level] === code.length) ?? null;
}

/** The parent's code read from the prefix; null for a district (the root of our tree). */
export function parentCodeOf(code: string): string | null {
  const level = levelOfCode(code);
  if (!level || level === 'district') return null;
  const parentLevel = REGION_LEVELS[REGION_LEVELS.indexOf(level) - 1]!;
  return code.slice(0, CODE_LENGTH[parentLevel]);
}

/** The grid code for the `sequence`-th grid (1-based) of a committee. */
export function gridCode(committeeCode: string, sequence: number): string {
  if (sequence < 1 || sequence > 99) throw new RangeError(`grid sequence must be 1..99, got ${sequence}`);
  return committeeCode + String(sequence).padStart(2, '0');
}
