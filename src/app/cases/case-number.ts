import { sql, type Kysely } from 'kysely';
import { dateKeyOf } from '../../core/calendar/time.ts';
import type { DB } from '../../db/schema/index.ts';

/**
 * The next case number of the district for the year of `at` (Beijing time), e.g. 310112-2026-000123.
 * Must run inside the creating transaction: the counter row stays locked until commit, so concurrent
 * creations get consecutive numbers and a rolled-back creation gives its number back.
 */
export async function nextCaseNumber(trx: Kysely<DB>, districtCode: string, at: Date): Promise<string> {
  const year = Number(dateKeyOf(at).slice(0, 4));
  const row = await trx
    .insertInto('case_counters')
    .values({ prefix: districtCode, year, value: 1 })
    .onConflict((oc) => oc.columns(['prefix', 'year']).doUpdateSet({ value: sql`case_counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return formatCaseNumber(districtCode, year, Number(row.value));
}

export const formatCaseNumber = (districtCode: string, year: number, n: number): string =>
  `${districtCode}-${year}-${String(n).padStart(6, '0')}`;

/** A case number as typed by a person (e.g. on the public follow-up page). */
export const CASE_NUMBER = /^[0-9]{6}-[0-9]{4}-[0-9]{6,}$/;
