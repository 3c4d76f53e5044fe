import type { Readable } from 'node:stream';
import type { Actor } from '../../core/actor.ts';
import {
  INDICATOR_BY_ID,
  ITEM_REASONS,
  UNIT_KIND_NAMES,
  type UnitKind,
} from '../../core/evaluation/index.ts';
import {
  fileName,
  type ExportColumn,
  type ExportFormat,
  type ExportLang,
} from '../../core/exports/columns.ts';
import { recordAudit } from '../audit/append-audit.ts';
import { CONTENT_TYPES, pagesOf, streamTable } from '../exports/table-file.ts';
import type { Logger } from '../logger.ts';
import { getEvaluation, type EvaluationDeps, type EvaluationUnitRow } from './get-evaluation.ts';
import { listEvaluationCases, type EvaluationCaseRow } from './list-evaluation-cases.ts';

/**
 * The evaluation table and its drill-down as .xlsx or CSV, with Chinese or English headers (issue 14,
 * exports). The figures are those of GET /api/v1/evaluation (the same use case); rates are fractions
 * formatted as percentages in the spreadsheet. Each export is audited like the CSV routes
 * (`evaluation.export`, `evaluation.export_cases`). Additive: the older CSV-only functions stay in
 * `export-evaluation.ts`.
 */
export interface FileExport {
  filename: string;
  contentType: string;
  stream: Readable;
}

type Deps = EvaluationDeps & { logger: Logger };
interface Options {
  format: ExportFormat;
  lang: ExportLang;
  address?: string | null;
}

export async function exportEvaluationFile(
  deps: Deps,
  actor: Actor,
  input: { period?: string; from?: string; to?: string; unitKind?: UnitKind },
  options: Options,
): Promise<FileExport> {
  const { lang, format } = options;
  const zh = lang === 'zh';
  const t = await getEvaluation(deps, actor, input);
  const columns: ExportColumn<EvaluationUnitRow>[] = [
    { key: 'rank', header: { zh: '排名', en: 'Rank' }, type: 'integer', width: 8, value: (u) => u.rank },
    {
      key: 'unit',
      header: { zh: '单位代码', en: 'Unit code' },
      type: 'text',
      width: 16,
      value: (u) => u.unit,
    },
    { key: 'name', header: { zh: '单位', en: 'Unit' }, type: 'text', width: 22, value: (u) => u.name },
    ...t.indicators.flatMap(({ id }, i): ExportColumn<EvaluationUnitRow>[] => {
      const name = INDICATOR_BY_ID[id].name;
      const at = (u: EvaluationUnitRow) => u.indicators[i];
      return [
        {
          key: `${id}.rate`,
          header: { zh: name.zh, en: name.en },
          type: 'percent',
          value: (u) => at(u)?.rate ?? null,
        },
        {
          key: `${id}.n`,
          header: { zh: `${name.zh}分子`, en: `${name.en} numerator` },
          type: 'integer',
          value: (u) => at(u)?.numerator ?? null,
        },
        {
          key: `${id}.d`,
          header: { zh: `${name.zh}分母`, en: `${name.en} denominator` },
          type: 'integer',
          value: (u) => at(u)?.denominator ?? null,
        },
      ];
    }),
    {
      key: 'composite',
      header: { zh: '综合得分', en: 'Composite score' },
      type: 'number',
      value: (u) => u.composite,
    },
    { key: 'grade', header: { zh: '等级', en: 'Grade' }, type: 'text', width: 8, value: (u) => u.grade },
    { key: 'change', header: { zh: '较上期', en: 'Change' }, type: 'number', value: (u) => u.change },
    { key: 'size', header: { zh: '样本量', en: 'Sample size' }, type: 'integer', value: (u) => u.size },
    { key: 'small', header: { zh: '样本不足', en: 'Small sample' }, type: 'boolean', value: (u) => u.small },
  ];
  await recordAudit(deps.database.db, {
    actor,
    action: 'evaluation.export',
    target: `evaluation:${t.period.key}:${t.unitKind}`,
    address: options.address ?? null,
    payload: { period: t.period.key, unitKind: t.unitKind, rows: t.units.length, format, lang },
    at: deps.now(),
  });
  const kind = UNIT_KIND_NAMES[t.unitKind][lang];
  return {
    filename: fileName(
      zh ? `综合评价-${kind}-${t.period.key}` : `evaluation-${t.unitKind}-${t.period.key}`,
      format,
    ),
    contentType: CONTENT_TYPES[format],
    stream: streamTable({
      format,
      lang,
      sheet: zh ? `综合评价 ${t.period.key}` : `Evaluation ${t.period.key}`,
      columns,
      pages: pagesOf(t.units),
      logger: deps.logger,
      what: 'evaluation',
    }),
  };
}

export async function exportEvaluationCasesFile(
  deps: Deps,
  actor: Actor,
  input: Omit<Parameters<typeof listEvaluationCases>[2], 'offset' | 'limit'>,
  options: Options,
): Promise<FileExport> {
  const { lang, format } = options;
  const zh = lang === 'zh';
  // the drill-down of one number of one unit and period: bounded by the period, computed in one pass
  const list = await listEvaluationCases(deps, actor, {
    ...input,
    offset: 0,
    limit: Number.MAX_SAFE_INTEGER,
  });
  const columns: ExportColumn<EvaluationCaseRow>[] = [
    {
      key: 'caseNo',
      header: { zh: '案件编号', en: 'Case number' },
      type: 'text',
      width: 20,
      value: (c) => c.caseNo,
    },
    {
      key: 'reason',
      header: { zh: '计入原因', en: 'Why it counts' },
      type: 'text',
      width: 16,
      value: (c) => ITEM_REASONS[c.reason][lang],
    },
    {
      key: 'at',
      header: { zh: '计入时间', en: 'Counted at' },
      type: 'datetime',
      width: 20,
      value: (c) => c.at,
    },
    {
      key: 'numerator',
      header: { zh: '计入分子', en: 'In numerator' },
      type: 'boolean',
      value: (c) => c.numerator,
    },
    { key: 'state', header: { zh: '当前状态', en: 'State now' }, type: 'text', value: (c) => c.state },
    {
      key: 'description',
      header: { zh: '描述', en: 'Description' },
      type: 'text',
      width: 40,
      value: (c) => c.description,
    },
  ];
  await recordAudit(deps.database.db, {
    actor,
    action: 'evaluation.export_cases',
    target: `evaluation:${list.period}:${list.unitKind}:${list.unit}`,
    address: options.address ?? null,
    payload: {
      period: list.period,
      indicator: list.indicator,
      unit: list.unit,
      part: list.part,
      rows: list.items.length,
      format,
      lang,
    },
    at: deps.now(),
  });
  const indicator = INDICATOR_BY_ID[list.indicator].name[lang];
  const part = zh ? (list.part === 'numerator' ? '分子' : '分母') : list.part;
  return {
    filename: fileName(`${list.unitName}-${indicator}-${part}-${list.period}`, format),
    contentType: CONTENT_TYPES[format],
    stream: streamTable({
      format,
      lang,
      sheet: zh ? '下钻案件' : 'Cases',
      columns,
      pages: pagesOf(list.items),
      logger: deps.logger,
      what: 'evaluation cases',
    }),
  };
}
