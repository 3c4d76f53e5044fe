import type { Actor } from '../../core/actor.ts';
import { refuseCitizen } from '../../core/policy/citizen-view.ts';
import type { ExportColumn, ExportFormat, ExportLang } from '../../core/exports/columns.ts';
import { fileName } from '../../core/exports/columns.ts';
import { canSeeReporterContact, maskName, maskPhone } from '../../core/policy/personal-data.ts';
import { CASE_SOURCES, type CaseSource, type ClosureType } from '../../core/workflow/snapshot.ts';
import { CASE_STATES, type CaseState } from '../../core/workflow/states.ts';
import type { Database } from '../../db/database.ts';
import { recordAudit } from '../audit/append-audit.ts';
import { scopeRowOf, type CaseRow } from '../cases/case-record.ts';
import { cursorAfter, listCasesQuery, type ListCasesQuery } from '../cases/list-cases.ts';
import type { Logger } from '../logger.ts';
import { CONTENT_TYPES, streamTable } from './table-file.ts';
import type { Readable } from 'node:stream';

export const STATE_NAMES_EN: Record<CaseState, string> = {
  reported: 'Reported',
  verifying: 'Verifying',
  registered: 'Registered',
  dispatched: 'Dispatched',
  in_progress: 'In progress',
  suspended: 'Suspended',
  handled: 'Handled',
  checking: 'Checking',
  resolved: 'Resolved',
  closed: 'Closed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

export const SOURCE_NAMES_EN: Record<CaseSource, string> = {
  patrol: 'Patrol',
  screening: 'Screening',
  station: 'Work station',
  citizen: 'Citizen',
  hotline: '12345 hotline',
  walk_in: 'Walk-in',
  department: 'Department',
  leader: 'Leader',
  warning: 'Early warning',
};

const CLOSURE_NAMES: Record<ClosureType, { zh: string; en: string }> = {
  normal: { zh: '正常结案', en: 'Normal' },
  overdue: { zh: '超期结案', en: 'Overdue' },
  special: { zh: '特殊结案', en: 'Special' },
  self_handled: { zh: '自处置', en: 'Self-handled' },
};

export interface ExportDeps {
  database: Database;
  now: () => Date;
  logger: Logger;
}

/** One exported case: the row with the names it points to and the reporter as the caller may see it. */
export interface CaseExportRow {
  row: CaseRow;
  category: string | null;
  street: string | null;
  committee: string | null;
  grid: string | null;
  department: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  overdueNow: boolean;
}

/** The columns of a case list export (the workbench's list, with names instead of codes). */
export function caseColumns(lang: ExportLang): ExportColumn<CaseExportRow>[] {
  const zh = lang === 'zh';
  return [
    {
      key: 'caseNo',
      header: { zh: '案件编号', en: 'Case number' },
      type: 'text',
      width: 20,
      value: (c) => c.row.case_no,
    },
    {
      key: 'state',
      header: { zh: '状态', en: 'State' },
      type: 'text',
      value: (c) => (zh ? CASE_STATES[c.row.state] : STATE_NAMES_EN[c.row.state]),
    },
    {
      key: 'source',
      header: { zh: '来源', en: 'Source' },
      type: 'text',
      value: (c) => (zh ? CASE_SOURCES[c.row.source] : SOURCE_NAMES_EN[c.row.source]),
    },
    {
      key: 'categoryCode',
      header: { zh: '类别代码', en: 'Category code' },
      type: 'text',
      value: (c) => c.row.category_code,
    },
    {
      key: 'category',
      header: { zh: '类别', en: 'Category' },
      type: 'text',
      width: 18,
      value: (c) => c.category,
    },
    {
      key: 'urgency',
      header: { zh: '紧急程度', en: 'Urgency' },
      type: 'text',
      value: (c) => (c.row.urgency === 'urgent' ? (zh ? '紧急' : 'urgent') : zh ? '一般' : 'normal'),
    },
    {
      key: 'description',
      header: { zh: '问题描述', en: 'Description' },
      type: 'text',
      width: 40,
      value: (c) => c.row.description,
    },
    {
      key: 'address',
      header: { zh: '地址', en: 'Address' },
      type: 'text',
      width: 30,
      value: (c) => c.row.address,
    },
    { key: 'street', header: { zh: '街道', en: 'Street' }, type: 'text', value: (c) => c.street },
    { key: 'committee', header: { zh: '居委', en: 'Committee' }, type: 'text', value: (c) => c.committee },
    {
      key: 'grid',
      header: { zh: '网格', en: 'Grid' },
      type: 'text',
      width: 16,
      value: (c) => c.grid ?? c.row.grid_code,
    },
    {
      key: 'department',
      header: { zh: '主责部门', en: 'Lead department' },
      type: 'text',
      width: 18,
      value: (c) => c.department,
    },
    {
      key: 'reportedAt',
      header: { zh: '上报时间', en: 'Reported at' },
      type: 'datetime',
      width: 20,
      value: (c) => c.row.reported_at,
    },
    {
      key: 'dueAt',
      header: { zh: '当前时限', en: 'Due at' },
      type: 'datetime',
      width: 20,
      value: (c) => c.row.due_at,
    },
    {
      key: 'overdueNow',
      header: { zh: '当前超期', en: 'Overdue now' },
      type: 'boolean',
      value: (c) => c.overdueNow,
    },
    {
      key: 'overdueEver',
      header: { zh: '曾超期', en: 'Ever overdue' },
      type: 'boolean',
      value: (c) => c.row.overdue,
    },
    {
      key: 'supervised',
      header: { zh: '督办', en: 'Supervised' },
      type: 'boolean',
      value: (c) => c.row.supervised,
    },
    {
      key: 'closedAt',
      header: { zh: '结案时间', en: 'Closed at' },
      type: 'datetime',
      width: 20,
      value: (c) => c.row.closed_at,
    },
    {
      key: 'closureType',
      header: { zh: '结案类型', en: 'Closure type' },
      type: 'text',
      value: (c) => (c.row.closure_type ? CLOSURE_NAMES[c.row.closure_type][lang] : null),
    },
    {
      key: 'reporterName',
      header: { zh: '上报人', en: 'Reporter' },
      type: 'text',
      value: (c) => c.reporterName,
    },
    {
      key: 'reporterPhone',
      header: { zh: '上报人电话', en: 'Reporter phone' },
      type: 'text',
      width: 16,
      value: (c) => c.reporterPhone,
    },
    { key: 'lon', header: { zh: '经度', en: 'Longitude' }, type: 'number', value: (c) => c.row.lon },
    { key: 'lat', header: { zh: '纬度', en: 'Latitude' }, type: 'number', value: (c) => c.row.lat },
  ];
}

/** The names an export shows instead of codes (regions, departments, categories: small tables). */
async function loadNames(database: Database) {
  const [regions, departments, categories] = await Promise.all([
    database.db.selectFrom('regions').select(['code', 'name']).execute(),
    database.db.selectFrom('departments').select(['id', 'name']).execute(),
    database.db.selectFrom('categories').select(['code', 'name_zh', 'name_en']).execute(),
  ]);
  return {
    region: new Map(regions.map((r) => [r.code, r.name])),
    department: new Map(departments.map((d) => [d.id, d.name])),
    category: new Map(categories.map((c) => [c.code, c])),
  };
}

export interface ExportOptions {
  format: ExportFormat;
  lang: ExportLang;
  address?: string | null;
  /** Rows read per keyset page (default 1000). */
  pageSize?: number;
  /** Called with each page's length as it is read (tests count pages). */
  onPage?: (rows: number) => void;
}

/**
 * Exports the case list the caller may see, with the workbench's filters, as .xlsx or CSV. The list is
 * read in keyset pages of the list's own order (the same query as GET /api/v1/cases) while the file
 * streams out, so a list of a million cases is never held in memory. The reporter's name and phone are
 * masked unless the caller must contact the reporter (the rule of the case detail). Audited
 * `cases.export` (with the filters) before the first byte.
 */
export async function exportCases(
  deps: ExportDeps,
  actor: Actor,
  query: Omit<ListCasesQuery, 'cursor' | 'limit'>,
  options: ExportOptions,
): Promise<{ filename: string; contentType: string; stream: Readable }> {
  // the export's columns are the staff's (departments, clocks, supervision): not the public view
  refuseCitizen(actor, 'The case export');
  const now = deps.now();
  const sort = query.sort ?? 'deadline';
  const pageSize = options.pageSize ?? 1000;
  const { lang } = options;
  const names = await loadNames(deps.database);
  const filters = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
  await recordAudit(deps.database.db, {
    actor,
    action: 'cases.export',
    target: 'cases',
    address: options.address ?? null,
    payload: { format: options.format, lang, filters },
    at: now,
  });

  const present = (row: CaseRow): CaseExportRow => {
    const visible = canSeeReporterContact(actor, scopeRowOf(row));
    const category = row.category_code ? names.category.get(row.category_code) : undefined;
    return {
      row,
      category: category ? (lang === 'zh' ? category.name_zh : category.name_en) : null,
      street: row.street_code ? (names.region.get(row.street_code) ?? null) : null,
      committee: row.committee_code ? (names.region.get(row.committee_code) ?? null) : null,
      grid: row.grid_code ? (names.region.get(row.grid_code) ?? null) : null,
      department: row.lead_department_id ? (names.department.get(row.lead_department_id) ?? null) : null,
      reporterName: visible ? row.reporter_name : maskName(row.reporter_name),
      reporterPhone: visible ? row.reporter_phone : maskPhone(row.reporter_phone),
      overdueNow: row.due_at !== null && row.due_at < now,
    };
  };

  async function* pages(): AsyncIterable<CaseExportRow[]> {
    let cursor: string | undefined;
    for (;;) {
      const rows = await listCasesQuery(deps.database, actor, { ...query, cursor }, now, pageSize).execute();
      const page = rows.slice(0, pageSize);
      options.onPage?.(rows.length);
      yield page.map(present);
      const last = page[page.length - 1];
      if (rows.length <= pageSize || !last) return;
      cursor = cursorAfter(last, sort);
    }
  }

  const stem =
    lang === 'zh' ? `案件清单-${now.toISOString().slice(0, 10)}` : `cases-${now.toISOString().slice(0, 10)}`;
  return {
    filename: fileName(stem, options.format),
    contentType: CONTENT_TYPES[options.format],
    stream: streamTable({
      format: options.format,
      lang,
      sheet: lang === 'zh' ? '案件清单' : 'Cases',
      columns: caseColumns(lang),
      pages: pages(),
      logger: deps.logger,
      what: 'cases',
    }),
  };
}
