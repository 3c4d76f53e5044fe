import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './database.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
const MIGRATION_LOCK = 7_110_112;

/**
 * Applies the plain-SQL migrations in `migrations/` (sorted by file name) that are not yet recorded in
 * `schema_migrations`, each in its own transaction, under an advisory lock so that several server
 * instances starting at once migrate exactly once. Returns the names applied.
 */
export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  return database.withLock(MIGRATION_LOCK, async () => {
    await database.exec(
      'create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())',
    );
    const done = new Set(
      (await sql<{ name: string }>`select name from schema_migrations`.execute(database.db)).rows.map(
        (r) => r.name,
      ),
    );
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      const body = fs.readFileSync(path.join(dir, file), 'utf8');
      // one implicit transaction: the migration and its record land together or not at all
      await database.exec(
        `${body}\n;insert into schema_migrations (name) values ('${file.replace(/'/g, "''")}');`,
      );
      applied.push(file);
    }
    return applied;
  });
}
