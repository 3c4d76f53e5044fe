import { hashPassword } from '../app/identity/passwords.ts';
import { appendAudit } from '../app/audit/append-audit.ts';
import { SYSTEM_ACTOR, type Unit } from '../core/actor.ts';
import { assertRoleUnit, formatUnit, regionLevelOfCode } from '../core/policy/units.ts';
import type { Database } from '../db/database.ts';
import type { UserRole } from '../db/schema/identity.ts';

/**
 * Demo accounts (issue 4 §5). Created only when a database is seeded as a demo (src/demo/seed.ts), all
 * with one published password, printed at start and in the README. A production database never has them.
 */
export const DEMO_PASSWORD = 'liandong-demo';

const GUMEI = '310112006'; // 古美街道
const XINHONG = '310112008'; // 新虹街道
const DISTRICT = '310112'; // 闵行区

type UnitSpec = Unit | 'gumei-committee' | 'gumei-grid';

interface DemoAccount {
  username: string;
  displayName: string;
  role: UserRole;
  unit: UnitSpec;
}

const region = (code: string): Unit => ({ kind: 'region', level: regionLevelOfCode(code)!, code });
const dept = (id: string): Unit => ({ kind: 'department', id });

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin', unit: region(DISTRICT) },
  {
    username: 'district.dispatcher',
    displayName: '区中心派遣员',
    role: 'dispatcher',
    unit: region(DISTRICT),
  },
  { username: 'district.lead', displayName: '区中心值班长', role: 'shift_lead', unit: region(DISTRICT) },
  { username: 'district.leader', displayName: '区领导', role: 'leader', unit: region(DISTRICT) },
  { username: 'gumei.dispatcher', displayName: '古美分中心派遣员', role: 'dispatcher', unit: region(GUMEI) },
  { username: 'gumei.lead', displayName: '古美分中心值班长', role: 'shift_lead', unit: region(GUMEI) },
  { username: 'gumei.patroller', displayName: '古美网格巡管员', role: 'patroller', unit: 'gumei-grid' },
  {
    username: 'gumei.coordinator',
    displayName: '古美社区综合协管员',
    role: 'coordinator',
    unit: 'gumei-committee',
  },
  {
    username: 'gumei.station',
    displayName: '古美居委工作站',
    role: 'station_operator',
    unit: 'gumei-committee',
  },
  {
    username: 'gumei.police',
    displayName: '古美派出所社区民警',
    role: 'police',
    unit: dept(`police-${GUMEI}`),
  },
  {
    username: 'xinhong.dispatcher',
    displayName: '新虹分中心派遣员',
    role: 'dispatcher',
    unit: region(XINHONG),
  },
  {
    username: 'housing.handler',
    displayName: '古美房管办处置员',
    role: 'dept_handler',
    unit: dept(`housing-${GUMEI}`),
  },
  {
    username: 'market.handler',
    displayName: '古美市场监管所处置员',
    role: 'dept_handler',
    unit: dept(`market-${GUMEI}`),
  },
  {
    username: 'chengguan.handler',
    displayName: '古美城管中队处置员',
    role: 'dept_handler',
    unit: dept(`chengguan-${GUMEI}`),
  },
  { username: 'citizen', displayName: '市民', role: 'citizen', unit: { kind: 'none' } },
];

export const DEMO_USERNAMES: readonly string[] = DEMO_ACCOUNTS.map((a) => a.username);

/**
 * Creates the demo accounts that do not exist yet (idempotent). The 古美 patroller gets the first grid
 * of the first 古美 committee that has grids; coordinator and work station that committee. Fails
 * loudly when a region or department the accounts need is missing, rather than creating half of them.
 */
export async function seedDemoAccounts(database: Database): Promise<{ created: string[] }> {
  const { db } = database;
  const grid = await db
    .selectFrom('regions as g')
    .innerJoin('regions as c', 'c.code', 'g.parent_code')
    .select(['g.code as grid', 'c.code as committee'])
    .where('g.level', '=', 'grid')
    .where('c.parent_code', '=', GUMEI)
    .orderBy('g.code')
    .limit(1)
    .executeTakeFirst();
  if (!grid)
    throw new Error(
      `seedDemoAccounts: no grid in a committee of 古美街道 (${GUMEI}); seed the territory first`,
    );

  const accounts = DEMO_ACCOUNTS.map((a) => ({
    ...a,
    unit:
      a.unit === 'gumei-grid'
        ? region(grid.grid)
        : a.unit === 'gumei-committee'
          ? region(grid.committee)
          : a.unit,
  }));
  const departmentIds = [
    ...new Set(accounts.flatMap((a) => (a.unit.kind === 'department' ? [a.unit.id] : []))),
  ];
  const regionCodes = [...new Set(accounts.flatMap((a) => (a.unit.kind === 'region' ? [a.unit.code] : [])))];
  const foundDepts = new Set(
    (await db.selectFrom('departments').select('id').where('id', 'in', departmentIds).execute()).map(
      (r) => r.id,
    ),
  );
  const foundRegions = new Set(
    (await db.selectFrom('regions').select('code').where('code', 'in', regionCodes).execute()).map(
      (r) => r.code,
    ),
  );
  const missing = [
    ...departmentIds.filter((d) => !foundDepts.has(d)),
    ...regionCodes.filter((c) => !foundRegions.has(c)),
  ];
  if (missing.length > 0)
    throw new Error(`seedDemoAccounts: missing departments/regions: ${missing.join(', ')}`);
  for (const a of accounts) assertRoleUnit(a.role, a.unit);

  const existing = new Set(
    (await db.selectFrom('users').select('username').execute()).map((r) => r.username.toLowerCase()),
  );
  const toCreate = accounts.filter((a) => !existing.has(a.username));
  if (toCreate.length === 0) return { created: [] };
  // one hash for all: they share the published password anyway, and argon2 is deliberately slow
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('users')
      .values(
        toCreate.map((a) => ({
          username: a.username,
          display_name: a.displayName,
          password_hash: passwordHash,
          role: a.role,
          unit_kind: a.unit.kind,
          unit_code: a.unit.kind === 'region' ? a.unit.code : null,
          department_id: a.unit.kind === 'department' ? a.unit.id : null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    await appendAudit(trx, {
      actor: SYSTEM_ACTOR,
      action: 'user.demo_seed',
      payload: { accounts: toCreate.map((a) => `${a.username}:${a.role}@${formatUnit(a.unit)}`) },
      at: now,
    });
  });
  return { created: toCreate.map((a) => a.username) };
}
