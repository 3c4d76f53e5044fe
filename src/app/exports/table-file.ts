import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  cellText,
  cellValue,
  csvCell,
  type ColumnType,
  type ExportColumn,
  type ExportFormat,
  type ExportLang,
} from '../../core/exports/columns.ts';
import type { Logger } from '../logger.ts';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

const NUM_FMT: Partial<Record<ColumnType, string>> = {
  integer: '0',
  number: '0.00',
  percent: '0.00%',
  datetime: 'yyyy-mm-dd hh:mm:ss',
};

export interface TableFile<R> {
  format: ExportFormat;
  lang: ExportLang;
  /** The worksheet's name (xlsx). */
  sheet: string;
  columns: readonly ExportColumn<R>[];
  /** The rows, a page at a time: never the whole list at once. */
  pages: AsyncIterable<readonly R[]>;
  logger: Logger;
  /** What the log line names when the stream fails half-way. */
  what: string;
}

/** Waits until the consumer has taken what is buffered (backpressure): a slow download holds the cursor. */
async function drained(out: PassThrough): Promise<void> {
  if (!out.writableNeedDrain || out.destroyed) return;
  // one listener pair per wait, both removed whichever fires (no listener piles up over a long export)
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/**
 * Streams a table as .xlsx (exceljs' streaming WorkbookWriter: rows are committed as they come, frozen
 * header row, typed cells) or CSV (UTF-8 with a BOM and CRLF lines, what Excel opens as Chinese text).
 * Pages are pulled one after the other as the client reads; a failure half-way is logged and ends the
 * download with an error (the client sees a broken file, never a silently short one).
 */
export function streamTable<R>(file: TableFile<R>): Readable {
  const out = new PassThrough();
  const run = file.format === 'xlsx' ? writeXlsx(file, out) : writeCsv(file, out);
  run.catch((err: unknown) => {
    file.logger.error({ err, export: file.what }, 'export failed while streaming');
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return out;
}

async function writeCsv<R>(file: TableFile<R>, out: PassThrough): Promise<void> {
  const { columns, lang } = file;
  const header = (c: ExportColumn<R>) => (c.type === 'percent' ? `${c.header[lang]}(%)` : c.header[lang]);
  out.write(`\uFEFF${columns.map((c) => csvCell(header(c))).join(',')}\r\n`);
  for await (const page of file.pages) {
    if (out.destroyed) return;
    let chunk = '';
    for (const row of page) {
      chunk += `${columns.map((c) => csvCell(cellText(c.value(row), c.type, lang))).join(',')}\r\n`;
    }
    out.write(chunk);
    await drained(out);
  }
  out.end();
}

async function writeXlsx<R>(file: TableFile<R>, out: PassThrough): Promise<void> {
  const { columns, lang } = file;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'Liandong';
  const sheet = workbook.addWorksheet(file.sheet.slice(0, 31), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = columns.map((c) => ({
    key: c.key,
    header: c.header[lang],
    width: c.width ?? Math.max(10, Math.min(40, c.header[lang].length * (lang === 'zh' ? 2 : 1) + 2)),
    ...(NUM_FMT[c.type] ? { style: { numFmt: NUM_FMT[c.type] } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const page of file.pages) {
    if (out.destroyed) return;
    for (const row of page) {
      sheet.addRow(columns.map((c) => cellValue(c.value(row), c.type, lang))).commit();
    }
    await drained(out);
  }
  sheet.commit();
  await workbook.commit();
}

/** Pages of an in-memory list (tables that are small by nature: one row per unit). */
export async function* pagesOf<R>(rows: readonly R[], size = 1000): AsyncIterable<readonly R[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
