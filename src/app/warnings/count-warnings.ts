import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

export interface WarningCount {
  /** the owning centre (street code) */
  unitCode: string;
  raised: number;
  converted: number;
  dismissed: number;
}

/**
 * Warnings raised, converted and dismissed per owning centre in a period [from, to) — what the
 * evaluation (issue 14) counts. Raised by `raised_at`, converted/dismissed by `closed_at`.
 */
export async function countWarnings(
  deps: { database: Database },
  period: { from: Date; to: Date },
): Promise<WarningCount[]> {
  const r = await sql<{ owner_code: string; raised: number; converted: number; dismissed: number }>`
    select owner_code,
      count(*) filter (where raised_at >= ${period.from} and raised_at < ${period.to})::int as raised,
      count(*) filter (where state = 'converted' and closed_at >= ${period.from} and closed_at < ${period.to})::int
        as converted,
      count(*) filter (where state = 'dismissed' and closed_at >= ${period.from} and closed_at < ${period.to})::int
        as dismissed
    from warnings
    where (raised_at >= ${period.from} and raised_at < ${period.to})
       or (closed_at >= ${period.from} and closed_at < ${period.to})
    group by owner_code order by owner_code`.execute(deps.database.db);
  return r.rows.map((x) => ({
    unitCode: x.owner_code,
    raised: x.raised,
    converted: x.converted,
    dismissed: x.dismissed,
  }));
}
