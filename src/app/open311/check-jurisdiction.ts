import type { Kysely } from 'kysely';
import type { Open311Error } from '../../core/open311/index.ts';
import type { DB } from '../../db/schema/index.ts';

/** The jurisdiction this endpoint serves: the district's region code (accepted as `jurisdiction_id`). */
export async function open311Jurisdiction(db: Kysely<DB>): Promise<string | null> {
  const row = await db
    .selectFrom('regions')
    .select('code')
    .where('level', '=', 'district')
    .orderBy('code')
    .executeTakeFirst();
  return row?.code ?? null;
}

/** Checks `jurisdiction_id` when given: it must name our district. */
export async function checkJurisdiction(
  db: Kysely<DB>,
  given: string | undefined,
): Promise<Open311Error | null> {
  if (given === undefined) return null;
  const ours = await open311Jurisdiction(db);
  return given === ours
    ? null
    : {
        status: 404,
        code: 404,
        description: `jurisdiction_id ${given} is not served here (${ours ?? 'none'})`,
      };
}
