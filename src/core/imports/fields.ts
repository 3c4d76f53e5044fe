/**
 * What an import file of each kind may hold (issue 12 §4): the fields of addresses, dwellings, people
 * and units, and the column headers streets actually write for them — Chinese first (地址, 姓名,
 * 证件号码…), English too. Pure data; `headers.ts` maps a file's header row onto these fields.
 */

export const IMPORT_KINDS = ['addresses', 'dwellings', 'people', 'units'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const isImportKind = (value: unknown): value is ImportKind =>
  typeof value === 'string' && (IMPORT_KINDS as readonly string[]).includes(value);

export interface FieldSpec {
  /** The field's name in code and in the API (`idNumber`). */
  field: string;
  /** Must every row have it? (a file without the column is refused before any row is read) */
  required: boolean;
  /** Header texts that name the field, compared after `headerKey()` (case, spaces, brackets ignored). */
  aliases: readonly string[];
}

const f = (field: string, required: boolean, ...aliases: string[]): FieldSpec => ({
  field,
  required,
  aliases,
});

// The address text of a row: the one field every kind but addresses matches against the address list.
const ADDRESS_ALIASES = [
  '地址',
  '标准地址',
  '门牌号',
  '门牌地址',
  '详细地址',
  '房屋地址',
  '住址',
  '居住地址',
  '经营地址',
  '单位地址',
  '注册地址',
  'address',
  'standard address',
];
const ADDRESS_CODE_ALIASES = ['地址编码', '标准地址编码', '地址代码', '门牌编码', 'address code', 'code'];
const COORDINATES = [
  f('lon', false, '经度', 'lon', 'lng', 'longitude', 'x'),
  f('lat', false, '纬度', 'lat', 'latitude', 'y'),
  f('crs', false, '坐标系', '坐标系统', '坐标类型', 'crs', 'datum', 'coordinate system'),
];

/** The fields of each kind, in the order a template file lists them. */
export const IMPORT_FIELDS: Record<ImportKind, readonly FieldSpec[]> = {
  addresses: [
    f('code', true, ...ADDRESS_CODE_ALIASES),
    f('address', true, ...ADDRESS_ALIASES),
    f('level', false, '地址级别', '级别', '层级', 'level'),
    f('parentCode', false, '上级地址编码', '上级编码', '父级编码', 'parent code', 'parent'),
    f('committee', false, '居委会', '居村委', '所属居委', '社区', '居委编码', 'committee', 'committee code'),
    ...COORDINATES,
  ],
  dwellings: [
    f('addressCode', false, ...ADDRESS_CODE_ALIASES),
    f('address', false, ...ADDRESS_ALIASES),
    f('use', true, '房屋用途', '用途', '房屋类型', 'use', 'usage'),
    f('occupancy', true, '居住类型', '使用情况', '居住情况', '出租', '是否出租', '自住/出租', 'occupancy'),
    f('areaM2', false, '面积', '建筑面积', '面积(平方米)', '面积(㎡)', 'area', 'area m2'),
    f('rooms', false, '房间数', '间数', 'rooms'),
    f('note', false, '备注', 'note', 'remarks'),
  ],
  people: [
    f('name', true, '姓名', 'name'),
    f('idType', false, '证件类型', 'id type'),
    f('idNumber', true, '证件号码', '身份证号', '身份证号码', '公民身份号码', 'id number', 'id no', 'id'),
    f('sex', false, '性别', 'sex', 'gender'),
    f('birthDate', false, '出生日期', '出生年月', '生日', 'birth date', 'date of birth', 'birthday'),
    f('phone', false, '联系电话', '手机号', '手机号码', '电话', '联系方式', 'phone', 'mobile', 'telephone'),
    f('hukou', true, '户籍类别', '户籍类型', '人口类别', '人员类别', 'hukou', 'registration category'),
    f('addressCode', false, ...ADDRESS_CODE_ALIASES),
    f('address', false, ...ADDRESS_ALIASES),
    f('movedInOn', false, '入住日期', '迁入日期', '居住日期', '来沪日期', 'moved in', 'move in date'),
    f('leftOn', false, '迁出日期', '离开日期', '离沪日期', 'left on', 'move out date'),
    f('status', false, '状态', '人员状态', 'status'),
  ],
  units: [
    f('name', true, '单位名称', '名称', '企业名称', '店名', '商户名称', 'name', 'unit name', 'business name'),
    f('creditCode', false, '统一社会信用代码', '信用代码', '社会信用代码', 'credit code', 'uscc'),
    f('kind', false, '单位类型', '单位性质', '主体类型', 'kind', 'type'),
    f('industry', true, '行业', '所属行业', '行业类别', '经营类别', 'industry'),
    f('licenceStatus', false, '许可证状态', '证照状态', '许可状态', 'licence status', 'license status'),
    f('licenceNo', false, '许可证号', '许可证编号', '证照编号', 'licence no', 'license no'),
    f(
      'licenceExpiresOn',
      false,
      '许可证有效期',
      '有效期',
      '有效期至',
      '许可证到期日',
      'licence expiry',
      'license expiry',
    ),
    f('responsiblePerson', false, '负责人', '法定代表人', '经营者', '法人', 'responsible person', 'owner'),
    f('phone', false, '联系电话', '手机号', '手机号码', '电话', '联系方式', 'phone', 'mobile', 'telephone'),
    f('employees', false, '从业人数', '员工人数', '从业人员数', 'employees', 'staff'),
    f('addressCode', false, ...ADDRESS_CODE_ALIASES),
    f('address', false, ...ADDRESS_ALIASES),
    f('status', false, '状态', '经营状态', 'status'),
  ],
};
