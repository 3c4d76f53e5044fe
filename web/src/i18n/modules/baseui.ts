// Base-information UI, issue 12 item 8: the phone's address picker, map layers, list export. Chinese
// first; baseuiEn must have exactly the same keys.
export const baseuiZh = {
  'baseui.pick.label': '标准地址',
  'baseui.pick.nearest': '附近的标准地址',
  'baseui.pick.loading': '正在查找附近地址…',
  'baseui.pick.none': '附近没有标准地址，可搜索或手填地址。',
  'baseui.pick.search': '搜索标准地址',
  'baseui.pick.searchPlaceholder': '如 古美路1弄 3号',
  'baseui.pick.picked': '已选：{address}',
  'baseui.pick.clear': '不关联地址',
  'baseui.pick.metres': '{n} 米',
  'baseui.export.label': '导出列表',
  'baseui.export.xlsx': '导出 Excel',
  'baseui.export.csv': '导出 CSV',
  'baseui.export.hint': '按当前筛选条件导出（个人信息脱敏，导出留痕）',
} as const;

export const baseuiEn: Record<keyof typeof baseuiZh, string> = {
  'baseui.pick.label': 'Standard address',
  'baseui.pick.nearest': 'Standard addresses nearby',
  'baseui.pick.loading': 'Looking for nearby addresses…',
  'baseui.pick.none': 'No standard address nearby: search, or type the address.',
  'baseui.pick.search': 'Search standard addresses',
  'baseui.pick.searchPlaceholder': 'e.g. 古美路1弄 3号',
  'baseui.pick.picked': 'Picked: {address}',
  'baseui.pick.clear': 'Do not link an address',
  'baseui.pick.metres': '{n} m',
  'baseui.export.label': 'Export the list',
  'baseui.export.xlsx': 'Export Excel',
  'baseui.export.csv': 'Export CSV',
  'baseui.export.hint': 'With the filters applied (personal data masked; the export is audited)',
};
