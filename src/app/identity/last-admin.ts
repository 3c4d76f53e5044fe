import type { Kysely } from 'kysely';
import { refusal } from '../../core/errors.ts';
import type { DB } from '../../db/schema/index.ts';

/** Refuses to demote or disable the last enabled admin: nobody could manage users any more. */
export async function assertNotLastAdmin(db: Kysely<DB>, userId: string): Promise<void> {
  const others = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled', '=', false)
    .where('id', '!=', userId)
    .limit(1)
    .execute();
  if (others.length === 0) throw refusal('conflict', 'last_admin', 'This is the last enabled administrator');
}
