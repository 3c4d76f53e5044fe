import type { Actor } from '../../core/actor.ts';
import {
  INDICATOR_BY_ID,
  ITEM_REASONS,
  UNIT_KIND_NAMES,
  type UnitKind,
} from '../../core/evaluation/index.ts';
import { recordAudit } from '../audit/append-audit.ts';
import { getEvaluation, type EvaluationDeps } from './get-evaluation.ts';
import { listEvaluationCases } from './list-evaluation-cases.ts';

/** One CSV field (RFC 4180), with formula-looking text neutralised so a spreadsheet never runs it. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 with a BOM and CRLF lines: what Excel opens as Chinese text without asking. */
const csv = (rows: readonly (readonly (string | number | null)[])[]): string =>
  `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;

const rate = (r: number | null) => (r === null ? null : Math.round(r * 10_000) / 100);

/** The evaluation table as CSV (Chinese headers), audited `evaluation.export`. */
export async function exportEvaluationCsv(
  deps: EvaluationDeps,
  actor: Actor,
  input: { period?: string; from?: string; to?: string; unitKind?: UnitKind },
  client: { address?: string | null } = {},
): Promise<{ filename: string; body: string }> {
  const t = await getEvaluation(deps, actor, input);
  const head = [
    '排名',
    '单位代码',
    '单位',
    ...t.indicators.flatMap((i) => {
      const name = INDICATOR_BY_ID[i.id].name.zh;
      return [`${name}(%)`, `${name}分子`, `${name}分母`];
    }),
    '综合得分',
    '等级',
    '较上期',
    '样本量',
    '样本不足',
  ];
  const rows = t.units.map((u) => [
    u.rank,
    u.unit,
    u.name,
    ...u.indicators.flatMap((v) => [rate(v.rate), v.numerator, v.denominator]),
    u.composite,
    u.grade,
    u.change,
    u.size,
    u.small ? '是' : '否',
  ]);
  await recordAudit(deps.database.db, {
    actor,
    action: 'evaluation.export',
    target: `evaluation:${t.period.key}:${t.unitKind}`,
    address: client.address ?? null,
    payload: { period: t.period.key, unitKind: t.unitKind, rows: rows.length },
    at: deps.now(),
  });
  return {
    filename: `综合评价-${UNIT_KIND_NAMES[t.unitKind].zh}-${t.period.key}.csv`,
    body: csv([head, ...rows]),
  };
}

/** The cases behind one number as CSV, audited `evaluation.export_cases`. */
export async function exportEvaluationCasesCsv(
  deps: EvaluationDeps,
  actor: Actor,
  input: Parameters<typeof listEvaluationCases>[2],
  client: { address?: string | null } = {},
): Promise<{ filename: string; body: string }> {
  const list = await listEvaluationCases(deps, actor, {
    ...input,
    offset: 0,
    limit: Number.MAX_SAFE_INTEGER,
  });
  const rows = list.items.map((c) => [c.caseNo, ITEM_REASONS[c.reason].zh, c.at, c.state, c.description]);
  await recordAudit(deps.database.db, {
    actor,
    action: 'evaluation.export_cases',
    target: `evaluation:${list.period}:${list.unitKind}:${list.unit}`,
    address: client.address ?? null,
    payload: {
      period: list.period,
      indicator: list.indicator,
      unit: list.unit,
      part: list.part,
      rows: rows.length,
    },
    at: deps.now(),
  });
  const part = list.part === 'numerator' ? '分子' : '分母';
  return {
    filename: `${list.unitName}-${INDICATOR_BY_ID[list.indicator].name.zh}-${part}-${list.period}.csv`,
    body: csv([['案件编号', '计入原因', '计入时间', '当前状态', '描述'], ...rows]),
  };
}
