import { describe, expect, it } from 'vitest';
import { rankingPeriod, wallRows } from '../web/src/lib/rankingPeriod.ts';

describe('the big screen ranks by the evaluation of', () => {
  it('the last full month during a month’s first ten days (Beijing), the current month from the 11th', () => {
    expect(rankingPeriod(new Date('2026-12-02T10:00:00+08:00'))).toBe('2026-11');
    expect(rankingPeriod(new Date('2026-12-10T23:59:00+08:00'))).toBe('2026-11');
    expect(rankingPeriod(new Date('2026-12-11T00:00:00+08:00'))).toBe('2026-12');
    // Beijing time decides: 16:30 UTC on the 10th is already the 11th in Beijing
    expect(rankingPeriod(new Date('2026-12-10T16:30:00Z'))).toBe('2026-12');
    // January's first days rank December of the year before
    expect(rankingPeriod(new Date('2027-01-05T09:00:00+08:00'))).toBe('2026-12');
    expect(rankingPeriod(new Date('2026-12-31T23:00:00+08:00'))).toBe('2026-12');
  });

  it('shows every row that fits, else the top and the bottom five with a gap', () => {
    const rows = Array.from({ length: 30 }, (_, i) => i + 1);
    expect(wallRows(rows.slice(0, 16), 16)).toEqual({ head: rows.slice(0, 16), hidden: 0, tail: [] });
    const cut = wallRows(rows, 16);
    expect(cut.head).toEqual(rows.slice(0, 10));
    expect(cut.tail).toEqual([26, 27, 28, 29, 30]);
    expect(cut.head.length + cut.hidden + cut.tail.length).toBe(30);
  });
});
