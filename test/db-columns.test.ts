import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { COLUMNS } from '../src/db/schema/columns.ts';
import { createTestDatabase } from './support/database.ts';

/**
 * The table types (src/db/schema) against the migrated database: COLUMNS is checked against the types by
 * the compiler, and against the catalogue here, so a migration that adds, drops, retypes or un-nulls a
 * column without the matching schema change fails.
 */
describe('row types match the migrated database', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('has exactly the tables and columns the types declare', async () => {
    const { rows } = await sql<{
      t: string;
      c: string;
      type: string;
      not_null: boolean;
      has_default: boolean;
    }>`
      select c.relname as t, a.attname as c, format_type(a.atttypid, a.atttypmod) as type,
             a.attnotnull as not_null, a.atthasdef as has_default
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
      order by c.relname, a.attname`.execute(database.db);
    const actual: Record<string, Record<string, string>> = {};
    for (const r of rows) {
      (actual[r.t] ??= {})[r.c] = `${r.type}${r.not_null ? '' : ' null'}${r.has_default ? ' default' : ''}`;
    }
    expect(actual).toEqual(COLUMNS);
  });
});
