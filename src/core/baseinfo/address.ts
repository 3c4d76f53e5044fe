import type { AddressLevel } from './types.ts';

/**
 * Address text normalisation and the address-code scheme (标准地址, issue 12 §1, §5). One function turns
 * both stored addresses and what an operator types into the same canonical form, so "古美路１弄 3號
 * 502室", "古美路1弄3号502" and "上海市闵行区古美路1弄3号502室" all meet on "古美路1弄3号502".
 */

// variants → canonical character (traditional forms, synonyms for building)
const CHAR_VARIANTS: Record<string, string> = {
  號: '号',
  衖: '弄',
  栋: '幢',
  棟: '幢',
  座: '幢',
  单: '单',
  單: '单',
};

/**
 * The canonical form of an address text: NFKC (full-width digits, letters and spaces → half-width),
 * lower case, no whitespace or punctuation, the city/district prefix dropped, 號/衖/栋/座 → 号/弄/幢,
 * "3号楼"/"3#"/"3#楼" → "3幢", the trailing 室 of a room dropped.
 */
export function normalizeAddress(text: string): string {
  let s = text.normalize('NFKC').toLowerCase();
  s = Array.from(s, (ch) => CHAR_VARIANTS[ch] ?? ch).join('');
  s = s.replace(/[\s\u200b-\u200f\u2060\ufeff]+/g, '');
  s = s.replace(/^(中国)?(上海市?)?(闵行区)?/, '');
  s = s.replace(/([0-9]+)(号楼|#楼|#)/g, '$1幢');
  s = s.replace(/[,，、.。;；:：()（）[\]【】"'“”‘’]/g, '');
  s = s.replace(/([0-9]+)室/g, '$1');
  return s;
}

/** The pieces an address text is made of, outermost first, with each piece's level. */
export interface AddressSegment {
  level: AddressLevel;
  name: string;
}

const SEGMENT =
  /^(.*?[路街道巷弄村苑园坊城庭墅]|.*?[0-9]+弄)([0-9]+弄)?([0-9]+[a-z]?号)?([0-9]+[a-z]?幢)?([0-9]+单元)?([0-9]+[a-z]?)?$/;

/**
 * Splits a normalised address into its hierarchy: road/lane (古美路1弄), number (3号), building (5幢),
 * unit (2单元), room (502). Returns null when the text does not follow the pattern (the caller reports
 * it instead of guessing).
 */
export function splitAddress(normalized: string): AddressSegment[] | null {
  const m = SEGMENT.exec(normalized);
  if (!m || !m[1]) return null;
  const segments: AddressSegment[] = [{ level: 'road', name: `${m[1]}${m[2] ?? ''}` }];
  if (m[3]) segments.push({ level: 'number', name: m[3] });
  if (m[4]) segments.push({ level: 'building', name: m[4] });
  if (m[5]) segments.push({ level: 'unit', name: m[5] });
  if (m[6]) {
    if (segments.length === 1) return null; // a bare number after a road is ambiguous (号 or 室?)
    segments.push({ level: 'room', name: m[6] });
  }
  return segments;
}

const LEVEL_PREFIX: Record<Exclude<AddressLevel, 'road'>, string> = {
  number: 'N',
  building: 'B',
  unit: 'U',
  room: 'R',
};

/** FNV-1a 64-bit of the UTF-8 bytes, as 13 base-32 characters: stable across runs and platforms. */
export function stableHash(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(32).padStart(13, '0');
}

/**
 * The stable code of an address (its natural key when imported without one). Hierarchical and readable
 * below the road: a road is `<street code>-<hash of its normalised name>`; each level below appends
 * `.` + a level letter + its number when that is plain digits/letters (`.N3.B5.U2.R502`), else a hash.
 * The same normalised address always gets the same code, whatever way it was written.
 */
export function addressCode(streetCode: string, segments: readonly AddressSegment[]): string {
  const [road, ...rest] = segments;
  if (!road || road.level !== 'road') throw new Error('an address starts with its road');
  let code = `${streetCode}-${stableHash(normalizeAddress(road.name))}`;
  for (const segment of rest) {
    if (segment.level === 'road') throw new Error('one road per address');
    const key = normalizeAddress(segment.name).replace(/(号|幢|单元)$/, '');
    code += `.${LEVEL_PREFIX[segment.level]}${/^[0-9a-z]{1,8}$/.test(key) ? key.toUpperCase() : stableHash(key).slice(0, 8)}`;
  }
  return code;
}

/** The display text of an address path (the segments joined; rooms get their 室). */
export const addressText = (segments: readonly AddressSegment[]): string =>
  segments
    .map((s) => (s.level === 'room' && /^[0-9]+[a-z]?$/.test(s.name) ? `${s.name}室` : s.name))
    .join('');

/**
 * Splits a search query into the normalised tokens that must all appear (what the operator separated with
 * spaces stays separate: "古美路1弄 3号 502" → ["古美路1弄", "3号", "502"]).
 */
export function addressQueryTokens(query: string): string[] {
  return query
    .normalize('NFKC')
    .split(/\s+/)
    .map(normalizeAddress)
    .filter((t) => t !== '')
    .slice(0, 8);
}
