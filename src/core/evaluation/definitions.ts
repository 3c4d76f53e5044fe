/**
 * The evaluation indicators of DESIGN §7 (综合评价), as data: per unit kind, each indicator's numerator
 * and denominator, formula, what counts, the standard it follows and its default weight, in Chinese and
 * English. The computation is `computeEvaluation` (compute.ts); this file is what the definitions page
 * and the API show. Where CJ/T 292 / GB/T 30428.4 is silent, the rule we chose is written in `rule`.
 *
 * Rules common to every indicator (`COMMON_RULES`, shown with the definitions):
 * - periods are Beijing days (UTC+8): a month runs from Beijing midnight of the 1st;
 * - every figure is taken **as of the end of the period** (or `asOf`, if earlier): a past month's figures
 *   never change when later events arrive, and re-running over the same log gives the same figures;
 * - an event counts in the period its `at` falls in; a case counts in the period of its *due event*
 *   (for 应结案: its first closure, or — if still open and not withdrawn at the period's end — the first
 *   moment it went overdue, i.e. its first late stage stop or overdue escalation);
 * - an event that stopped a clock with no known deadline (on_time null) is counted as on time;
 * - a rate whose denominator is 0 is not shown (null) and its weight is left out of the composite.
 */

export const COMMON_RULES: readonly { zh: string; en: string }[] = [
  {
    zh: '周期按北京时间计：月度自每月1日0时起。',
    en: 'Periods are Beijing days (UTC+8): a month starts at Beijing midnight of the 1st.',
  },
  {
    zh: '所有数字取周期末（周期未结束时取当前时刻）的状态：已过去的周期不随后续事件改变，同一事件日志重算结果相同。',
    en: 'Every figure is as of the period end (or now, for a running period): past periods never change, and the same event log gives the same figures.',
  },
  {
    zh: '事件按其发生时间计入周期；案件按其应结事件计入周期（首次结案，或期末未结时首次超期的时刻）。',
    en: 'An event counts in the period it happened in; a case counts in the period of its due event (first closure, or if still open at the period end, the moment it first went overdue).',
  },
  {
    zh: '按日汇总（北京时间）：每项计入其锚定事件发生的那一天——上报、立案、派遣、处置、核实、核查按该事件当日；应结案按应结事件当日（首次结案日，或未结时首次超期日）；满意率按最后一次回访当日；超时未处置按该轮首次超时督办当日。之后状态的改变（作废、不予立案、退回、结案、再次回访、处置反馈）记在改变当日，一个周期只计入期末前发生的改变。任何周期（周、月、季、年、自定义）均为其各日之和。',
    en: 'Day roll-ups (Beijing days): each figure counts on the day of its anchor event — the report, registration, dispatch, handling, verification or check itself; for cases due, the due event (first closure, or the first time it went overdue while open); for satisfaction, the last follow-up; for overdue unhandled, the first overdue escalation of its run in the period. A later change of status (cancelled, rejected, returned, closed, followed up again, handled) is recorded on the day it happens, and a period counts only the changes before its end. Any period (week, month, quarter, year, custom range) is the sum of its days.',
  },
  {
    zh: '无时限的环节（未设定截止时间）视为按时。',
    en: 'A stage stopped without a known deadline counts as on time.',
  },
  {
    zh: '分母为0的指标不显示，其权重不计入综合得分；样本量（最大分母）低于阈值的单位标记为样本不足，不参与排名。',
    en: 'An indicator with denominator 0 is not shown and its weight is left out of the composite; a unit whose largest denominator is below the threshold is flagged and not ranked.',
  },
];

export const UNIT_KINDS = [
  'street',
  'committee',
  'grid',
  'department',
  'patroller',
  'intake',
  'shift_lead',
  'dispatcher',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const TERRITORY_KINDS = ['street', 'committee', 'grid'] as const satisfies readonly UnitKind[];

export const UNIT_KIND_NAMES: Record<UnitKind, { zh: string; en: string }> = {
  street: { zh: '街道', en: 'Street' },
  committee: { zh: '居村委', en: 'Committee' },
  grid: { zh: '网格', en: 'Grid' },
  department: { zh: '职能部门', en: 'Department' },
  patroller: { zh: '网格巡管员', en: 'Patroller' },
  intake: { zh: '受理员', en: 'Intake staff' },
  shift_lead: { zh: '值班长', en: 'Shift lead' },
  dispatcher: { zh: '派遣员', en: 'Dispatcher' },
};

export const INDICATOR_IDS = [
  'public_report_rate',
  'closure_rate',
  'on_time_closure_rate',
  'satisfaction_rate',
  'on_time_handling_rate',
  'dept_closure_rate',
  'rework_rate',
  'valid_report_rate',
  'on_time_verification_rate',
  'on_time_check_rate',
  'missed_report_rate',
  'verification_dispatch_rate',
  'check_dispatch_rate',
  'on_time_registration_rate',
  'accurate_registration_rate',
  'on_time_closing_rate',
  'on_time_dispatch_rate',
  'accurate_dispatch_rate',
] as const;
export type IndicatorId = (typeof INDICATOR_IDS)[number];

export interface Text2 {
  zh: string;
  en: string;
}

export interface IndicatorDefinition {
  id: IndicatorId;
  /** The unit kinds this indicator is computed for. */
  kinds: readonly UnitKind[];
  name: Text2;
  numerator: Text2;
  denominator: Text2;
  formula: Text2;
  /** `higher`: a higher rate is better (score = rate × 100); `lower`: score = (1 − rate) × 100, rate capped at 1. */
  better: 'higher' | 'lower';
  /** The default weight in its kind's composite score (the weights of a kind add up to 100). */
  weight: number;
  standard: string;
  /** What counts, and the rule we chose where the standard is silent. */
  rule: Text2;
}

const TERRITORY = TERRITORY_KINDS;
const CJT292_REGION = 'CJ/T 292-2008 §5 区域评价 (GB/T 30428.4)';
const CJT292_DEPT = 'CJ/T 292-2008 §6 部门评价 (GB/T 30428.4)';
const CJT292_SUP = 'CJ/T 292-2008 §7 监督员评价';
const CJT292_CENTRE = 'CJ/T 292-2008 §8 岗位评价 (受理员、值班长、派遣员)';

export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    id: 'public_report_rate',
    kinds: TERRITORY,
    name: { zh: '监督举报率', en: 'Public report rate' },
    numerator: {
      zh: '公众举报数（市民、12345热线上报）',
      en: 'reports by the public (citizen, 12345 hotline)',
    },
    denominator: { zh: '上报总数', en: 'all reports' },
    formula: { zh: '监督举报率 = 公众举报数 / 上报总数', en: 'public reports / all reports' },
    better: 'lower',
    weight: 16,
    standard: CJT292_REGION,
    rule: {
      zh: '按上报事件时间计入周期；案件按其位置归属网格、居村委、街道。公众举报多说明巡查发现不足，越低越好。',
      en: 'Reports count in the period of their report event, in the grid/committee/street of the case location. Many public reports mean patrols miss problems: lower is better.',
    },
  },
  {
    id: 'closure_rate',
    kinds: TERRITORY,
    name: { zh: '结案率', en: 'Closure rate' },
    numerator: { zh: '结案数', en: 'cases closed' },
    denominator: {
      zh: '应结案数（本期结案 + 本期超期未结）',
      en: 'cases due (closed in the period + went overdue in it, still open)',
    },
    formula: { zh: '结案率 = 结案数 / 应结案数', en: 'closed / due' },
    better: 'higher',
    weight: 24,
    standard: CJT292_REGION,
    rule: {
      zh: '案件计入其"应结事件"所在周期：首次结案，或期末仍未结（且未作废、未不予立案）时首次超期的时刻。作废与不予立案的案件不计。',
      en: 'A case counts in the period of its due event: its first closure or, if still open (not cancelled or rejected) at the period end, the moment it first went overdue. Cancelled and rejected cases do not count.',
    },
  },
  {
    id: 'on_time_closure_rate',
    kinds: TERRITORY,
    name: { zh: '按期结案率', en: 'On-time closure rate' },
    numerator: { zh: '按期结案数（结案前无任何环节超时）', en: 'cases closed with no stage overdue' },
    denominator: { zh: '应结案数', en: 'cases due' },
    formula: { zh: '按期结案率 = 按期结案数 / 应结案数', en: 'closed on time / due' },
    better: 'higher',
    weight: 40,
    standard: CJT292_REGION,
    rule: {
      zh: '结案前任一环节超时停止或被超时督办（超时升级），即为超期结案。挂账期间计时暂停，不算超时。',
      en: 'A case closed after any stage stopped late or was escalated as overdue is closed late. Suspension (挂账) stops the clock.',
    },
  },
  {
    id: 'satisfaction_rate',
    kinds: TERRITORY,
    name: { zh: '满意率', en: 'Satisfaction rate' },
    numerator: {
      zh: '满意数（满意 + 基本满意）',
      en: 'follow-ups satisfied or basically satisfied',
    },
    denominator: { zh: '回访数（有回访结果的案件）', en: 'cases with a follow-up result' },
    formula: {
      zh: '满意率 = (满意 + 基本满意) / 回访数',
      en: '(satisfied + basically satisfied) / cases followed up',
    },
    better: 'higher',
    weight: 20,
    standard: 'GB/T 30428.4 公众满意度；12345 热线回访',
    rule: {
      zh: '按回访（follow_up）事件计：每个案件取期末前最后一次回访结果（后一次覆盖前一次），若该次回访发生在本期则计入本期；案件按其位置归属网格、居村委、街道。市民自评与受理员电话回访同等计入。默认权重 20，其余三项按 2:3:5 分配 80（16、24、40），无回访的单位综合得分与不计满意率时相同。',
      en: 'Counted on the follow-up events: per case, the last result before the period end wins (a later one replaces an earlier one), counted in the period that last follow-up falls in, for the grid/committee/street of the case location. A citizen’s own rating and a hotline call count alike. Default weight 20; the other three share 80 as 2:3:5 (16, 24, 40), so a unit without follow-ups scores as it did without this indicator.',
    },
  },
  {
    id: 'on_time_handling_rate',
    kinds: ['department'],
    name: { zh: '按时处置率', en: 'On-time handling rate' },
    numerator: { zh: '按时处置数', en: 'handling reports on time' },
    denominator: { zh: '应处置数 = 处置数 + 超时未处置数', en: 'due = handling reports + overdue unhandled' },
    formula: { zh: '按时处置率 = 按时处置数 / 应处置数', en: 'handled on time / due' },
    better: 'higher',
    weight: 50,
    standard: CJT292_DEPT,
    rule: {
      zh: '处置数按处置反馈事件计（返工后再次处置另计一次）；超时未处置：本期处置环节超时升级、期末仍未处置的案件，计入当时的主办部门。',
      en: 'Each handling report counts (a report after rework counts again); overdue unhandled: the handling clock was escalated as overdue in the period and no handling report followed by its end — counted for the lead department of that moment.',
    },
  },
  {
    id: 'dept_closure_rate',
    kinds: ['department'],
    name: { zh: '结案率', en: 'Closure rate' },
    numerator: { zh: '结案数（应处置案件期末已结案）', en: 'of those, cases closed by the period end' },
    denominator: { zh: '应结案数 = 处置数 + 超时未处置数', en: 'due = handling reports + overdue unhandled' },
    formula: { zh: '结案率 = 结案数 / 应结案数', en: 'closed / due' },
    better: 'higher',
    weight: 20,
    standard: CJT292_DEPT,
    rule: {
      zh: '分母同按时处置率；分子为其中期末已结案者。',
      en: 'Same denominator as the on-time handling rate; the numerator is the part already closed at the period end.',
    },
  },
  {
    id: 'rework_rate',
    kinds: ['department'],
    name: { zh: '返工率', en: 'Rework rate' },
    numerator: { zh: '返工数（核查不通过）', en: 'reworks (failed checks)' },
    denominator: { zh: '应结案数 = 处置数 + 超时未处置数', en: 'due = handling reports + overdue unhandled' },
    formula: { zh: '返工率 = 返工数 / 应结案数', en: 'reworks / due' },
    better: 'lower',
    weight: 30,
    standard: CJT292_DEPT,
    rule: {
      zh: '返工按本期"核查不通过"事件计，归当时的主办部门。越低越好；计分时比率以 1 封顶。',
      en: 'Each failed check in the period counts against the lead department of that moment. Lower is better; the rate is capped at 1 for the score.',
    },
  },
  {
    id: 'valid_report_rate',
    kinds: ['patroller'],
    name: { zh: '有效上报率', en: 'Valid report rate' },
    numerator: { zh: '有效上报数（期末未被不予立案）', en: 'reports not rejected by the period end' },
    denominator: { zh: '上报数', en: 'reports' },
    formula: { zh: '有效上报率 = 有效上报数 / 上报数', en: 'valid reports / reports' },
    better: 'higher',
    weight: 40,
    standard: CJT292_SUP,
    rule: {
      zh: '期末尚未受理的上报视为有效；不予立案（含重复合并）为无效。',
      en: 'A report still awaiting intake at the period end counts as valid; a rejected one (duplicates included) does not.',
    },
  },
  {
    id: 'on_time_verification_rate',
    kinds: ['patroller'],
    name: { zh: '按时核实率', en: 'On-time verification rate' },
    numerator: { zh: '按时核实数', en: 'verifications on time' },
    denominator: { zh: '核实数', en: 'verifications submitted' },
    formula: { zh: '按时核实率 = 按时核实数 / 核实数', en: 'on time / submitted' },
    better: 'higher',
    weight: 20,
    standard: CJT292_SUP,
    rule: {
      zh: '按反馈核实事件计，以核实时限为准。',
      en: 'Counted on the verification reports, against the verification limit.',
    },
  },
  {
    id: 'on_time_check_rate',
    kinds: ['patroller'],
    name: { zh: '按时核查率', en: 'On-time check rate' },
    numerator: { zh: '按时核查数', en: 'checks on time' },
    denominator: { zh: '核查数', en: 'checks submitted' },
    formula: { zh: '按时核查率 = 按时核查数 / 核查数', en: 'on time / submitted' },
    better: 'higher',
    weight: 20,
    standard: CJT292_SUP,
    rule: {
      zh: '按反馈核查事件计，以核查时限为准。',
      en: 'Counted on the check reports, against the check limit.',
    },
  },
  {
    id: 'missed_report_rate',
    kinds: ['patroller'],
    name: { zh: '漏报率', en: 'Missed report rate' },
    numerator: { zh: '责任网格内的公众举报数', en: 'public reports in the patroller’s grid' },
    denominator: { zh: '责任网格内的上报总数', en: 'all reports in that grid' },
    formula: {
      zh: '漏报率 = 公众举报数 / 上报总数（责任网格）',
      en: 'public reports / all reports (own grid)',
    },
    better: 'lower',
    weight: 20,
    standard: CJT292_SUP,
    rule: {
      zh: '巡管员的责任网格取其本期事件的所属单元（网格或居村委）。越低越好。',
      en: 'The patroller’s area is the unit (grid or committee) of their events in the period. Lower is better.',
    },
  },
  {
    id: 'verification_dispatch_rate',
    kinds: ['intake'],
    name: { zh: '核实按时派发率', en: 'Verification sent on time' },
    numerator: { zh: '按时派发核实数', en: 'verifications sent on time' },
    denominator: { zh: '派发核实数', en: 'verifications sent' },
    formula: { zh: '核实按时派发率 = 按时派发数 / 派发数', en: 'sent on time / sent' },
    better: 'higher',
    weight: 50,
    standard: CJT292_CENTRE,
    rule: {
      zh: '派发核实停止受理时钟，以受理时限为准。',
      en: 'Sending a verification stops the intake clock; on time against the intake limit.',
    },
  },
  {
    id: 'check_dispatch_rate',
    kinds: ['intake'],
    name: { zh: '核查按时派发率', en: 'Check sent on time' },
    numerator: { zh: '按时派发核查数', en: 'checks sent on time' },
    denominator: { zh: '派发核查数', en: 'checks sent' },
    formula: { zh: '核查按时派发率 = 按时派发数 / 派发数', en: 'sent on time / sent' },
    better: 'higher',
    weight: 50,
    standard: CJT292_CENTRE,
    rule: {
      zh: '核查时限从处置反馈起算并覆盖派发与核查；派发前核查环节已超时升级即为超时派发。',
      en: 'The check clock runs from the handling report through sending and doing the check; sent late when the check stage was escalated as overdue before it was sent.',
    },
  },
  {
    id: 'on_time_registration_rate',
    kinds: ['shift_lead'],
    name: { zh: '按时立案率', en: 'On-time registration rate' },
    numerator: { zh: '按时立案数', en: 'registrations on time' },
    denominator: { zh: '立案数', en: 'registrations' },
    formula: { zh: '按时立案率 = 按时立案数 / 立案数', en: 'on time / registrations' },
    better: 'higher',
    weight: 30,
    standard: CJT292_CENTRE,
    rule: {
      zh: '归立案操作人（不论角色）。',
      en: 'Counted for the user who registered, whatever their role.',
    },
  },
  {
    id: 'accurate_registration_rate',
    kinds: ['shift_lead'],
    name: { zh: '准确立案率', en: 'Accurate registration rate' },
    numerator: { zh: '立案数 − 作废数', en: 'registrations − cancelled' },
    denominator: { zh: '立案数', en: 'registrations' },
    formula: {
      zh: '准确立案率 = (立案数 − 作废数) / 立案数',
      en: '(registrations − cancelled) / registrations',
    },
    better: 'higher',
    weight: 40,
    standard: CJT292_CENTRE,
    rule: {
      zh: '本期立案、期末已作废的案件计为作废。',
      en: 'A case registered in the period and cancelled by its end counts as cancelled.',
    },
  },
  {
    id: 'on_time_closing_rate',
    kinds: ['shift_lead'],
    name: { zh: '按时结案率', en: 'On-time closing rate' },
    numerator: { zh: '按时结案数', en: 'closings on time' },
    denominator: { zh: '结案数', en: 'closings' },
    formula: { zh: '按时结案率 = 按时结案数 / 结案数', en: 'on time / closings' },
    better: 'higher',
    weight: 30,
    standard: CJT292_CENTRE,
    rule: {
      zh: '以结案环节时限为准（核查通过到结案）。',
      en: 'Against the closing limit (from the passed check to the closure).',
    },
  },
  {
    id: 'on_time_dispatch_rate',
    kinds: ['dispatcher'],
    name: { zh: '按时派遣率', en: 'On-time dispatch rate' },
    numerator: { zh: '按时派遣数', en: 'dispatches on time' },
    denominator: { zh: '派遣数', en: 'dispatches' },
    formula: { zh: '按时派遣率 = 按时派遣数 / 派遣数', en: 'on time / dispatches' },
    better: 'higher',
    weight: 50,
    standard: CJT292_CENTRE,
    rule: {
      zh: '按派遣事件计，归派遣操作人。',
      en: 'Counted on the dispatch events, for the user who dispatched.',
    },
  },
  {
    id: 'accurate_dispatch_rate',
    kinds: ['dispatcher'],
    name: { zh: '准确派遣率', en: 'Accurate dispatch rate' },
    numerator: { zh: '应派遣数 − 退回数', en: 'dispatches − returned' },
    denominator: { zh: '应派遣数', en: 'dispatches' },
    formula: {
      zh: '准确派遣率 = (应派遣数 − 退回数) / 应派遣数',
      en: '(dispatches − returned) / dispatches',
    },
    better: 'higher',
    weight: 50,
    standard: CJT292_CENTRE,
    rule: {
      zh: '派遣后、下次派遣前被部门退回（至期末）即为退回。',
      en: 'A dispatch is returned when the department sent it back before the next dispatch (by the period end).',
    },
  },
];

export const INDICATOR_BY_ID = Object.fromEntries(INDICATORS.map((d) => [d.id, d])) as Record<
  IndicatorId,
  IndicatorDefinition
>;

export const indicatorsOf = (kind: UnitKind): IndicatorDefinition[] =>
  INDICATORS.filter((d) => d.kinds.includes(kind));

/** Grades (等级): A ≥ 90, B 75–90, C 60–75, D 40–60, E < 40 (the lower bound belongs to the higher grade). */
export const GRADES = [
  { grade: 'A', min: 90 },
  { grade: 'B', min: 75 },
  { grade: 'C', min: 60 },
  { grade: 'D', min: 40 },
  { grade: 'E', min: -Infinity },
] as const;
export type Grade = (typeof GRADES)[number]['grade'];

export const gradeOf = (score: number): Grade => GRADES.find((g) => score >= g.min)!.grade;

/** Why a case or event is in a numerator or a denominator (shown next to each case of a drill-down). */
export const ITEM_REASONS = {
  closed_on_time: { zh: '按期结案', en: 'closed on time' },
  closed_late: { zh: '超期结案', en: 'closed late' },
  overdue_open: { zh: '超期未结', en: 'overdue and open' },
  public_report: { zh: '公众举报', en: 'reported by the public' },
  own_report: { zh: '主动发现上报', en: 'found and reported by staff' },
  handled_on_time: { zh: '按时处置', en: 'handled on time' },
  handled_late: { zh: '超时处置', en: 'handled late' },
  overdue_unhandled: { zh: '超时未处置', en: 'overdue, not handled' },
  closed: { zh: '已结案', en: 'closed' },
  not_closed: { zh: '未结案', en: 'not closed' },
  rework: { zh: '核查不通过返工', en: 'failed check, rework' },
  valid: { zh: '有效上报', en: 'valid report' },
  rejected: { zh: '不予立案', en: 'rejected' },
  on_time: { zh: '按时', en: 'on time' },
  late: { zh: '超时', en: 'late' },
  kept: { zh: '立案有效', en: 'registration kept' },
  cancelled: { zh: '已作废', en: 'cancelled' },
  not_returned: { zh: '未被退回', en: 'not returned' },
  returned: { zh: '被退回', en: 'returned' },
  satisfied: { zh: '满意', en: 'satisfied' },
  basically_satisfied: { zh: '基本满意', en: 'basically satisfied' },
  unsatisfied: { zh: '不满意', en: 'unsatisfied' },
} as const satisfies Record<string, Text2>;
export type ItemReason = keyof typeof ITEM_REASONS;

export interface EvaluationSettings {
  /** Per unit kind, per indicator: its weight. Missing entries fall back to the default weight. */
  weights: Partial<Record<UnitKind, Partial<Record<IndicatorId, number>>>>;
  /** A unit whose largest denominator is below this is flagged 样本不足 and not ranked. */
  minDenominator: number;
  /** 回访: working days after the closure by which the follow-up is due (default 3, follow-up.ts). */
  followUpDays?: number;
}

export const DEFAULT_MIN_DENOMINATOR = 10;

export const DEFAULT_SETTINGS: EvaluationSettings = {
  weights: {},
  minDenominator: DEFAULT_MIN_DENOMINATOR,
  followUpDays: 3,
};

/** The weights of a kind in force: the stored ones, the defaults for the rest. */
export const weightsOf = (settings: EvaluationSettings, kind: UnitKind): Record<string, number> =>
  Object.fromEntries(indicatorsOf(kind).map((d) => [d.id, weightOf(settings, kind, d.id)]));

/**
 * What is wrong with the weights of a settings edit: per kind, each weight 0–100 and the weights in force
 * (the given ones, the defaults for the rest) adding up to 100. Empty when valid.
 */
export function weightProblems(settings: EvaluationSettings): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  for (const [kind, byId] of Object.entries(settings.weights)) {
    if (!(UNIT_KINDS as readonly string[]).includes(kind)) {
      problems.push({ path: `/weights/${kind}`, message: `no unit kind ${kind}` });
      continue;
    }
    for (const [id, w] of Object.entries(byId ?? {})) {
      const def = INDICATOR_BY_ID[id as IndicatorId];
      if (!def || !def.kinds.includes(kind as UnitKind)) {
        problems.push({ path: `/weights/${kind}/${id}`, message: `${kind} has no indicator ${id}` });
      } else if (typeof w !== 'number' || !Number.isFinite(w) || w < 0 || w > 100) {
        problems.push({ path: `/weights/${kind}/${id}`, message: 'a weight is between 0 and 100' });
      }
    }
    if (problems.length) continue;
    const sum = Object.values(weightsOf(settings, kind as UnitKind)).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 100) > 1e-6) {
      problems.push({
        path: `/weights/${kind}`,
        message: `the weights of ${kind} add up to ${sum}, not 100`,
      });
    }
  }
  return problems;
}

export const weightOf = (settings: EvaluationSettings, kind: UnitKind, id: IndicatorId): number =>
  settings.weights[kind]?.[id] ?? INDICATOR_BY_ID[id].weight;
