import type { Actor } from '../../core/actor.ts';
import { recordAudit } from '../audit/append-audit.ts';
import type { EvaluationDeps } from '../evaluation/get-evaluation.ts';
import { buildMonthlyReport, type MonthlyReport } from './monthly-report.ts';
import { renderMonthlyReportPdf, resolveReportFont } from './render-pdf.ts';

/**
 * The monthly report as a PDF file, for the console and the CLI: built from the evaluation (the caller's
 * scope), drawn with the configured CJK font, audited `report.monthly`.
 */
export async function generateMonthlyReportPdf(
  deps: EvaluationDeps,
  actor: Actor,
  input: { period: string; unit: string },
  options: { font?: string | undefined; address?: string | null } = {},
): Promise<{ filename: string; body: Buffer; report: MonthlyReport }> {
  const font = resolveReportFont(options.font);
  const report = await buildMonthlyReport(deps, actor, input);
  const body = await renderMonthlyReportPdf(report, font);
  await recordAudit(deps.database.db, {
    actor,
    action: 'report.monthly',
    target: `report:${report.period.key}:${report.unit.code}`,
    address: options.address ?? null,
    payload: { period: report.period.key, unit: report.unit.code, bytes: body.length },
    at: deps.now(),
  });
  return { filename: `${report.unit.name}-${report.period.key}-月度考评报告.pdf`, body, report };
}
