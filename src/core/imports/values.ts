/**
 * The words streets write in enumerated columns (性别 "男", 户籍类别 "来沪人员", 房屋用途 "商铺"…) mapped to
 * the base-information enums (src/core/baseinfo/types.ts). A cell that is already an enum value passes;
 * a word not listed here passes unchanged, so the record validator reports it as `unknown_value`
 * rather than the import guessing.
 */

const table = (entries: Record<string, readonly string[]>): Map<string, string> => {
  const map = new Map<string, string>();
  for (const [value, words] of Object.entries(entries)) {
    map.set(value, value);
    for (const w of words) map.set(wordKey(w), value);
  }
  return map;
};

const wordKey = (text: string): string =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-()（）]/gu, '');

const WORDS: Record<string, Record<string, readonly string[]>> = {
  sex: { male: ['男', '男性', 'm', '1'], female: ['女', '女性', 'f', '2'] },
  hukou: {
    local: ['本市户籍', '本市', '户籍人口', '常住户籍', '上海户籍', '沪籍'],
    migrant: ['来沪人员', '来沪', '外来人口', '流动人口', '外省市', '非本市户籍'],
    overseas: ['境外人员', '境外', '外籍', '港澳台', '外国人'],
  },
  idType: {
    resident_id: ['居民身份证', '身份证', '二代身份证', '身份证号'],
    passport: ['护照'],
    hk_macao_permit: ['港澳居民来往内地通行证', '港澳通行证', '回乡证'],
    taiwan_permit: ['台湾居民来往大陆通行证', '台胞证'],
    foreign_permanent: ['外国人永久居留身份证', '永久居留证', '绿卡'],
    other: ['其他', '其它'],
  },
  personStatus: {
    present: ['在住', '实住', '居住', '现住', '正常'],
    left: ['已迁出', '迁出', '离开', '已离开', '注销'],
    deceased: ['死亡', '已故'],
  },
  use: {
    residential: ['住宅', '居住', '住房', '民居'],
    shop: ['商铺', '商业', '门面', '店面', '沿街商铺'],
    office: ['办公', '写字楼'],
    workshop: ['厂房', '作坊', '工场', '生产'],
    warehouse: ['仓库', '仓储', '库房'],
    mixed: ['混合', '商住', '商住两用', '住改商'],
    other: ['其他', '其它'],
  },
  occupancy: {
    owner_occupied: ['自住', '业主自住', '自用', '否'],
    rented: ['出租', '租赁', '群租', '是', '已出租'],
    vacant: ['空置', '闲置', '空关'],
  },
  unitKind: {
    company: ['公司', '企业', '有限公司', '有限责任公司', '股份有限公司'],
    individual: ['个体工商户', '个体', '个体户'],
    organisation: ['机关', '事业单位', '社会组织', '机关事业单位', '社团', '民办非企业', '组织'],
  },
  industry: {
    catering: ['餐饮', '餐饮服务', '饭店', '餐馆', '小吃'],
    food_workshop: ['食品小作坊', '食品加工', '小作坊'],
    clinic: ['诊所', '医疗', '门诊部', '医疗机构', '卫生室'],
    pharmacy: ['药店', '药房', '零售药店'],
    retail: ['零售', '便利店', '超市', '商店', '批发零售'],
    hotel: ['旅馆', '宾馆', '酒店', '住宿'],
    entertainment: ['娱乐场所', '娱乐', 'KTV', '网吧'],
    beauty: ['美容美发', '理发', '美容', '美发'],
    education: ['培训机构', '教育培训', '培训', '教育'],
    manufacturing: ['加工制造', '制造', '加工', '生产制造'],
    logistics: ['物流仓储', '物流', '快递', '仓储'],
    repair: ['维修', '汽修', '修理'],
    office: ['办公', '商务服务'],
    other: ['其他', '其它'],
  },
  licenceStatus: {
    valid: ['有效', '正常', '在有效期', '已办理', '有'],
    expired: ['过期', '已过期', '失效'],
    none: ['无', '无证', '未办理', '没有'],
    revoked: ['吊销', '已吊销', '注销', '撤销'],
  },
  unitStatus: {
    active: ['在营', '营业', '正常', '存续', '开业'],
    closed: ['关闭', '歇业', '停业', '注销'],
  },
};

const VALUES: Record<string, Map<string, string>> = Object.fromEntries(
  Object.entries(WORDS).map(([name, entries]) => [name, table(entries)]),
);

export type ValueTable = keyof typeof WORDS;

/** The Chinese word streets write for an enum value (男, 来沪人员, 餐饮…): exports re-import unchanged. */
export function enumLabel(table: ValueTable, value: string): string {
  return WORDS[table]?.[value]?.[0] ?? value;
}

/** The enum value a cell's word stands for, or the cell itself (trimmed) when the word is not known. */
export function enumValue(table: ValueTable, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return VALUES[table]?.get(wordKey(text)) ?? text.trim();
}
