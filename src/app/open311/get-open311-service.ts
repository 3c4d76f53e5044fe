import type { Kysely } from 'kysely';
import { SERVICE_ATTRIBUTES, type Open311Attribute } from '../../core/open311/index.ts';
import type { DB } from '../../db/schema/index.ts';

/** A service definition: its attributes (empty for services without metadata); null for an unknown code. */
export async function getOpen311Service(
  db: Kysely<DB>,
  code: string,
): Promise<{ service_code: string; attributes: readonly Open311Attribute[] } | null> {
  const row = await db
    .selectFrom('categories')
    .select('code')
    .where('code', '=', code)
    .where('active', '=', true)
    .where('parent_code', 'is not', null)
    .executeTakeFirst();
  if (!row) return null;
  return { service_code: row.code, attributes: SERVICE_ATTRIBUTES[row.code] ?? [] };
}
