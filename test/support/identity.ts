import type { Actor } from '../../src/core/actor.ts';
import type { Database } from '../../src/db/database.ts';
import { seedDemoAccounts } from '../../src/demo/accounts.ts';
import { actorOfRow } from '../../src/app/identity/user-view.ts';
import type { IdentityDeps } from '../../src/app/identity/deps.ts';

/**
 * A small territory with the codes and department ids the demo accounts need — 古美 (310112006) and
 * 新虹 (310112008), two committees and three grids each — so identity tests run in milliseconds instead
 * of seeding the whole Minhang demo.
 */
export const MINI = {
  district: '310112',
  gumei: '310112006',
  xinhong: '310112008',
  gumeiCommittees: ['310112006001', '310112006002'],
  xinhongCommittees: ['310112008001', '310112008002'],
  gumeiGrids: ['31011200600101', '31011200600102', '31011200600201'],
  xinhongGrids: ['31011200800101', '31011200800102', '31011200800201'],
  departments: [
    { id: 'police-310112006', name: '古美派出所', type: 'police', level: 'street', region_code: '310112006' },
    { id: 'police-310112008', name: '新虹派出所', type: 'police', level: 'street', region_code: '310112008' },
    {
      id: 'chengguan-310112006',
      name: '古美城管执法中队',
      type: 'city_management',
      level: 'street',
      region_code: '310112006',
    },
    {
      id: 'housing-310112006',
      name: '古美房管办',
      type: 'housing',
      level: 'street',
      region_code: '310112006',
    },
    {
      id: 'market-310112006',
      name: '古美市场监管所',
      type: 'market_regulation',
      level: 'street',
      region_code: '310112006',
    },
    {
      id: 'market-310112008',
      name: '新虹市场监管所',
      type: 'market_regulation',
      level: 'street',
      region_code: '310112008',
    },
    { id: 'dist-housing', name: '区房屋管理局', type: 'housing', level: 'district', region_code: '310112' },
    {
      id: 'dist-market',
      name: '区市场监管局',
      type: 'market_regulation',
      level: 'district',
      region_code: '310112',
    },
  ],
} as const;

export async function seedMiniTerritory(database: Database): Promise<void> {
  const r = (
    code: string,
    name: string,
    level: 'district' | 'street' | 'committee' | 'grid',
    parent: string | null,
  ) => ({
    code,
    name,
    level,
    parent_code: parent,
    geometry: null,
    centroid_lon: null,
    centroid_lat: null,
    area_m2: null,
  });
  const rows = [
    r(MINI.district, '闵行区', 'district', null),
    r(MINI.gumei, '古美街道', 'street', MINI.district),
    r(MINI.xinhong, '新虹街道', 'street', MINI.district),
    ...MINI.gumeiCommittees.map((c, i) => r(c, `古美${i + 1}居委会`, 'committee', MINI.gumei)),
    ...MINI.xinhongCommittees.map((c, i) => r(c, `新虹${i + 1}居委会`, 'committee', MINI.xinhong)),
    ...[...MINI.gumeiGrids, ...MINI.xinhongGrids].map((g) =>
      r(g, `网格${g.slice(-4)}`, 'grid', g.slice(0, 12)),
    ),
  ];
  await database.db.insertInto('regions').values(rows).execute();
  await database.db
    .insertInto('departments')
    .values(MINI.departments.map((d) => ({ ...d, phone: null })))
    .execute();
}

/** Mini territory + the demo accounts; returns each demo account's actor by username. */
export async function seedIdentityFixture(database: Database): Promise<Map<string, Actor>> {
  await seedMiniTerritory(database);
  await seedDemoAccounts(database);
  const rows = await database.db.selectFrom('users').selectAll().execute();
  return new Map(rows.map((row) => [row.username, actorOfRow(row)]));
}

/** A clock tests can move. */
export function testClock(start = '2026-03-02T02:00:00Z') {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
    set: (iso: string) => {
      t = new Date(iso).getTime();
    },
  };
}

export const identityDepsFor = (database: Database, now: () => Date, sessionHours = 12): IdentityDeps => ({
  db: database.db,
  now,
  sessionHours,
});
