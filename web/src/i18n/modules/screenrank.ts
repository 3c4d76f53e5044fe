// Messages of the big screen's rankings by the evaluation (大屏排名, issue 14): their own module so merges stay trivial.
export const screenrankZh = {
  'screenRank.street': '街镇综合评价排名 · {period}',
  'screenRank.committee': '居村综合评价排名 · {period}',
  'screenRank.department': '部门综合评价排名 · {period}',
  'screenRank.small': '样本不足未排名 {n} 个',
  'screenRank.none': '本期暂无可排名单位',
  'screenRank.more': '…… 其余 {n} 个 ……',
  'screenRank.fallback': '（近30日，无综合评价权限）',
} as const;

export const screenrankEn: Record<keyof typeof screenrankZh, string> = {
  'screenRank.street': 'Streets by evaluation score · {period}',
  'screenRank.committee': 'Committees by evaluation score · {period}',
  'screenRank.department': 'Departments by evaluation score · {period}',
  'screenRank.small': '{n} too small to rank',
  'screenRank.none': 'No unit can be ranked in this period',
  'screenRank.more': '… {n} more …',
  'screenRank.fallback': '(last 30 days; no evaluation access)',
};
