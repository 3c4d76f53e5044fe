import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Actor } from '../../core/actor.ts';
import { enumLabel, type ValueTable } from '../../core/imports/values.ts';
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { Logger } from '../logger.ts';
import { listPeople, type Page, type PeopleFilter } from './list-people.ts';
import { listUnits, type UnitsFilter } from './list-units.ts';
import type { PersonView, UnitView } from './present.ts';

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** At most this many rows per file: a list bigger than that is narrowed with the filters first. */
export const EXPORT_ROW_CAP = 50_000;
const PAGE = 200;

interface Column<T> {
  /** The Chinese header: the import's first alias, so an exported file re-imports as it is. */
  header: string;
  kind: 'text' | 'date' | 'integer';
  width: number;
  value: (row: T) => string | number | null;
}

const label = (table: ValueTable, value: string | null) => (value === null ? null : enumLabel(table, value));

const PEOPLE_COLUMNS: Column<PersonView>[] = [
  { header: '姓名', kind: 'text', width: 10, value: (p) => p.name },
  { header: '证件类型', kind: 'text', width: 12, value: (p) => label('idType', p.idType) },
  { header: '证件号码', kind: 'text', width: 22, value: (p) => p.idNumber },
  { header: '性别', kind: 'text', width: 6, value: (p) => label('sex', p.sex) },
  { header: '出生日期', kind: 'date', width: 12, value: (p) => p.birthDate },
  { header: '联系电话', kind: 'text', width: 14, value: (p) => p.phone },
  { header: '户籍类别', kind: 'text', width: 10, value: (p) => label('hukou', p.hukou) },
  { header: '地址', kind: 'text', width: 36, value: (p) => p.address },
  { header: '入住日期', kind: 'date', width: 12, value: (p) => p.movedInOn },
  { header: '迁出日期', kind: 'date', width: 12, value: (p) => p.leftOn },
  { header: '状态', kind: 'text', width: 8, value: (p) => label('personStatus', p.status) },
];

const UNIT_COLUMNS: Column<UnitView>[] = [
  { header: '单位名称', kind: 'text', width: 28, value: (u) => u.name },
  { header: '统一社会信用代码', kind: 'text', width: 22, value: (u) => u.creditCode },
  { header: '单位类型', kind: 'text', width: 12, value: (u) => label('unitKind', u.kind) },
  { header: '行业', kind: 'text', width: 10, value: (u) => label('industry', u.industry) },
  { header: '许可证状态', kind: 'text', width: 10, value: (u) => label('licenceStatus', u.licenceStatus) },
  { header: '许可证号', kind: 'text', width: 18, value: (u) => u.licenceNo },
  { header: '许可证有效期', kind: 'date', width: 12, value: (u) => u.licenceExpiresOn },
  { header: '负责人', kind: 'text', width: 10, value: (u) => u.responsiblePerson },
  { header: '联系电话', kind: 'text', width: 14, value: (u) => u.phone },
  { header: '从业人数', kind: 'integer', width: 8, value: (u) => u.employees },
  { header: '地址', kind: 'text', width: 36, value: (u) => u.address },
  { header: '状态', kind: 'text', width: 8, value: (u) => label('unitStatus', u.status) },
];

export interface ExportFile {
  filename: string;
  contentType: string;
  /** The file, written page by page while it is sent (never the whole list in memory). */
  body: Readable;
  rows: number;
}

export interface ExportDeps {
  database: Database;
  now: () => Date;
  logger: Logger;
}

type Lister<T, F> = (deps: { database: Database }, actor: Actor, filter: F) => Promise<Page<T>>;

/**
 * The people list (实有人口) with its filters as a file, masked exactly as the list is for the actor,
 * audited (`baseinfo.people.export`: the filters and the row count) before a byte is sent.
 */
export function exportPeople(
  deps: ExportDeps,
  actor: Actor,
  filter: Omit<PeopleFilter, 'offset' | 'limit'>,
  format: ExportFormat,
  meta: { address?: string | null } = {},
): Promise<ExportFile> {
  return exportList(deps, actor, filter, format, meta, {
    what: 'people',
    sheet: '实有人口',
    columns: PEOPLE_COLUMNS,
    list: listPeople,
  });
}

/** The units list (实有单位) with its filters as a file, masked as the list, audited (`baseinfo.units.export`). */
export function exportUnits(
  deps: ExportDeps,
  actor: Actor,
  filter: Omit<UnitsFilter, 'offset' | 'limit'>,
  format: ExportFormat,
  meta: { address?: string | null } = {},
): Promise<ExportFile> {
  return exportList(deps, actor, filter, format, meta, {
    what: 'units',
    sheet: '实有单位',
    columns: UNIT_COLUMNS,
    list: listUnits,
  });
}

async function exportList<T, F extends object>(
  deps: ExportDeps,
  actor: Actor,
  filter: F,
  format: ExportFormat,
  meta: { address?: string | null },
  spec: { what: 'people' | 'units'; sheet: string; columns: Column<T>[]; list: Lister<T, F> },
): Promise<ExportFile> {
  const first = await spec.list(deps, actor, { ...filter, offset: 0, limit: PAGE });
  const rows = Math.min(first.total, EXPORT_ROW_CAP);
  const at = deps.now();
  await deps.database.db.transaction().execute((trx) =>
    appendAudit(trx, {
      actor,
      action: `baseinfo.${spec.what}.export`,
      target: `base:${spec.what}`,
      address: meta.address ?? null,
      payload: { format, filter: { ...filter }, rows, capped: first.total > EXPORT_ROW_CAP },
      at,
    }),
  );

  async function* pages(): AsyncGenerator<T[]> {
    yield first.items;
    for (let offset = PAGE; offset < rows; offset += PAGE) {
      const page = await spec.list(deps, actor, { ...filter, offset, limit: Math.min(PAGE, rows - offset) });
      if (page.items.length === 0) return;
      yield page.items;
    }
  }
  const limited = async function* (): AsyncGenerator<T[]> {
    let left = rows;
    for await (const items of pages()) {
      if (left <= 0) return;
      yield items.slice(0, left);
      left -= items.length;
    }
  };

  const stamp = at.toISOString().slice(0, 10);
  const filename = `${spec.sheet}-${stamp}.${format}`;
  const body =
    format === 'xlsx'
      ? writeXlsx(spec.sheet, spec.columns, limited(), deps.logger)
      : writeCsv(spec.columns, limited(), deps.logger);
  return {
    filename,
    contentType:
      format === 'xlsx'
        ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
        : 'text/csv; charset=utf-8',
    body,
    rows,
  };
}

/** A `YYYY-MM-DD` date as an Excel date (UTC midnight: Excel dates carry no zone). */
const excelDate = (text: string): Date | string => {
  const d = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? text : d;
};

function writeXlsx<T>(
  sheetName: string,
  columns: Column<T>[],
  pages: AsyncGenerator<T[]>,
  logger: Logger,
): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({
    header: c.header,
    key: String(i),
    width: c.width,
    ...(c.kind === 'date' ? { style: { numFmt: 'yyyy-mm-dd' } } : {}),
    ...(c.kind === 'integer' ? { style: { numFmt: '0' } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  void (async () => {
    try {
      for await (const items of pages) {
        for (const item of items) {
          sheet
            .addRow(
              columns.map((c) => {
                const v = c.value(item);
                return c.kind === 'date' && typeof v === 'string' ? excelDate(v) : v;
              }),
            )
            .commit();
        }
        // the client reads slower than the database answers: wait rather than buffer the list
        if (out.writableNeedDrain) await once(out, 'drain');
      }
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      logger.error({ err: error }, 'base-information export failed while writing');
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return out;
}

function writeCsv<T>(columns: Column<T>[], pages: AsyncGenerator<T[]>, logger: Logger): Readable {
  // BOM: Excel opens a UTF-8 CSV with Chinese headers correctly only with it
  const csv = stringify({ bom: true });
  void (async () => {
    try {
      csv.write(columns.map((c) => c.header));
      for await (const items of pages) {
        for (const item of items) {
          if (!csv.write(columns.map((c) => c.value(item) ?? ''))) {
            await new Promise<void>((resolve) => csv.once('drain', resolve));
          }
        }
      }
      csv.end();
    } catch (error) {
      logger.error({ err: error }, 'base-information export failed while writing');
      csv.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return csv;
}
