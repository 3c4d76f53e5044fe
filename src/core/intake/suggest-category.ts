/**
 * Category suggestion for the intake desk (issue 11 §1): as the operator types what the caller says, the
 * 小类 whose words appear in it are offered first. Pure keyword matching — no model, no I/O:
 * - a category's own name (and its 大类's name) counts when the description contains it, or contains
 *   two-character pieces of it (群租 in "有人群租", 垃圾 of 暴露垃圾 in "垃圾堆了三天");
 * - common words callers use for a category (`CALLER_WORDS`, keyed by the 小类's Chinese name so that an
 *   administrator's codes do not matter) count as much as the name;
 * - English names are matched word by word (the desk works in English too).
 * The operator always decides: a suggestion is a button, never a default.
 */

export interface SuggestableCategory {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
}

export interface CategorySuggestion {
  code: string;
  /** Higher is better; only relative order matters. */
  score: number;
  /** The words of the description that matched, for the operator to see why. */
  matched: string[];
}

/** Words callers use for the usual 小类 (by Chinese name): the name alone rarely appears in a call. */
export const CALLER_WORDS: Readonly<Record<string, readonly string[]>> = {
  群租: ['群租', '隔断', '上下铺', '住了很多人', '二房东'],
  违法搭建: ['违建', '搭建', '加盖', '违章', '阳光房', '彩钢板'],
  房屋安全隐患: ['裂缝', '墙体开裂', '危房', '脱落', '倾斜'],
  无证照经营: ['无证', '无照', '没有执照', '黑作坊'],
  占道经营: ['摆摊', '占道', '流动摊贩', '小贩', '摊位'],
  食品安全隐患: ['食品', '过期', '变质', '食物中毒', '卫生很差'],
  非法行医: ['诊所', '行医', '打针', '黑诊所', '看病'],
  地下工厂: ['工厂', '作坊', '加工', '机器声'],
  消防隐患: ['消防', '通道堵塞', '电瓶车', '飞线', '充电', '着火', '灭火器', '烟'],
  暴露垃圾: ['垃圾', '垃圾桶', '堆积', '臭', '建筑垃圾', '满溢'],
  乱张贴乱涂写: ['小广告', '张贴', '涂写', '涂鸦', '牛皮癣'],
  绿化损坏: ['绿化', '树木', '砍树', '草坪', '树倒'],
  噪声扰民: ['噪音', '噪声', '吵', '扰民', '施工声', '广场舞', '半夜'],
  治安隐患: ['偷', '盗窃', '可疑', '打架', '斗殴', '治安'],
  不稳定因素: ['聚集', '上访', '拉横幅', '讨薪', '维权'],
  矛盾纠纷: ['纠纷', '吵架', '邻里', '矛盾', '漏水'],
  道路破损: ['路面', '坑', '塌陷', '破损', '人行道', '道路'],
  窨井盖缺失: ['井盖', '窨井', '下水道', '盖板'],
};

const bigrams = (text: string): string[] => {
  const chars = [...text.replace(/\s+/g, '')];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
};

const englishWords = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 4);

/**
 * The 小类 (4-digit codes) the description points to, best first, at most `limit`; none when nothing
 * matches (an empty or unrelated description suggests nothing rather than a guess).
 */
export function suggestCategories(
  description: string,
  categories: readonly SuggestableCategory[],
  limit = 3,
): CategorySuggestion[] {
  const text = description.trim();
  if (text === '') return [];
  const lower = text.toLowerCase();
  const byCode = new Map(categories.map((c) => [c.code, c]));
  const out: CategorySuggestion[] = [];
  for (const c of categories) {
    if (c.code.length !== 4) continue;
    const matched = new Set<string>();
    let score = 0;
    if (text.includes(c.nameZh)) {
      score += 10;
      matched.add(c.nameZh);
    } else {
      for (const piece of bigrams(c.nameZh)) {
        if (text.includes(piece)) {
          score += 3;
          matched.add(piece);
        }
      }
    }
    for (const word of CALLER_WORDS[c.nameZh] ?? []) {
      if (text.includes(word) && !matched.has(word)) {
        score += word.length >= 2 ? 6 : 2;
        matched.add(word);
      }
    }
    for (const word of englishWords(c.nameEn)) {
      if (lower.includes(word)) {
        score += 5;
        matched.add(word);
      }
    }
    const parent = c.parentCode ? byCode.get(c.parentCode) : undefined;
    if (score > 0 && parent && text.includes(parent.nameZh)) score += 1;
    if (score > 0) out.push({ code: c.code, score, matched: [...matched] });
  }
  return out.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code)).slice(0, limit);
}
