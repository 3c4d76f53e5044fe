import type { Kysely } from 'kysely';
import { parseWarningPolicy, type WarningPolicy } from '../../core/warnings/policy.ts';
import type { DB } from '../../db/schema/index.ts';

/** Reads the warning rules' parameters (app_settings 'warning_policy'), defaulting what is absent or wrong. */
export async function loadWarningPolicy(db: Kysely<DB>): Promise<WarningPolicy> {
  const row = await db
    .selectFrom('app_settings')
    .select('value')
    .where('key', '=', 'warning_policy')
    .executeTakeFirst();
  return parseWarningPolicy(row?.value ?? null);
}
