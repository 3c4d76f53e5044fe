import type { Kysely } from 'kysely';
import { parsePatrolPolicy, type PatrolPolicy } from '../../core/patrol/policy.ts';
import type { DB } from '../../db/schema/index.ts';

/** Reads the patrol rules' parameters (app_settings 'patrol_policy'), defaulting what is absent or wrong. */
export async function loadPatrolPolicy(db: Kysely<DB>): Promise<PatrolPolicy> {
  const row = await db
    .selectFrom('app_settings')
    .select('value')
    .where('key', '=', 'patrol_policy')
    .executeTakeFirst();
  return parsePatrolPolicy(row?.value ?? null);
}
