import { describe, expect, it } from 'vitest';
import { suggestCategories, type SuggestableCategory } from './suggest-category.ts';

const categories: SuggestableCategory[] = [
  { code: '01', parentCode: null, nameZh: '房屋管理', nameEn: 'Housing' },
  { code: '0101', parentCode: '01', nameZh: '群租', nameEn: 'Overcrowded rental' },
  { code: '0102', parentCode: '01', nameZh: '违法搭建', nameEn: 'Illegal construction' },
  { code: '05', parentCode: null, nameZh: '市容环境', nameEn: 'City appearance' },
  { code: '0501', parentCode: '05', nameZh: '暴露垃圾', nameEn: 'Exposed rubbish' },
  { code: '0504', parentCode: '05', nameZh: '噪声扰民', nameEn: 'Noise nuisance' },
  { code: '07', parentCode: null, nameZh: '市政设施', nameEn: 'Municipal facilities' },
  { code: '0702', parentCode: '07', nameZh: '窨井盖缺失', nameEn: 'Missing manhole cover' },
];

const codes = (text: string) => suggestCategories(text, categories).map((s) => s.code);

describe('suggestCategories', () => {
  it('finds the category whose name the caller says', () => {
    expect(codes('小区门口有暴露垃圾')[0]).toBe('0501');
    expect(codes('楼上有人违法搭建阳光房')[0]).toBe('0102');
  });

  it('finds it from the words callers use and from pieces of the name', () => {
    expect(codes('路口的井盖不见了，很危险')[0]).toBe('0702');
    expect(codes('半夜广场舞太吵了')[0]).toBe('0504');
    expect(codes('垃圾堆了三天没人清')[0]).toBe('0501');
  });

  it('matches English names word by word', () => {
    expect(codes('There is a missing manhole cover at the corner')[0]).toBe('0702');
  });

  it('suggests nothing for an empty or unrelated description, and only 小类', () => {
    expect(codes('')).toEqual([]);
    expect(codes('你好，我想问一下')).toEqual([]);
    expect(codes('房屋管理的问题').every((c) => c.length === 4)).toBe(true);
  });

  it('orders by score, then code, and keeps at most the limit', () => {
    const many = suggestCategories('群租房里垃圾很多，半夜很吵，井盖也没了，还有违建', categories, 2);
    expect(many).toHaveLength(2);
    expect(many[0]!.score).toBeGreaterThanOrEqual(many[1]!.score);
    expect(many[0]!.matched.length).toBeGreaterThan(0);
  });
});
