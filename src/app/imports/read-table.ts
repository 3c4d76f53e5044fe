import fs from 'node:fs';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { AppError } from '../../core/errors.ts';

/**
 * Streaming readers for the spreadsheets streets keep (issue 12 §4): CSV in UTF-8 (with or without a
 * BOM), UTF-16 with a BOM, or GBK/GB18030 (what Chinese Excel writes when it saves "CSV"), and .xlsx
 * (the first worksheet). Rows are yielded one at a time; the file is never held in memory whole — only
 * an .xlsx's shared-string table is, as the format requires.
 */

export type TableFormat = 'csv' | 'xlsx';

export interface TableRow {
  /** The row's number as a spreadsheet shows it (the header is row 1). */
  row: number;
  cells: string[];
  /** Bytes of the file read so far (for a progress bar: compare with the file's size). */
  bytes: number;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** csv or xlsx from the first bytes (an .xlsx is a zip), or null for anything else binary (e.g. old .xls). */
export function sniffFormat(head: Buffer): TableFormat | null {
  if (head.subarray(0, 4).equals(ZIP_MAGIC)) return 'xlsx';
  // OLE2 (.xls, .doc) and anything with NUL bytes outside a UTF-16 BOM is not a text table
  if (head[0] === 0xd0 && head[1] === 0xcf) return null;
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)))
    return 'csv';
  return head.includes(0) ? null : 'csv';
}

/**
 * The text encoding of a CSV from its first bytes: a BOM decides; otherwise UTF-8 if the bytes decode
 * as UTF-8 (an incomplete character at the cut is fine), else GB18030 (a superset of GBK and GB2312).
 */
export function detectEncoding(head: Buffer): 'utf8' | 'utf16le' | 'utf16be' | 'gb18030' {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf8';
  } catch {
    return 'gb18030';
  }
}

const HEAD_BYTES = 64 * 1024;

async function readHead(file: string): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The format of a stored file, or a `validation_failed` error naming what it is not. */
export async function formatOf(file: string): Promise<TableFormat> {
  const format = sniffFormat(await readHead(file));
  if (!format)
    throw new AppError(
      'validation_failed',
      'The file is neither CSV nor Excel .xlsx (save old .xls as .xlsx)',
      {
        reason: 'unreadable_file',
      },
    );
  return format;
}

/** Every row of the table (header first), streamed. Stop early with `break`: the file is closed. */
export async function* readTable(file: string, format?: TableFormat): AsyncGenerator<TableRow> {
  const kind = format ?? (await formatOf(file));
  yield* kind === 'xlsx' ? readXlsx(file) : readCsv(file);
}

async function* readCsv(file: string): AsyncGenerator<TableRow> {
  const head = await readHead(file);
  const encoding = detectEncoding(head);
  const firstLine = iconv.decode(head, encoding).split(/\r?\n/u, 1)[0] ?? '';
  // a tab-separated export ("Unicode text" from Excel) has tabs and no commas in its header
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const source = fs.createReadStream(file);
  const parser = source.pipe(iconv.decodeStream(encoding, { stripBOM: true })).pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: 64 * 1024,
    }),
  );
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      yield { row, cells: record, bytes: source.bytesRead };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      'validation_failed',
      `The CSV cannot be read after row ${row}: ${(error as Error).message}`,
      {
        reason: 'unreadable_file',
      },
    );
  } finally {
    source.destroy();
    parser.destroy();
  }
}

/** A cell's value as text: dates as YYYY-MM-DD, rich text joined, formulas by their result. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    // Excel dates carry no zone; exceljs reads them as UTC midnight
    return value.toISOString().slice(0, 10);
  }
  if (typeof value === 'object') {
    const v = value as {
      richText?: { text: string }[];
      text?: unknown;
      result?: unknown;
      error?: unknown;
    };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error !== undefined) return '';
  }
  return String(value);
}

async function* readXlsx(file: string): AsyncGenerator<TableRow> {
  const source = fs.createReadStream(file);
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    entries: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
  });
  try {
    for await (const sheet of workbook) {
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        // values is 1-based and sparse
        for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
        yield { row: row.number, cells, bytes: source.bytesRead };
      }
      return; // the first worksheet only
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('validation_failed', `The .xlsx cannot be read: ${(error as Error).message}`, {
      reason: 'unreadable_file',
    });
  } finally {
    source.destroy();
  }
}
