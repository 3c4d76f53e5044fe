/**
 * The evaluation period the big screen ranks by (大屏排名, issue 14). From the 11th of a month (中旬, Beijing
 * time) the current month, as of now; during its first ten days (上旬) the last full month — a month's
 * first days have too few cases fallen due for a ranking to mean anything, and the monthly evaluation
 * (月度考评) of the month just ended is what the centre is talking about then.
 */
export const RANKING_CURRENT_FROM_DAY = 11;

const BEIJING_MS = 8 * 3_600_000;

export function rankingPeriod(now: Date): string {
  const beijing = new Date(now.getTime() + BEIJING_MS);
  let year = beijing.getUTCFullYear();
  let month = beijing.getUTCMonth() + 1;
  if (beijing.getUTCDate() < RANKING_CURRENT_FROM_DAY) {
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return `${year}-${String(month).padStart(2, '0')}`;
}

/**
 * The rows a wall box shows: all when they fit, else the first `max − tail − 1`, a gap, and the last `tail`
 * (the bottom of a ranking is what the centre holds to account).
 */
export function wallRows<T>(
  rows: readonly T[],
  max: number,
  tail = 5,
): { head: T[]; hidden: number; tail: T[] } {
  if (rows.length <= max) return { head: [...rows], hidden: 0, tail: [] };
  const head = rows.slice(0, Math.max(1, max - tail - 1));
  const last = rows.slice(rows.length - tail);
  return { head, hidden: rows.length - head.length - last.length, tail: last };
}
