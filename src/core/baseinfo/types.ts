/**
 * Base information (一标三实, issue 12): the standard address list and the three "actuals" — dwellings
 * (实有房屋), people (实有人口) and units (实有单位). The enums are declared once here; the table types
 * (src/db/schema/baseinfo.ts) and the API schemas reuse them.
 */

/** The standard address hierarchy, outermost first: road/lane (路/弄) → number (号) → building (幢) → unit (单元) → room (室). */
export const ADDRESS_LEVELS = ['road', 'number', 'building', 'unit', 'room'] as const;
export type AddressLevel = (typeof ADDRESS_LEVELS)[number];

export const DWELLING_USES = [
  'residential',
  'shop',
  'office',
  'workshop',
  'warehouse',
  'mixed',
  'other',
] as const;
export type DwellingUse = (typeof DWELLING_USES)[number];

/** 自住 / 出租 / 空置 */
export const OCCUPANCIES = ['owner_occupied', 'rented', 'vacant'] as const;
export type Occupancy = (typeof OCCUPANCIES)[number];

/** 居民身份证, 护照, 港澳居民来往内地通行证, 台湾居民来往大陆通行证, 外国人永久居留身份证, other. */
export const ID_TYPES = [
  'resident_id',
  'passport',
  'hk_macao_permit',
  'taiwan_permit',
  'foreign_permanent',
  'other',
] as const;
export type IdType = (typeof ID_TYPES)[number];

export const SEXES = ['male', 'female'] as const;
export type Sex = (typeof SEXES)[number];

/** 户籍 category: 本市户籍 (local) / 来沪人员 (migrant) / 境外人员 (overseas). */
export const HUKOU_CATEGORIES = ['local', 'migrant', 'overseas'] as const;
export type HukouCategory = (typeof HUKOU_CATEGORIES)[number];

export const PERSON_STATUSES = ['present', 'left', 'deceased'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/** 公司 / 个体工商户 / 机关事业单位·社会组织. */
export const UNIT_KINDS = ['company', 'individual', 'organisation'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Industries the next issues screen for (catering, food workshops, clinics…) plus the common rest. */
export const INDUSTRIES = [
  'catering', // 餐饮
  'food_workshop', // 食品小作坊
  'clinic', // 诊所
  'pharmacy', // 药店
  'retail', // 零售
  'hotel', // 旅馆
  'entertainment', // 娱乐场所
  'beauty', // 美容美发
  'education', // 培训机构
  'manufacturing', // 加工制造
  'logistics', // 物流仓储
  'repair', // 维修
  'office', // 办公
  'other',
] as const;
export type Industry = (typeof INDUSTRIES)[number];

/** Industries that need a permit to operate (食品经营许可证, 医疗机构执业许可证…): no licence = a finding. */
export const LICENSED_INDUSTRIES: ReadonlySet<Industry> = new Set<Industry>([
  'catering',
  'food_workshop',
  'clinic',
  'pharmacy',
  'hotel',
  'entertainment',
]);

export const LICENCE_STATUSES = ['valid', 'expired', 'none', 'revoked'] as const;
export type LicenceStatus = (typeof LICENCE_STATUSES)[number];

export const UNIT_STATUSES = ['active', 'closed'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export const BASE_ENTITIES = ['address', 'dwelling', 'person', 'unit'] as const;
export type BaseEntity = (typeof BASE_ENTITIES)[number];

/** Where a change of base information came from (the history's `source`). */
export const CHANGE_SOURCES = ['manual', 'import', 'visit', 'demo', 'system'] as const;
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

export const CHANGE_ACTIONS = ['create', 'update', 'delete'] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

/** A standard address, one level of the hierarchy. */
export interface Address {
  id: string;
  code: string;
  level: AddressLevel;
  parentId: string | null;
  name: string;
  fullText: string;
  normalized: string;
  streetCode: string;
  committeeCode: string | null;
  gridCode: string | null;
  lon: number | null;
  lat: number | null;
}

/** A dwelling (实有房屋) at a building-, unit- or room-level address. */
export interface Dwelling {
  id: string;
  addressId: string;
  use: DwellingUse;
  occupancy: Occupancy;
  areaM2: number | null;
  rooms: number | null;
  note: string | null;
}

/** A person (实有人口) in clear — only ever in memory; stored encrypted (src/app/baseinfo/pii.ts). */
export interface Person {
  id: string;
  name: string;
  idType: IdType;
  idNumber: string;
  sex: Sex | null;
  birthDate: string | null; // YYYY-MM-DD
  phone: string | null;
  hukou: HukouCategory;
  dwellingId: string | null;
  movedInOn: string | null;
  leftOn: string | null;
  status: PersonStatus;
}

/** A business or organisation (实有单位). */
export interface BaseUnit {
  id: string;
  name: string;
  creditCode: string | null;
  kind: UnitKind;
  industry: Industry;
  licenceStatus: LicenceStatus;
  licenceNo: string | null;
  licenceExpiresOn: string | null;
  addressId: string | null;
  responsiblePerson: string | null;
  phone: string | null;
  employees: number | null;
  status: UnitStatus;
}
