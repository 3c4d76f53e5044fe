import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase } from './support/database.ts';
import type { Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';

describe('database layer', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('migrates once and is idempotent', async () => {
    expect(await migrate(database)).toEqual([]);
    const rows = await database.db.selectFrom('schema_migrations').select('name').execute();
    expect(rows.map((r) => r.name)).toContain('0001_territory.sql');
  });

  it('rolls back a failed transaction completely', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('regions')
          .values({
            code: '990000',
            name: 'x',
            level: 'district',
            parent_code: null,
            geometry: null,
            centroid_lon: null,
            centroid_lat: null,
            area_m2: null,
          })
          .execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const count = await database.db
      .selectFrom('regions')
      .where('code', '=', '990000')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('reports affected rows on update', async () => {
    const r = await database.db
      .updateTable('regions')
      .set({ name: 'y' })
      .where('code', '=', 'nope')
      .executeTakeFirst();
    expect(Number(r.numUpdatedRows)).toBe(0);
  });

  it('serialises concurrent transactions', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        database.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('regions')
            .values({
              code: String(980000 + i),
              name: `r${i}`,
              level: 'district',
              parent_code: null,
              geometry: { type: 'Point' },
              centroid_lon: 1,
              centroid_lat: 2,
              area_m2: null,
            })
            .execute();
        }),
      ),
    );
    const rows = await database.db.selectFrom('regions').where('code', 'like', '98%').selectAll().execute();
    expect(rows).toHaveLength(10);
    expect(rows[0]!.geometry).toEqual({ type: 'Point' });
    expect(rows[0]!.created_at).toBeInstanceOf(Date);
  });
});
