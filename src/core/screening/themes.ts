import type { DwellingUse, Industry } from '../baseinfo/types.ts';

/**
 * Rolling screening (滚动排摸, issue 13): the themes a campaign can have, each with the fields of its visit
 * form (as data: the web renders them, the server validates them), its target rules and the base
 * information a visit updates. Pure.
 */

export const SCREENING_THEMES = [
  'group_renting', // 群租
  'unlicensed_business', // 无证经营
  'fire_hazards', // 消防隐患
  'underground_workshops', // 地下作坊
  'newcomer_registration', // 来沪人员登记
] as const;
export type ScreeningTheme = (typeof SCREENING_THEMES)[number];

export const VISIT_OUTCOMES = ['normal', 'problem_found', 'nobody_home', 'refused'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];

export const FIELD_KINDS = ['integer', 'boolean', 'choice', 'text'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

/** One field of a theme's visit form. Labels are Chinese and English (the form is rendered from this). */
export interface FormField {
  key: string;
  kind: FieldKind;
  label: { zh: string; en: string };
  /** Required when the visitor met someone (outcome normal or problem_found). */
  required: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  options?: { value: string; zh: string; en: string }[];
}

export const TARGET_RULES = [
  'rented_dwellings', // rented dwellings with ≥ minOccupants registered (or counted) occupants
  'licence_invalid', // active businesses of the industries whose licence is not valid (none, revoked, expired)
  'units_by_industry', // every active business of the industries
  'dwellings_by_use', // every dwelling of the uses (workshops, warehouses…)
  'all_addresses', // every dwelling and business address in the territory
] as const;
export type TargetRule = (typeof TARGET_RULES)[number];

export interface ThemeDefinition {
  theme: ScreeningTheme;
  label: { zh: string; en: string };
  /** The rule a new campaign of the theme starts with, and its parameters. */
  defaultRule: TargetRuleSpec;
  /** Rules a campaign of this theme may choose. */
  rules: readonly TargetRule[];
  fields: readonly FormField[];
}

export interface TargetRuleSpec {
  rule: TargetRule;
  /** rented_dwellings: at least this many occupants (1–100) */
  minOccupants?: number | undefined;
  /** licence_invalid, units_by_industry */
  industries?: Industry[] | undefined;
  /** dwellings_by_use */
  uses?: DwellingUse[] | undefined;
}

const yesNo = (key: string, zh: string, en: string, required = true): FormField => ({
  key,
  kind: 'boolean',
  label: { zh, en },
  required,
});
const count = (key: string, zh: string, en: string, required = true, max = 500): FormField => ({
  key,
  kind: 'integer',
  label: { zh, en },
  required,
  min: 0,
  max,
});
const note: FormField = {
  key: 'note',
  kind: 'text',
  label: { zh: '情况说明', en: 'Notes' },
  required: false,
  maxLength: 1000,
};

export const LICENCE_SEEN_OPTIONS = [
  { value: 'valid', zh: '有效证照', en: 'Valid licence' },
  { value: 'expired', zh: '证照过期', en: 'Licence expired' },
  { value: 'none', zh: '无证照', en: 'No licence' },
] as const;

export const THEMES: Readonly<Record<ScreeningTheme, ThemeDefinition>> = {
  group_renting: {
    theme: 'group_renting',
    label: { zh: '群租整治排摸', en: 'Group renting' },
    defaultRule: { rule: 'rented_dwellings', minOccupants: 5 },
    rules: ['rented_dwellings', 'all_addresses'],
    fields: [
      count('occupantsCounted', '实际居住人数', 'Occupants counted', true, 200),
      yesNo('partitioned', '是否违规隔断', 'Partitioned rooms'),
      count('beds', '床位数', 'Beds', false, 200),
      yesNo('fireEquipment', '是否配备灭火器材', 'Fire extinguisher present'),
      note,
    ],
  },
  unlicensed_business: {
    theme: 'unlicensed_business',
    label: { zh: '无证经营排摸', en: 'Unlicensed business' },
    defaultRule: { rule: 'licence_invalid', industries: ['catering'] },
    rules: ['licence_invalid', 'units_by_industry', 'all_addresses'],
    fields: [
      {
        key: 'licenceSeen',
        kind: 'choice',
        label: { zh: '现场证照情况', en: 'Licence seen' },
        required: true,
        options: LICENCE_SEEN_OPTIONS.map((o) => ({ ...o })),
      },
      {
        key: 'licenceNo',
        kind: 'text',
        label: { zh: '许可证号', en: 'Licence number' },
        required: false,
        maxLength: 40,
      },
      yesNo('operating', '是否在营业', 'Operating'),
      note,
    ],
  },
  fire_hazards: {
    theme: 'fire_hazards',
    label: { zh: '消防隐患排摸', en: 'Fire hazards' },
    defaultRule: { rule: 'dwellings_by_use', uses: ['shop', 'workshop', 'warehouse', 'mixed'] },
    rules: ['dwellings_by_use', 'units_by_industry', 'all_addresses'],
    fields: [
      yesNo('extinguishers', '灭火器材完好', 'Extinguishers in order'),
      yesNo('exitsClear', '疏散通道畅通', 'Exits clear'),
      yesNo('wiringSafe', '电气线路规范', 'Wiring safe'),
      yesNo('ebikeIndoors', '电动车室内充电', 'E-bikes charged indoors'),
      yesNo('livingInWorkplace', '“三合一”住人', 'People living in the workplace'),
      note,
    ],
  },
  underground_workshops: {
    theme: 'underground_workshops',
    label: { zh: '地下作坊排摸', en: 'Underground workshops' },
    defaultRule: { rule: 'dwellings_by_use', uses: ['workshop', 'warehouse', 'mixed'] },
    rules: ['dwellings_by_use', 'units_by_industry', 'all_addresses'],
    fields: [
      yesNo('productionFound', '发现生产加工', 'Production found'),
      count('workers', '作业人数', 'Workers', false, 1000),
      yesNo('hazardousMaterials', '存放危险物品', 'Hazardous materials'),
      note,
    ],
  },
  newcomer_registration: {
    theme: 'newcomer_registration',
    label: { zh: '来沪人员登记排摸', en: 'Newcomer registration' },
    defaultRule: { rule: 'rented_dwellings', minOccupants: 1 },
    rules: ['rented_dwellings', 'all_addresses'],
    fields: [
      count('occupantsCounted', '实际居住人数', 'Occupants counted', true, 200),
      count('unregistered', '未登记人数', 'Not registered', true, 200),
      count('registeredOnSite', '现场登记人数', 'Registered on the spot', false, 200),
      note,
    ],
  },
};

export type FormAnswers = Record<string, string | number | boolean>;
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * The answers of a visit checked against its theme's form: unknown keys, wrong kinds, bounds and
 * options are refused; required fields are required only when the visitor met someone (normal,
 * problem_found). Returns the clean answers (text trimmed, empty text dropped) or the problems.
 */
export function validateAnswers(
  theme: ScreeningTheme,
  outcome: VisitOutcome,
  answers: Readonly<Record<string, unknown>>,
): { ok: true; answers: FormAnswers } | { ok: false; problems: FieldProblem[] } {
  const fields = THEMES[theme].fields;
  const problems: FieldProblem[] = [];
  const clean: FormAnswers = {};
  const met = outcome === 'normal' || outcome === 'problem_found';
  for (const key of Object.keys(answers)) {
    if (!fields.some((f) => f.key === key))
      problems.push({ path: `/answers/${key}`, message: 'not a field of this theme' });
  }
  for (const f of fields) {
    const raw = answers[f.key];
    const value = raw;
    const path = `/answers/${f.key}`;
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      if (met && f.required) problems.push({ path, message: 'required' });
      continue;
    }
    switch (f.kind) {
      case 'integer': {
        // JSON numbers, or their canonical text (query-style clients and coercing validators send "11")
        const value = typeof raw === 'string' && /^-?[0-9]{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : raw;
        if (typeof value !== 'number' || !Number.isInteger(value))
          problems.push({ path, message: 'must be a whole number' });
        else if ((f.min !== undefined && value < f.min) || (f.max !== undefined && value > f.max))
          problems.push({ path, message: `must be between ${f.min} and ${f.max}` });
        else clean[f.key] = value;
        break;
      }
      case 'boolean': {
        const value = raw === 'true' ? true : raw === 'false' ? false : raw;
        if (typeof value !== 'boolean') problems.push({ path, message: 'must be true or false' });
        else clean[f.key] = value;
        break;
      }
      case 'choice':
        if (typeof value !== 'string' || !f.options?.some((o) => o.value === value))
          problems.push({ path, message: 'not one of the options' });
        else clean[f.key] = value;
        break;
      case 'text':
        if (typeof value !== 'string') problems.push({ path, message: 'must be text' });
        else if (value.trim().length > (f.maxLength ?? 1000)) problems.push({ path, message: 'too long' });
        else clean[f.key] = value.trim();
        break;
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, answers: clean };
}

/** What a visit's answers change in the base information it checked (written with history, source 'visit'). */
export type BaseInfoUpdate =
  | { entity: 'dwelling'; id: string; field: 'occupants_counted'; value: number }
  | { entity: 'unit'; id: string; field: 'licence_status'; value: 'valid' | 'expired' | 'none' }
  | { entity: 'unit'; id: string; field: 'licence_no'; value: string };

/**
 * A visit updates what it checked: the occupants counted in a dwelling (group renting, newcomers), the
 * licence seen at a business (unlicensed business). Only when the visitor met someone.
 */
export function baseInfoUpdates(
  target: { kind: TargetKind; id: string },
  outcome: VisitOutcome,
  answers: FormAnswers,
): BaseInfoUpdate[] {
  if (outcome !== 'normal' && outcome !== 'problem_found') return [];
  const out: BaseInfoUpdate[] = [];
  if (target.kind === 'dwelling' && typeof answers.occupantsCounted === 'number')
    out.push({
      entity: 'dwelling',
      id: target.id,
      field: 'occupants_counted',
      value: answers.occupantsCounted,
    });
  if (target.kind === 'unit') {
    const seen = answers.licenceSeen;
    if (seen === 'valid' || seen === 'expired' || seen === 'none')
      out.push({ entity: 'unit', id: target.id, field: 'licence_status', value: seen });
    if (typeof answers.licenceNo === 'string' && answers.licenceNo.length > 0)
      out.push({ entity: 'unit', id: target.id, field: 'licence_no', value: answers.licenceNo });
  }
  return out;
}

export const TARGET_KINDS = ['dwelling', 'unit'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
