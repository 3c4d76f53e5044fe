import { IMPORT_FIELDS, type ImportKind } from './fields.ts';

/**
 * A header as compared with the aliases: NFKC (full-width letters and brackets become ASCII), lower case,
 * without spaces, underscores, hyphens, a trailing "*" (required-column marks) or a bracketed unit
 * ("面积(平方米)" and "面积" both name the area). Also used on the aliases themselves.
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-*:：]/gu, '')
    .replace(/[(（[【][^)）\]】]*[)）\]】]$/u, '');
}

export interface HeaderMapping {
  /** field → column index (0-based) for every field the file has. */
  columns: Record<string, number>;
  /** Headers that name no field (ignored by the import; shown in the preview). */
  ignored: string[];
  /** Required fields the file lacks (or "address|addressCode" when neither is there). */
  missing: string[];
  /** Two columns naming the same field: the first wins, the others are listed here. */
  duplicates: string[];
}

/** Kinds whose rows are placed by matching an address text or code against the address list. */
const PLACED_BY_ADDRESS: ReadonlySet<ImportKind> = new Set(['dwellings', 'people', 'units']);

/**
 * Maps a file's header row to the fields of `kind`. A file is usable when `missing` is empty; columns it
 * does not know are ignored, never guessed at.
 */
export function mapHeaders(kind: ImportKind, headers: readonly string[]): HeaderMapping {
  const byAlias = new Map<string, string>();
  for (const spec of IMPORT_FIELDS[kind]) {
    for (const alias of [spec.field, ...spec.aliases]) {
      const key = headerKey(alias);
      if (!byAlias.has(key)) byAlias.set(key, spec.field);
    }
  }
  const columns: Record<string, number> = {};
  const ignored: string[] = [];
  const duplicates: string[] = [];
  headers.forEach((header, index) => {
    const field = byAlias.get(headerKey(header));
    if (field === undefined) {
      if (header.trim() !== '') ignored.push(header);
    } else if (field in columns) duplicates.push(header);
    else columns[field] = index;
  });
  const missing = IMPORT_FIELDS[kind]
    .filter((spec) => spec.required && !(spec.field in columns))
    .map((spec) => spec.field);
  if (PLACED_BY_ADDRESS.has(kind) && !('address' in columns) && !('addressCode' in columns)) {
    missing.push('address|addressCode');
  }
  return { columns, ignored, duplicates, missing };
}

/** One row as field → raw text (trimmed; empty cells left out). */
export function rowFields(mapping: HeaderMapping, cells: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, index] of Object.entries(mapping.columns)) {
    const value = (cells[index] ?? '').trim();
    if (value !== '') out[field] = value;
  }
  return out;
}
