import type { Database } from '../db/database.ts';
import { seedDemoAccounts } from './accounts.ts';
import { seedDemoOrganisation } from './organisation.ts';
import { seedDemoTerritory } from './seed-territory.ts';

export interface SeedReport {
  seeded: boolean;
  regions: number;
  departments: number;
  categories: number;
}

export const isDemoDatabase = async (database: Database): Promise<boolean> => {
  const row = await database.db.selectFrom('app_settings').select('value').where('key', '=', 'demo').executeTakeFirst();
  return row?.value === true;
};

/**
 * Seeds the Minhang demo district (real names and codes, synthetic geometry), its departments,
 * categories, responsibility matrix and demo accounts — once. A database that already holds regions is
 * left alone, so a restart keeps its data and a production database is never turned into a demo.
 */
export async function seedDemo(database: Database, log: (msg: string) => void = () => {}): Promise<SeedReport> {
  const existing = await database.db.selectFrom('regions').select('code').limit(1).execute();
  if (existing.length > 0) {
    return { seeded: false, ...(await counts(database)) };
  }
  log('seeding the Minhang demo territory (synthetic geometry)…');
  await seedDemoTerritory(database);
  const streets = await database.db
    .selectFrom('regions')
    .select(['code', 'name'])
    .where('level', '=', 'street')
    .orderBy('code')
    .execute();
  await database.db.transaction().execute(async (trx) => {
    await seedDemoOrganisation(trx, streets);
    await trx.insertInto('app_settings').values({ key: 'demo', value: JSON.stringify(true) }).execute();
  });
  log('creating demo accounts…');
  await seedDemoAccounts(database);
  return { seeded: true, ...(await counts(database)) };
}

async function counts(database: Database) {
  const count = async (table: 'regions' | 'departments' | 'categories') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { regions: await count('regions'), departments: await count('departments'), categories: await count('categories') };
}
