import type { FileStore } from '../app/cases/file-store.ts';
import type { Database } from '../db/database.ts';
import { seedDemoAccounts } from './accounts.ts';
import { seedDemoBaseInfo, type DemoBaseInfoReport } from './base-info.ts';
import { seedDemoOpen311 } from './open311.ts';
import { memoryFiles, seedDemoHistory, type DemoHistoryReport } from './history.ts';
import { evaluateWarningRules } from '../app/warnings/evaluate-warnings.ts';
import { seedDemoWarningSituations } from './warning-situations.ts';
import { seedDemoPatrols } from './patrols.ts';
import { seedDemoScreening } from './screening.ts';
import { seedDemoOrganisation } from './organisation.ts';
import { seedDemoTerritory } from './seed-territory.ts';

export interface SeedReport {
  seeded: boolean;
  regions: number;
  departments: number;
  categories: number;
  /** The base information (一标三实) of 古美街道 (absent when not seeded now). */
  baseInfo?: DemoBaseInfoReport;
  /** The case history played through the workflow (absent when not seeded now). */
  history?: Pick<DemoHistoryReport, 'cases' | 'actions' | 'escalations' | 'users' | 'ms' | 'failures'>;
  /** The demo patrols walked through the patrol use cases (issue 13). */
  patrols?: { patrols: number; points: number; ms: number };
}

export interface SeedOptions {
  /** Where the history's stand-in photos go (DATA_DIR/files); in memory when absent. */
  files?: FileStore;
  /** Write the base information of 古美街道 now (default true; the server does it in the background). */
  baseInfo?: boolean;
  /** Play the case history (default true). */
  history?: boolean;
  /** The end of the history; the wall clock when absent. */
  now?: Date;
}

export const isDemoDatabase = async (database: Database): Promise<boolean> => {
  const row = await database.db
    .selectFrom('app_settings')
    .select('value')
    .where('key', '=', 'demo')
    .executeTakeFirst();
  return row?.value === true;
};

/**
 * Seeds the Minhang demo district (real names and codes, synthetic geometry), its departments,
 * categories, responsibility matrix, demo accounts and a three-month case history — once. A database that already holds regions is
 * left alone, so a restart keeps its data and a production database is never turned into a demo.
 */
export async function seedDemo(
  database: Database,
  log: (msg: string) => void = () => {},
  options: SeedOptions = {},
): Promise<SeedReport> {
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
    await trx
      .insertInto('app_settings')
      .values({ key: 'demo', value: JSON.stringify(true) })
      .execute();
  });
  log('creating demo accounts…');
  await seedDemoAccounts(database);
  await seedDemoOpen311(database, options.now);
  const baseInfo = options.baseInfo === false ? undefined : await seedDemoBaseInfo(database, { log });
  if (baseInfo) log(`demo base information written in ${baseInfo.ms} ms`);
  if (options.history === false)
    return { seeded: true, ...(await counts(database)), ...(baseInfo ? { baseInfo } : {}) };
  log('playing three months of demo cases through the workflow…');
  const history = await seedDemoHistory(database, { files: options.files, now: options.now, log });
  log('walking two weeks of demo patrols…');
  const patrols = await seedDemoPatrols(database, { now: options.now, log });
  await seedDemoWarningSituations(database, {
    files: options.files ?? memoryFiles(),
    ...(options.now ? { now: options.now } : {}),
    log,
  });
  log('visiting a screening campaign (滚动排摸) in 古美…');
  await seedDemoScreening(database, { now: options.now, files: options.files, log });
  // the early-warning rules once over the history and the base information: warnings of each kind wait
  const warnings = await evaluateWarningRules(
    { database, now: () => options.now ?? new Date() },
    { force: true },
  );
  log(`raised ${warnings.raised.length} demo warnings`);
  const { cases, actions, escalations, users, ms, failures } = history;
  return {
    seeded: true,
    ...(await counts(database)),
    ...(baseInfo ? { baseInfo } : {}),
    history: { cases, actions, escalations, users, ms, failures },
    patrols: { patrols: patrols.patrols, points: patrols.points, ms: patrols.ms },
  };
}

async function counts(database: Database) {
  const count = async (table: 'regions' | 'departments' | 'categories') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    regions: await count('regions'),
    departments: await count('departments'),
    categories: await count('categories'),
  };
}
