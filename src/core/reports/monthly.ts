/**
 * The monthly report (月度考评报告, issue 14): which unit it is about, which months its trend covers, how a
 * district's figures add up from its streets, and who heads and trails the ranking. Pure: the figures
 * come from the evaluation use case (`src/app/evaluation/get-evaluation.ts`), so the report and the
 * evaluation page always agree; the PDF is drawn in `src/app/reports/`.
 */
export type ReportLevel = 'district' | 'street';

/** A district code has 6 digits, a street 9 (GB/T 2260 + the street's 3). Anything else is no report unit. */
export function reportLevelOf(unit: string): ReportLevel | null {
  if (/^[0-9]{6}$/.test(unit)) return 'district';
  if (/^[0-9]{9}$/.test(unit)) return 'street';
  return null;
}

/** The month keys of a trend ending with `period` (a `YYYY-MM` key), oldest first. */
export function trendMonths(period: string, count: number): string[] {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) return [];
  let y = Number(m[1]);
  let mo = Number(m[2]);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.unshift(`${y}-${String(mo).padStart(2, '0')}`);
    mo -= 1;
    if (mo === 0) {
      mo = 12;
      y -= 1;
    }
  }
  return out;
}

export interface Figure {
  id: string;
  numerator: number;
  denominator: number;
  rate: number | null;
}

/**
 * A whole area's indicators from its units' (every case counts in exactly one street, so the numerators
 * and denominators add up; the rate is recomputed from the sums, never averaged).
 */
export function sumFigures(units: readonly { indicators: readonly Figure[] }[]): Figure[] {
  const byId = new Map<string, Figure>();
  for (const u of units) {
    for (const f of u.indicators) {
      const s = byId.get(f.id) ?? { id: f.id, numerator: 0, denominator: 0, rate: null };
      s.numerator += f.numerator;
      s.denominator += f.denominator;
      byId.set(f.id, s);
    }
  }
  return [...byId.values()].map((f) => ({
    ...f,
    rate: f.denominator === 0 ? null : f.numerator / f.denominator,
  }));
}

export interface RankedUnit {
  unit: string;
  rank: number | null;
}

/** The first and last `n` ranked units (the small-sample ones are not ranked and appear in neither). */
export function headAndTail<U extends RankedUnit>(units: readonly U[], n: number): { top: U[]; bottom: U[] } {
  const ranked = units.filter((u) => u.rank !== null).sort((a, b) => a.rank! - b.rank!);
  const top = ranked.slice(0, n);
  const bottom = ranked.slice(Math.max(n, ranked.length - n)).reverse();
  return { top, bottom };
}
