import { sql, type Kysely, type RawBuilder } from 'kysely';
import { dateKeyOf } from '../../core/calendar/time.ts';
import type { DB } from '../../db/schema/index.ts';

/** The year a case number counts in: the year of `at` in Beijing time. */
const yearOf = (at: Date): number => Number(dateKeyOf(at).slice(0, 4));

/** Raises the counter of the district and year (creating it at 1); the row stays locked until commit. */
const bumpCounter = (trx: Kysely<DB>, districtCode: string, year: number) =>
  trx
    .insertInto('case_counters')
    .values({ prefix: districtCode, year, value: 1 })
    .onConflict((oc) => oc.columns(['prefix', 'year']).doUpdateSet({ value: sql`case_counters.value + 1` }))
    .returning('value');

/**
 * The next case number of the district for the year of `at` (Beijing time), e.g. 310112-2026-000123.
 * Must run inside the creating transaction: the counter row stays locked until commit, so concurrent
 * creations get consecutive numbers and a rolled-back creation gives its number back.
 */
export async function nextCaseNumber(trx: Kysely<DB>, districtCode: string, at: Date): Promise<string> {
  const year = yearOf(at);
  const row = await bumpCounter(trx, districtCode, year).executeTakeFirstOrThrow();
  return formatCaseNumber(districtCode, year, Number(row.value));
}

/**
 * The next case number as part of the statement that writes the case row (createCase): `db` carries the
 * counter bump as a common table expression (`case_number`), `caseNo` is the number it yields, to be
 * used as the row's `case_no`. Counter and row are one round trip; the creating transaction issues it
 * after everything that does not need the number, so the counter row — which orders every report of the
 * district and year — is held only from there to COMMIT (issue 10: it used to be held for ~13 round trips).
 * Gapless and unique as `nextCaseNumber`: a rolled-back creation gives its number back.
 */
export function withNextCaseNumber(
  trx: Kysely<DB>,
  districtCode: string,
  at: Date,
): { db: ReturnType<typeof withCounter>; caseNo: RawBuilder<string> } {
  const year = yearOf(at);
  return {
    db: withCounter(trx, districtCode, year),
    // formatCaseNumber in SQL: at least six digits, more once the year passes 999,999 cases
    caseNo: sql<string>`(select ${districtCode}::text || '-' || ${String(year)}::text || '-' || lpad(value::text, greatest(6, length(value::text)), '0') from case_number)`,
  };
}

const withCounter = (trx: Kysely<DB>, districtCode: string, year: number) =>
  trx.with('case_number', () => bumpCounter(trx, districtCode, year));

export const formatCaseNumber = (districtCode: string, year: number, n: number): string =>
  `${districtCode}-${year}-${String(n).padStart(6, '0')}`;

/** A case number as typed by a person (e.g. on the public follow-up page). */
export const CASE_NUMBER = /^[0-9]{6}-[0-9]{4}-[0-9]{6,}$/;
