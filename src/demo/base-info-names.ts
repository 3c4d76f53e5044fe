/**
 * Word lists for the synthetic base information of the demo (src/demo/base-info.ts): common surnames and
 * given-name characters (combined at random, so no list of real people is involved), road names of the
 * 古美 area, and business-name parts per industry. Plausible, not real records.
 */
export const SURNAMES = Array.from(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
);
export const GIVEN = Array.from(
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力鹏宇浩凯佳琳雪梅兰晨欣怡子轩涵博睿宁新亮春燕海波林峰斌俊晓云飞志国庆荣凤琴慧颖婷倩悦思源嘉瑞',
);

/** Roads of the 古美 area (lanes 弄 off them hold the residential compounds, their numbers the shops). */
export const GUMEI_ROADS = [
  '古美路',
  '平阳路',
  '万源路',
  '龙茗路',
  '顾戴路',
  '虹梅南路',
  '莲花南路',
  '古龙路',
  '平南路',
  '东兰路',
  '平吉路',
  '梅陇路',
] as const;

/** Business-name prefixes (shop signs) and, per industry, the endings and weights of the demo mix. */
export const SHOP_PREFIXES = Array.from('鑫盛福旺祥瑞佳美惠康华兴隆源丰泰宏达安乐新好');
export const INDUSTRY_MIX = [
  {
    industry: 'catering',
    weight: 24,
    endings: ['小吃店', '面馆', '饭店', '餐厅', '包子铺', '麻辣烫', '快餐店', '烧烤店'],
  },
  {
    industry: 'retail',
    weight: 28,
    endings: ['便利店', '超市', '水果店', '五金店', '烟杂店', '服装店', '文具店'],
  },
  { industry: 'beauty', weight: 8, endings: ['美发店', '美容院', '美甲店'] },
  { industry: 'clinic', weight: 4, endings: ['诊所', '口腔诊所', '中医诊所'] },
  { industry: 'pharmacy', weight: 3, endings: ['大药房', '药店'] },
  { industry: 'education', weight: 5, endings: ['培训中心', '艺术学校', '托管班'] },
  { industry: 'repair', weight: 6, endings: ['维修部', '修车行', '家电维修'] },
  { industry: 'hotel', weight: 2, endings: ['宾馆', '快捷酒店'] },
  {
    industry: 'office',
    weight: 10,
    endings: ['贸易有限公司', '科技有限公司', '物业管理有限公司', '咨询有限公司'],
  },
  { industry: 'food_workshop', weight: 2, endings: ['食品加工坊', '糕点作坊'] },
  { industry: 'logistics', weight: 3, endings: ['快递站', '物流配送点'] },
  { industry: 'other', weight: 5, endings: ['洗衣店', '彩票店', '照相馆', '家政服务社'] },
] as const;
