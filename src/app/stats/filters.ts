export { scopedCases, type CaseFilter } from '../cases/case-filter.ts';

/** Midnight of `now`'s day in Asia/Shanghai (UTC+8 all year: China has no daylight saving time). */
export function shanghaiDayStart(now: Date): Date {
  const shifted = new Date(now.getTime() + 8 * 3600_000);
  return new Date(
    Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()) - 8 * 3600_000,
  );
}

/** YYYY-MM-DD of an instant in Asia/Shanghai. */
export const shanghaiDate = (at: Date): string =>
  new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
