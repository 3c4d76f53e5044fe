/**
 * Demo organisation for Minhang: departments (条线) with coverage, the two-level categories (DESIGN §1, §5)
 * and the responsibility matrix (权责清单). Department and category names are plausible, not an official
 * list; ids are stable so tests, demo accounts and docs can name them.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema/index.ts';
import type { PoliceMode, TimeUnit } from '../db/schema/territory.ts';

export const DISTRICT_CODE = '310112';

interface DistrictBureau {
  id: string;
  name: string;
  type: string;
}

export const DISTRICT_BUREAUS: DistrictBureau[] = [
  { id: 'dist-police', name: '闵行公安分局', type: 'police' },
  { id: 'dist-chengguan', name: '区城管执法局', type: 'city_management' },
  { id: 'dist-market', name: '区市场监管局', type: 'market_regulation' },
  { id: 'dist-housing', name: '区房屋管理局', type: 'housing' },
  { id: 'dist-health', name: '区卫生健康委员会', type: 'health' },
  { id: 'dist-fire', name: '区消防救援支队', type: 'fire' },
  { id: 'dist-ecology', name: '区生态环境局', type: 'ecology' },
  { id: 'dist-planning', name: '区规划和自然资源局', type: 'planning' },
  { id: 'dist-civil', name: '区民政局', type: 'civil_affairs' },
  { id: 'dist-transport', name: '区交通委员会', type: 'transport' },
  { id: 'dist-greening', name: '区绿化和市容管理局', type: 'greening' },
  { id: 'dist-water', name: '区水务局', type: 'water' },
];

/** Street-level units created for every street/town: [id prefix, name suffix, type]. */
const STREET_UNITS: [string, string, string][] = [
  ['police', '派出所', 'police'],
  ['chengguan', '城管执法中队', 'city_management'],
  ['market', '市场监管所', 'market_regulation'],
  ['housing', '房管办', 'housing'],
  ['mediation', '人民调解委员会', 'civil_affairs'],
];

/** 古美街道 → 古美, 莘庄镇 → 莘庄; 莘庄工业区 stays. */
export const shortStreetName = (name: string) => name.replace(/(街道|镇)$/, '');

type StreetUnitKind = 'police' | 'chengguan' | 'market' | 'housing' | 'mediation';
/** Where a category's case goes: a street-level unit of the case's street, or a district bureau. */
type Handler = { street: StreetUnitKind } | { district: string };

interface CategorySeed {
  code: string;
  zh: string;
  en: string;
  urgency?: 'normal' | 'urgent';
  limit?: [number, TimeUnit];
  police?: PoliceMode;
  stability?: boolean;
  lead?: Handler;
  assist?: Handler[];
}

const S = (street: StreetUnitKind): Handler => ({ street });
const D = (district: string): Handler => ({ district });

/** 大类 (2 digits) followed by their 小类 (4 digits). Limits are the default handling limits (处置时限). */
export const CATEGORY_SEEDS: CategorySeed[] = [
  { code: '01', zh: '房屋管理', en: 'Housing' },
  {
    code: '0101',
    zh: '群租',
    en: 'Group renting',
    limit: [5, 'work_day'],
    police: 'assist',
    lead: S('housing'),
  },
  {
    code: '0102',
    zh: '违法搭建',
    en: 'Illegal construction',
    limit: [20, 'work_day'],
    lead: S('chengguan'),
    assist: [D('dist-planning')],
  },
  { code: '0103', zh: '房屋安全隐患', en: 'Unsafe building', limit: [3, 'work_day'], lead: S('housing') },
  { code: '02', zh: '市场监管', en: 'Market regulation' },
  {
    code: '0201',
    zh: '无证照经营',
    en: 'Unlicensed business',
    limit: [5, 'work_day'],
    lead: S('market'),
    assist: [S('chengguan')],
  },
  { code: '0202', zh: '占道经营', en: 'Street stalls', limit: [4, 'work_hour'], lead: S('chengguan') },
  { code: '0203', zh: '食品安全隐患', en: 'Food safety hazard', limit: [2, 'work_day'], lead: S('market') },
  { code: '03', zh: '卫生健康', en: 'Health' },
  {
    code: '0301',
    zh: '非法行医',
    en: 'Illegal medical practice',
    limit: [5, 'work_day'],
    police: 'assist',
    lead: D('dist-health'),
  },
  { code: '04', zh: '安全生产', en: 'Work safety' },
  {
    code: '0401',
    zh: '地下工厂',
    en: 'Underground workshop',
    limit: [5, 'work_day'],
    police: 'assist',
    lead: S('market'),
    assist: [D('dist-fire')],
  },
  { code: '0402', zh: '消防隐患', en: 'Fire hazard', limit: [1, 'work_day'], lead: D('dist-fire') },
  { code: '05', zh: '市容环境', en: 'City appearance' },
  { code: '0501', zh: '暴露垃圾', en: 'Exposed rubbish', limit: [4, 'work_hour'], lead: D('dist-greening') },
  {
    code: '0502',
    zh: '乱张贴乱涂写',
    en: 'Illegal posters and graffiti',
    limit: [1, 'work_day'],
    lead: S('chengguan'),
  },
  { code: '0503', zh: '绿化损坏', en: 'Damaged greenery', limit: [3, 'work_day'], lead: D('dist-greening') },
  {
    code: '0504',
    zh: '噪声扰民',
    en: 'Noise nuisance',
    limit: [2, 'work_day'],
    lead: D('dist-ecology'),
    police: 'notify',
  },
  { code: '06', zh: '社会治安', en: 'Public security' },
  {
    code: '0601',
    zh: '治安隐患',
    en: 'Public-security hazard',
    limit: [1, 'work_day'],
    police: 'lead',
    lead: S('police'),
  },
  {
    code: '0602',
    zh: '不稳定因素',
    en: 'Signs of unrest',
    urgency: 'urgent',
    limit: [2, 'urgent_hour'],
    police: 'lead',
    stability: true,
    lead: S('police'),
    assist: [S('mediation')],
  },
  {
    code: '0603',
    zh: '矛盾纠纷',
    en: 'Dispute',
    limit: [5, 'work_day'],
    police: 'notify',
    stability: true,
    lead: S('mediation'),
  },
  { code: '07', zh: '市政设施', en: 'Municipal facilities' },
  { code: '0701', zh: '道路破损', en: 'Damaged road', limit: [3, 'work_day'], lead: D('dist-transport') },
  {
    code: '0702',
    zh: '窨井盖缺失',
    en: 'Missing manhole cover',
    urgency: 'urgent',
    limit: [4, 'urgent_hour'],
    lead: D('dist-water'),
  },
];

export interface StreetRef {
  code: string;
  name: string;
}

const unitId = (kind: string, streetCode: string) => `${kind}-${streetCode}`;

/**
 * Inserts departments, coverage, categories and the responsibility matrix (one row per street × 小类, so an
 * admin edits a single street's routing without touching code). Runs inside the caller's transaction.
 */
export async function seedDemoOrganisation(
  trx: Transaction<DB> | Kysely<DB>,
  streets: StreetRef[],
): Promise<void> {
  const departments = [
    ...DISTRICT_BUREAUS.map((b) => ({
      id: b.id,
      name: b.name,
      type: b.type,
      level: 'district' as const,
      region_code: DISTRICT_CODE,
      phone: null,
    })),
    ...streets.flatMap((s) =>
      STREET_UNITS.map(([kind, suffix, type]) => ({
        id: unitId(kind, s.code),
        name: `${shortStreetName(s.name)}${suffix}`,
        type,
        level: 'street' as const,
        region_code: s.code,
        phone: null,
      })),
    ),
  ];
  await trx.insertInto('departments').values(departments).execute();
  await trx
    .insertInto('department_coverage')
    .values(departments.map((d) => ({ department_id: d.id, region_code: d.region_code })))
    .execute();

  await trx
    .insertInto('categories')
    .values(
      CATEGORY_SEEDS.map((c, i) => ({
        code: c.code,
        parent_code: c.code.length === 4 ? c.code.slice(0, 2) : null,
        name_zh: c.zh,
        name_en: c.en,
        urgency: c.urgency ?? 'normal',
        handle_amount: c.limit?.[0] ?? null,
        handle_unit: c.limit?.[1] ?? null,
        police_mode: c.police ?? 'none',
        stability: c.stability ?? false,
        // stability and dispute information never goes on the public page
        sensitive: c.stability ?? false,
        sort: i,
      })),
    )
    .execute();

  const resolve = (h: Handler, street: string) => ('street' in h ? unitId(h.street, street) : h.district);
  const matrix = streets.flatMap((s) =>
    CATEGORY_SEEDS.filter((c) => c.lead).map((c) => {
      const assisting = (c.assist ?? []).map((h) => resolve(h, s.code));
      // police linkage 'assist': the street's police station joins as an assisting department
      if (c.police === 'assist') assisting.push(unitId('police', s.code));
      return {
        category_code: c.code,
        region_code: s.code,
        lead_department_id: resolve(c.lead!, s.code),
        assisting_department_ids: assisting,
        police_mode: null,
      };
    }),
  );
  await trx.insertInto('responsibility_matrix').values(matrix).execute();
}
