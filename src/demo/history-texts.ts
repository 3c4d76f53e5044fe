import type { Random } from './history-steps.ts';

/** What reporters write, per category (小类). Synthetic, in the style of real reports. */
const DESCRIPTIONS: Record<string, string[]> = {
  '0101': ['出租屋内隔断多间，疑似群租', '同一套房内居住人员十余人，进出频繁'],
  '0102': ['屋顶新搭建彩钢板房', '底楼住户私自扩建围墙'],
  '0103': ['老旧房屋外墙开裂，有坠落风险', '阳台栏杆锈蚀松动'],
  '0201': ['无证照小餐饮店营业', '流动摊点无营业执照经营'],
  '0202': ['人行道上有摊位占道经营', '商铺跨门营业占用人行道'],
  '0203': ['小吃店后厨卫生条件差', '摊点销售来源不明的熟食'],
  '0301': ['居民楼内疑似非法诊所', '无资质人员上门输液'],
  '0401': ['民房内有小作坊加工，噪声大', '厂房内疑似无证生产，堆放易燃物'],
  '0402': ['楼道内堆放杂物，堵塞消防通道', '电动自行车在楼道内充电'],
  '0501': ['路边垃圾桶满溢，垃圾暴露', '绿化带内有建筑垃圾堆放'],
  '0502': ['电线杆上张贴小广告', '墙面被乱涂写'],
  '0503': ['行道树被折断', '绿地被踩踏损坏'],
  '0504': ['夜间施工噪声扰民', '广场舞音响声音过大'],
  '0601': ['小区围墙有缺口，存在治安隐患', '路灯损坏，夜间照明不足'],
  '0602': ['多名人员聚集在售楼处，情绪激动', '工地门口数十名工人聚集讨薪'],
  '0603': ['邻里因漏水问题发生纠纷', '房东与租客因押金发生争执'],
  '0701': ['路面出现坑洼，影响通行', '人行道砖松动破损'],
  '0702': ['路口窨井盖缺失', '窨井盖破损下陷'],
};

export function describeProblem(category: string | null, r: Random): string {
  const list = DESCRIPTIONS[category ?? ''] ?? ['市民反映周边环境问题，请核实处理'];
  return list[Math.floor(r() * list.length)]!;
}

const CALLERS = ['王先生', '李女士', '张先生', '刘女士', '陈先生', '赵女士'];

/** A 12345 hotline caller (synthetic name and number). */
export const hotlineCaller = (r: Random) => ({
  name: CALLERS[Math.floor(r() * CALLERS.length)]!,
  phone: `1380000${String(Math.floor(r() * 10_000)).padStart(4, '0')}`,
});
