// The console's frame (issue 11): the grouped side navigation of the desk roles. Spread into zh.ts / en.ts.
export const shellZh = {
  'nav.group.cases': '案件',
  'nav.group.situation': '态势',
  'nav.group.proactive': '主动发现',
  'nav.group.base': '基础数据',
  'nav.group.evaluation': '考评',
  'nav.group.admin': '系统',
  'nav.open': '菜单',
  'nav.close': '关闭菜单',
} as const;

export const shellEn: Record<keyof typeof shellZh, string> = {
  'nav.group.cases': 'Cases',
  'nav.group.situation': 'Situation',
  'nav.group.proactive': 'Proactive',
  'nav.group.base': 'Base data',
  'nav.group.evaluation': 'Evaluation',
  'nav.group.admin': 'System',
  'nav.open': 'Menu',
  'nav.close': 'Close menu',
};
