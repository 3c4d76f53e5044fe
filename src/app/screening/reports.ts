import ExcelJS from 'exceljs';
import type { Actor } from '../../core/actor.ts';
import { formatShanghai } from '../../core/calendar/time.ts';
import type { TaskStatus } from '../../core/screening/tasks.ts';
import { THEMES, type TargetKind, type VisitOutcome } from '../../core/screening/themes.ts';
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { addressScope, loadVisibleCampaign } from './campaigns.ts';

export interface FindingView {
  visitId: string;
  taskId: string;
  roundNo: number;
  at: string;
  label: string;
  addressId: string;
  committeeCode: string | null;
  gridCode: string | null;
  visitorName: string;
  answers: Record<string, string | number | boolean>;
  photos: string[];
  caseId: string | null;
  caseNo: string | null;
  caseState: string | null;
}

/** The campaign's findings (visits that found a problem) in the actor's regions, newest first, with their cases. */
export async function listFindings(
  deps: { database: Database },
  actor: Actor,
  id: string,
  options: { round?: number | undefined } = {},
): Promise<{ items: FindingView[] }> {
  const { db } = deps.database;
  const { regions } = await loadVisibleCampaign(db, actor, id);
  let q = db
    .selectFrom('screening_visits as v')
    .innerJoin('screening_tasks as t', 't.id', 'v.task_id')
    .innerJoin('base_addresses as a', 'a.id', 't.address_id')
    .innerJoin('users as w', 'w.id', 'v.visitor_id')
    .leftJoin('base_units as u', (j) => j.onRef('u.id', '=', 't.target_id').on('t.target_kind', '=', 'unit'))
    .leftJoin('cases as c', 'c.id', 'v.case_id')
    .select([
      'v.id',
      'v.task_id',
      'v.round_no',
      'v.at',
      'a.full_text',
      'u.name as unit_name',
      't.address_id',
      't.committee_code',
      't.grid_code',
      'w.display_name',
      'v.answers',
      'v.photos',
      'v.case_id',
      'c.case_no',
      'c.state',
    ])
    .where('v.campaign_id', '=', id)
    .where('v.outcome', '=', 'problem_found')
    .where(addressScope(regions))
    .orderBy('v.at', 'desc')
    .limit(1000);
  if (options.round !== undefined) q = q.where('v.round_no', '=', options.round);
  const rows = await q.execute();
  return {
    items: rows.map((r) => ({
      visitId: r.id,
      taskId: r.task_id,
      roundNo: r.round_no,
      at: new Date(r.at).toISOString(),
      label: r.unit_name ? `${r.unit_name}（${r.full_text}）` : r.full_text,
      addressId: r.address_id,
      committeeCode: r.committee_code,
      gridCode: r.grid_code,
      visitorName: r.display_name,
      answers: r.answers,
      photos: [...r.photos],
      caseId: r.case_id,
      caseNo: r.case_no ?? null,
      caseState: r.state ?? null,
    })),
  };
}

export interface TargetPoint {
  taskId: string;
  targetKind: TargetKind;
  label: string;
  lon: number;
  lat: number;
  status: TaskStatus;
  gridCode: string | null;
}

/** The round's targets with a point, by status, for the map (cut to the actor's regions). */
export async function listTargetPoints(
  deps: { database: Database },
  actor: Actor,
  id: string,
  options: { round?: number | undefined; status?: TaskStatus | undefined } = {},
): Promise<{ round: number; items: TargetPoint[] }> {
  const { db } = deps.database;
  const { row, regions } = await loadVisibleCampaign(db, actor, id);
  const round = Math.min(options.round ?? row.current_round, row.current_round);
  let q = db
    .selectFrom('screening_tasks as t')
    .innerJoin('base_addresses as a', 'a.id', 't.address_id')
    .leftJoin('base_units as u', (j) => j.onRef('u.id', '=', 't.target_id').on('t.target_kind', '=', 'unit'))
    .select([
      't.id',
      't.target_kind',
      'a.full_text',
      'u.name as unit_name',
      't.lon',
      't.lat',
      't.status',
      't.grid_code',
    ])
    .where('t.campaign_id', '=', id)
    .where('t.round_no', '=', round)
    .where('t.lon', 'is not', null)
    .where(addressScope(regions))
    .orderBy('t.id')
    .limit(20_000);
  if (options.status) q = q.where('t.status', '=', options.status);
  const rows = await q.execute();
  return {
    round,
    items: rows.map((r) => ({
      taskId: r.id,
      targetKind: r.target_kind,
      label: r.unit_name ? `${r.unit_name}（${r.full_text}）` : r.full_text,
      lon: r.lon!,
      lat: r.lat!,
      status: r.status,
      gridCode: r.grid_code,
    })),
  };
}

const STATUS_ZH: Record<TaskStatus, string> = {
  pending: '待走访',
  revisit: '待复访',
  normal: '正常',
  problem_found: '发现问题',
  refused: '拒绝配合',
  unreachable: '多次无人',
};
const OUTCOME_ZH: Record<VisitOutcome, string> = {
  normal: '正常',
  problem_found: '发现问题',
  nobody_home: '无人在家',
  refused: '拒绝配合',
};

/**
 * The campaign's tasks and their last visits as .xlsx (exceljs): one row per task of the round(s), a
 * frozen Chinese header, typed columns (dates as dates, counts as numbers), the theme's form fields as
 * columns. Cut to the actor's regions; audited before it is built.
 */
export async function exportCampaign(
  deps: { database: Database; now: () => Date },
  actor: Actor,
  id: string,
  options: { round?: number | undefined } = {},
): Promise<{ filename: string; body: Buffer; rows: number }> {
  const { db } = deps.database;
  const { row, regions } = await loadVisibleCampaign(db, actor, id);
  let q = db
    .selectFrom('screening_tasks as t')
    .innerJoin('base_addresses as a', 'a.id', 't.address_id')
    .leftJoin('base_units as u', (j) => j.onRef('u.id', '=', 't.target_id').on('t.target_kind', '=', 'unit'))
    .leftJoin('regions as rc', 'rc.code', 't.committee_code')
    .leftJoin('regions as rg', 'rg.code', 't.grid_code')
    .leftJoin('users as w', 'w.id', 't.assignee_id')
    .leftJoin('screening_visits as v', (j) =>
      j.onRef('v.task_id', '=', 't.id').on((eb) =>
        eb(
          'v.at',
          '=',
          eb
            .selectFrom('screening_visits as v2')
            .select((e) => e.fn.max('v2.at').as('m'))
            .whereRef('v2.task_id', '=', 't.id'),
        ),
      ),
    )
    .leftJoin('users as vw', 'vw.id', 'v.visitor_id')
    .leftJoin('cases as c', 'c.id', 'v.case_id')
    .select([
      't.round_no',
      'rc.name as committee',
      'rg.name as grid',
      'a.full_text',
      'u.name as unit_name',
      't.target_kind',
      't.status',
      'w.display_name as assignee',
      't.due_at',
      't.attempts',
      'v.at as visited_at',
      'v.outcome',
      'vw.display_name as visitor',
      'v.distance_m',
      'v.far_reason',
      'v.answers',
      'c.case_no',
    ])
    .where('t.campaign_id', '=', id)
    .where(addressScope(regions))
    .orderBy('t.round_no')
    .orderBy('t.committee_code')
    .orderBy('t.grid_code')
    .orderBy('a.full_text')
    .limit(50_000);
  if (options.round !== undefined) q = q.where('t.round_no', '=', options.round);
  const rows = await q.execute();
  const now = deps.now();
  await db.transaction().execute((trx) =>
    appendAudit(trx, {
      actor,
      action: 'screening.campaign.export',
      target: `screening:${id}`,
      payload: { round: options.round ?? null, rows: rows.length },
      at: now,
    }),
  );

  const fields = THEMES[row.theme].fields;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('排摸任务', { views: [{ state: 'frozen', ySplit: 1 }] });
  const date = { numFmt: 'yyyy-mm-dd hh:mm' };
  const int = { numFmt: '0' };
  sheet.columns = [
    { header: '轮次', key: 'round', width: 6, style: int },
    { header: '居委会', key: 'committee', width: 14 },
    { header: '网格', key: 'grid', width: 14 },
    { header: '地址', key: 'address', width: 36 },
    { header: '对象类型', key: 'kind', width: 8 },
    { header: '单位名称', key: 'unit', width: 20 },
    { header: '任务状态', key: 'status', width: 10 },
    { header: '走访人员', key: 'assignee', width: 12 },
    { header: '截止时间', key: 'due', width: 17, style: date },
    { header: '走访次数', key: 'attempts', width: 8, style: int },
    { header: '最近走访时间', key: 'visitedAt', width: 17, style: date },
    { header: '走访结果', key: 'outcome', width: 10 },
    { header: '走访人', key: 'visitor', width: 12 },
    { header: '距地址(米)', key: 'distance', width: 10, style: int },
    { header: '定位说明', key: 'farReason', width: 20 },
    ...fields.map((f) => ({
      header: f.label.zh,
      key: `f_${f.key}`,
      width: f.kind === 'text' ? 30 : 12,
      ...(f.kind === 'integer' ? { style: int } : {}),
    })),
    { header: '案件编号', key: 'caseNo', width: 18 },
  ];
  sheet.getRow(1).font = { bold: true };
  // Excel has no time zones: Beijing wall-clock times, written as UTC dates
  const local = (d: Date | string | null) => (d ? new Date(new Date(d).getTime() + 8 * 3_600_000) : null);
  for (const r of rows) {
    const answers = (r.answers ?? {}) as Record<string, string | number | boolean>;
    sheet.addRow({
      round: r.round_no,
      committee: r.committee,
      grid: r.grid,
      address: r.full_text,
      kind: r.target_kind === 'unit' ? '单位' : '房屋',
      unit: r.unit_name,
      status: STATUS_ZH[r.status],
      assignee: r.assignee,
      due: local(r.due_at),
      attempts: r.attempts,
      visitedAt: local(r.visited_at),
      outcome: r.outcome ? OUTCOME_ZH[r.outcome] : null,
      visitor: r.visitor,
      distance: r.distance_m,
      farReason: r.far_reason,
      ...Object.fromEntries(
        fields.map((f) => {
          const v = answers[f.key];
          const shown =
            typeof v === 'boolean'
              ? v
                ? '是'
                : '否'
              : f.kind === 'choice'
                ? (f.options?.find((o) => o.value === v)?.zh ?? v)
                : v;
          return [`f_${f.key}`, shown ?? null];
        }),
      ),
      caseNo: r.case_no,
    });
  }
  const body = Buffer.from(await workbook.xlsx.writeBuffer());
  const stamp = formatShanghai(now).slice(0, 10);
  return { filename: `排摸-${row.name}-${stamp}.xlsx`, body, rows: rows.length };
}
