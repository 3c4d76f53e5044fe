import { describe, expect, it } from 'vitest';
import { headAndTail, reportLevelOf, sumFigures, trendMonths } from './monthly.ts';

describe('monthly report rules', () => {
  it('knows a district from a street and refuses anything else', () => {
    expect(reportLevelOf('310112')).toBe('district');
    expect(reportLevelOf('310112006')).toBe('street');
    expect(reportLevelOf('310112006001')).toBeNull();
    expect(reportLevelOf('gumei')).toBeNull();
  });

  it('lists the trend months across a year boundary, oldest first', () => {
    expect(trendMonths('2026-02', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(trendMonths('2026-11', 1)).toEqual(['2026-11']);
    expect(trendMonths('2026-W47', 3)).toEqual([]);
  });

  it('adds numerators and denominators and recomputes the rate', () => {
    const sum = sumFigures([
      { indicators: [{ id: 'a', numerator: 9, denominator: 10, rate: 0.9 }] },
      { indicators: [{ id: 'a', numerator: 1, denominator: 30, rate: 1 / 30 }] },
      { indicators: [{ id: 'b', numerator: 0, denominator: 0, rate: null }] },
    ]);
    expect(sum).toEqual([
      { id: 'a', numerator: 10, denominator: 40, rate: 0.25 },
      { id: 'b', numerator: 0, denominator: 0, rate: null },
    ]);
  });

  it('takes the head and tail of the ranking, never an unranked unit, never one twice', () => {
    const units = [
      { unit: 'x', rank: 2 },
      { unit: 'small', rank: null },
      { unit: 'y', rank: 1 },
      { unit: 'z', rank: 3 },
    ];
    expect(headAndTail(units, 2)).toEqual({
      top: [
        { unit: 'y', rank: 1 },
        { unit: 'x', rank: 2 },
      ],
      bottom: [{ unit: 'z', rank: 3 }],
    });
    expect(headAndTail(units, 5).bottom).toEqual([]);
  });
});
