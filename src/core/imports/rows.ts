import {
  FIELD_ERROR_CODES,
  normalizeAddress,
  splitAddress,
  validatePerson,
  validateDwelling,
  validateUnit,
  type AddressLevel,
  type AddressSegment,
  type DwellingFields,
  type FieldError,
  type PersonFields,
  type UnitFields,
} from '../baseinfo/index.ts';
import { isCrs, toWgs84, type Crs } from '../geo/crs.ts';
import type { Position } from '../geo/types.ts';
import { enumValue } from './values.ts';

/**
 * One import row → a clean record, or every problem of the row (issue 12 §4). The record rules are the
 * base-information validators (src/core/baseinfo/records.ts); this file adds what is particular to files:
 * the words streets write for enum values, coordinates in WGS84/GCJ-02/BD-09 (stored as WGS84), the
 * address reference a row is placed by, and text a file must not carry (control characters, broken
 * encoding). Pure: the caller matches addresses against the database and writes.
 */

/** Stable reasons of a refused row, on top of the field validators' codes. Never rename one. */
export const IMPORT_ROW_REASONS = [
  ...FIELD_ERROR_CODES,
  'bad_text', // a control character or undecodable bytes (U+FFFD) in a cell
  'bad_coordinates', // not numbers, outside China, or only one of lon/lat
  'unparsable_address', // the address text does not follow road → number → building → unit → room
  'unknown_address', // no standard address has this code or text (not guessed)
  'ambiguous_address', // the text matches several standard addresses
  'no_dwelling', // the address has no dwelling to register people in
  'outside_street', // the row's place is outside the street the import is for
  'no_street', // neither a point nor the import's street says which street the address is in
  'unknown_committee', // the committee named is not one of the street's
  'duplicate_in_file', // an earlier row of the same file has the same natural key
  'conflict', // the natural key belongs to a record another row or run changed meanwhile
] as const;
export type ImportRowReason = (typeof IMPORT_ROW_REASONS)[number];

export interface RowProblem {
  /** The field (the API's name), or null for the row as a whole. */
  field: string | null;
  reason: ImportRowReason;
  /** The offending value as it may be shown (ID and phone numbers masked). */
  value: string | null;
}

/** Fields whose values are personal data: masked in the row report like everywhere else. */
const PERSONAL_FIELDS: ReadonlySet<string> = new Set(['idNumber', 'phone']);

/** An ID or phone number as the row report may show it: the first 3 and last 2 characters. */
export function maskForReport(value: string): string {
  const chars = Array.from(value);
  if (chars.length <= 5) return '*'.repeat(chars.length);
  return `${chars.slice(0, 3).join('')}${'*'.repeat(chars.length - 5)}${chars.slice(-2).join('')}`;
}

const reportValue = (field: string | null, value: string | undefined): string | null => {
  if (value === undefined || field === null) return null;
  const clipped = Array.from(value).slice(0, 200).join('');
  return PERSONAL_FIELDS.has(field) ? maskForReport(clipped) : clipped;
};

export const problem = (
  field: string | null,
  reason: ImportRowReason,
  fields: Readonly<Record<string, string>> = {},
): RowProblem => ({ field, reason, value: reportValue(field, field === null ? undefined : fields[field]) });

// C0/C1 controls but tab, U+FFFD (what undecodable bytes became), unpaired surrogates
// eslint-disable-next-line no-control-regex
const BAD_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]|\p{Cs}/u;
const MAX_CELL = 500;

/** Cells no record may hold: refused before any rule reads them. */
function textProblems(fields: Readonly<Record<string, string>>): RowProblem[] {
  const out: RowProblem[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (BAD_TEXT.test(value)) out.push({ field, reason: 'bad_text', value: null });
    else if (value.length > MAX_CELL) out.push(problem(field, 'too_long', fields));
  }
  return out;
}

const fromFieldErrors = (errors: readonly FieldError[], fields: Readonly<Record<string, string>>) =>
  errors.map((e) => problem(e.field, e.code, fields));

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: RowProblem[] };

// ---- coordinates --------------------------------------------------------------------------------

const CRS_WORDS: Record<string, Crs> = {
  wgs84: 'wgs84',
  'wgs-84': 'wgs84',
  gps: 'wgs84',
  epsg4326: 'wgs84',
  gcj02: 'gcj02',
  'gcj-02': 'gcj02',
  高德: 'gcj02',
  腾讯: 'gcj02',
  火星坐标: 'gcj02',
  国测局: 'gcj02',
  bd09: 'bd09',
  'bd-09': 'bd09',
  百度: 'bd09',
};

/**
 * The row's point in WGS84, from 经度/纬度 in the datum its 坐标系 names (or `defaultCrs`): null when the
 * row has neither; a problem when it has one only, a non-number, or a place outside China.
 */
export function parsePoint(
  fields: Readonly<Record<string, string>>,
  defaultCrs: Crs,
): Parsed<Position | null> {
  const { lon, lat, crs } = fields;
  if (lon === undefined && lat === undefined) return { ok: true, value: null };
  const x = Number(lon?.normalize('NFKC'));
  const y = Number(lat?.normalize('NFKC'));
  const fault = (field: string) => ({
    ok: false as const,
    problems: [problem(field, 'bad_coordinates', fields)],
  });
  if (lon === undefined || !Number.isFinite(x) || x < 73 || x > 136) return fault('lon');
  if (lat === undefined || !Number.isFinite(y) || y < 3 || y > 54) return fault('lat');
  let datum = defaultCrs;
  if (crs !== undefined) {
    const word = crs.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
    const found = isCrs(word) ? word : CRS_WORDS[word];
    if (!found) return { ok: false, problems: [problem('crs', 'unknown_value', fields)] };
    datum = found;
  }
  return { ok: true, value: toWgs84(x, y, datum) };
}

// ---- addresses ----------------------------------------------------------------------------------

export interface AddressRow {
  /** The code the file gives, or null (the import derives the stable code from the text). */
  code: string | null;
  /** The hierarchy of the text, outermost first (the last segment is this row's address). */
  segments: AddressSegment[];
  normalized: string;
  /** The level the file states, if any; must agree with the text. */
  level: AddressLevel;
  /** A committee code (12 digits) or name as written, resolved by the caller. */
  committee: string | null;
  point: Position | null;
}

const LEVEL_WORDS: Record<string, AddressLevel> = {
  road: 'road',
  路: 'road',
  弄: 'road',
  道路: 'road',
  number: 'number',
  号: 'number',
  门牌: 'number',
  门牌号: 'number',
  building: 'building',
  幢: 'building',
  栋: 'building',
  楼: 'building',
  楼栋: 'building',
  unit: 'unit',
  单元: 'unit',
  room: 'room',
  室: 'room',
  户: 'room',
  房间: 'room',
};

const CODE = /^[0-9A-Za-z._-]{1,64}$/;

/** An address row: its code (if given), its text split into the hierarchy, its point. */
export function parseAddressRow(
  fields: Readonly<Record<string, string>>,
  defaultCrs: Crs,
): Parsed<AddressRow> {
  const problems = textProblems(fields);
  if (problems.length > 0) return { ok: false, problems };
  const code = fields.code?.normalize('NFKC') ?? null;
  if (code !== null && !CODE.test(code)) problems.push(problem('code', 'bad_format', fields));
  const text = fields.address;
  const normalized = text === undefined ? '' : normalizeAddress(text);
  const segments = normalized === '' ? null : splitAddress(normalized);
  if (text === undefined) problems.push(problem('address', 'required', fields));
  else if (!segments) problems.push(problem('address', 'unparsable_address', fields));
  const last = segments?.[segments.length - 1]?.level ?? 'road';
  let level = last;
  if (fields.level !== undefined) {
    const stated = LEVEL_WORDS[fields.level.normalize('NFKC').toLowerCase().trim()];
    if (!stated) problems.push(problem('level', 'unknown_value', fields));
    else if (segments && stated !== last) problems.push(problem('level', 'out_of_range', fields));
    else level = stated;
  }
  const point = parsePoint(fields, defaultCrs);
  if (!point.ok) problems.push(...point.problems);
  if (problems.length > 0 || !segments || !point.ok) return { ok: false, problems };
  return {
    ok: true,
    value: { code, segments, normalized, level, committee: fields.committee ?? null, point: point.value },
  };
}

// ---- rows placed at an address ------------------------------------------------------------------

/** How a dwelling, person or unit row names its address: by code or by text (normalised). */
export type AddressRef = { code: string } | { normalized: string; text: string };

/** The address a row names; a code wins over the text. Null when it names none. */
function addressRef(fields: Readonly<Record<string, string>>): AddressRef | null {
  if (fields.addressCode !== undefined) return { code: fields.addressCode.normalize('NFKC') };
  if (fields.address !== undefined) {
    const normalized = normalizeAddress(fields.address);
    if (normalized !== '') return { normalized, text: fields.address };
  }
  return null;
}

function placed<T>(
  fields: Readonly<Record<string, string>>,
  validated: { ok: true; value: T } | { ok: false; errors: FieldError[] },
  required: boolean,
): Parsed<{ record: T; address: AddressRef | null }> {
  const problems = validated.ok ? [] : fromFieldErrors(validated.errors, fields);
  const address = addressRef(fields);
  if (required && !address) problems.push(problem('address', 'required', fields));
  if (problems.length > 0 || !validated.ok) return { ok: false, problems };
  return { ok: true, value: { record: validated.value, address } };
}

/** A dwelling row (实有房屋): the dwelling's fields and the address it is at. */
export function parseDwellingRow(
  fields: Readonly<Record<string, string>>,
): Parsed<{ record: DwellingFields; address: AddressRef | null }> {
  const problems = textProblems(fields);
  if (problems.length > 0) return { ok: false, problems };
  const validated = validateDwelling({
    use: enumValue('use', fields.use),
    occupancy: enumValue('occupancy', fields.occupancy),
    areaM2: fields.areaM2,
    rooms: fields.rooms,
    note: fields.note,
  });
  return placed(fields, validated, true);
}

/** A person row (实有人口): the person's fields (ID number checked) and the address of the dwelling. */
export function parsePersonRow(
  fields: Readonly<Record<string, string>>,
  today: string,
): Parsed<{ record: PersonFields; address: AddressRef | null }> {
  const problems = textProblems(fields);
  if (problems.length > 0) return { ok: false, problems };
  const validated = validatePerson(
    {
      name: fields.name,
      idType: enumValue('idType', fields.idType),
      idNumber: fields.idNumber,
      sex: enumValue('sex', fields.sex),
      birthDate: fields.birthDate,
      phone: fields.phone,
      hukou: enumValue('hukou', fields.hukou),
      movedInOn: fields.movedInOn,
      leftOn: fields.leftOn,
      status: enumValue('personStatus', fields.status),
    },
    today,
  );
  return placed(fields, validated, true);
}

/**
 * The kind of a unit whose file has no 单位类型 column, from its credit code's first two characters
 * (GB 32100: registration authority and type — 92 个体工商户, 91/93 企业 registered with market
 * regulation, others organisations); a company without a code.
 */
export function kindFromCreditCode(code: string | undefined): 'company' | 'individual' | 'organisation' {
  const prefix = code?.normalize('NFKC').trim().slice(0, 2) ?? '';
  if (prefix === '') return 'company';
  if (prefix === '92') return 'individual';
  return prefix === '91' || prefix === '93' ? 'company' : 'organisation';
}

/** A unit row (实有单位): the unit's fields (credit code checked) and its address, if the row names one. */
export function parseUnitRow(
  fields: Readonly<Record<string, string>>,
  today: string,
): Parsed<{ record: UnitFields; address: AddressRef | null }> {
  const problems = textProblems(fields);
  if (problems.length > 0) return { ok: false, problems };
  const validated = validateUnit(
    {
      name: fields.name,
      creditCode: fields.creditCode,
      kind: enumValue('unitKind', fields.kind) ?? kindFromCreditCode(fields.creditCode),
      industry: enumValue('industry', fields.industry),
      licenceStatus: enumValue('licenceStatus', fields.licenceStatus),
      licenceNo: fields.licenceNo,
      licenceExpiresOn: fields.licenceExpiresOn,
      responsiblePerson: fields.responsiblePerson,
      phone: fields.phone,
      employees: fields.employees,
      status: enumValue('unitStatus', fields.status),
    },
    today,
  );
  return placed(fields, validated, false);
}
