/**
 * The people of the demo history: the named demo accounts (accounts.ts) plus, through the identity use
 * case, a dispatcher, shift lead, patroller, coordinator and a work-station operator for every
 * street, and one handler for every department — all with the published demo password.
 */
import { createUser } from '../app/identity/create-user.ts';
import { actorOfRow } from '../app/identity/user-view.ts';
import { regionIndexCache } from '../app/territory/region-index-cache.ts';
import { SYSTEM_ACTOR, type Actor, type Unit } from '../core/actor.ts';
import type { Database } from '../db/database.ts';
import type { UserRole } from '../db/schema/identity.ts';
import { DEMO_PASSWORD } from './accounts.ts';

/** Login names of the streets' staff: `qibao.dispatcher`, `qibao.police`, … */
export const STREET_SLUGS: Readonly<Record<string, string>> = {
  '310112001': 'jiangchuan',
  '310112006': 'gumei',
  '310112008': 'xinhong',
  '310112009': 'pujin',
  '310112101': 'xinzhuang',
  '310112102': 'qibao',
  '310112103': 'zhuanqiao',
  '310112106': 'huacao',
  '310112107': 'hongqiao',
  '310112108': 'meilong',
  '310112110': 'wujing',
  '310112112': 'maqiao',
  '310112114': 'pujiang',
  '310112501': 'xinzhuang-ip',
};

export interface Place {
  lon: number;
  lat: number;
  gridCode: string;
  committeeCode: string;
  /** Where the report says it is ("…居委会第2网格"). */
  address: string;
}

export interface StreetCast {
  code: string;
  name: string;
  dispatcher: Actor;
  lead: Actor;
  patrollers: Actor[];
  /** Coordinator and work station of `committee` (the committee of `committeePlaces`). */
  coordinator: Actor;
  station: Actor;
  committee: string;
  /** Points the territory index places in the street (grid centres), to report at. */
  places: Place[];
  committeePlaces: Place[];
}

export interface Cast {
  streets: StreetCast[];
  departments: Map<string, Actor>;
  byUserId: Map<string, Actor>;
  district: { dispatcher: Actor; lead: Actor; leader: Actor };
  citizen: Actor;
  usersCreated: number;
}

interface Wanted {
  username: string;
  displayName: string;
  role: UserRole;
  unit: Unit;
}

const region = (level: 'district' | 'street' | 'committee' | 'grid', code: string): Unit => ({
  kind: 'region',
  level,
  code,
});
const unitKey = (role: string, unit: Unit) =>
  `${role}|${unit.kind === 'region' ? unit.code : unit.kind === 'department' ? unit.id : 'none'}`;

/** Creates the missing accounts (reusing named demo accounts with the same role and unit) and returns the cast. */
export async function assembleCast(database: Database): Promise<Cast> {
  const { db } = database;
  const streets = await db
    .selectFrom('regions')
    .select(['code', 'name'])
    .where('level', '=', 'street')
    .orderBy('code')
    .execute();
  const grids = await db
    .selectFrom('regions as g')
    .innerJoin('regions as c', 'c.code', 'g.parent_code')
    .select([
      'g.code',
      'g.name',
      'g.centroid_lon',
      'g.centroid_lat',
      'c.code as committee',
      'c.parent_code as street',
    ])
    .where('g.level', '=', 'grid')
    .orderBy('g.code')
    .execute();
  const places = new Map<string, Place[]>();
  const index = await regionIndexCache(database).get();
  for (const g of grids) {
    if (g.centroid_lon === null || g.centroid_lat === null || !g.street) continue;
    // a centroid of a concave cell may lie outside it: keep only points the index places in the cell
    if (index.locate(g.centroid_lon, g.centroid_lat).grid?.code !== g.code) continue;
    const list = places.get(g.street) ?? [];
    list.push({
      lon: g.centroid_lon,
      lat: g.centroid_lat,
      gridCode: g.code,
      committeeCode: g.committee,
      address: g.name,
    });
    places.set(g.street, list);
  }
  const departments = await db
    .selectFrom('departments')
    .select(['id', 'name', 'type', 'region_code'])
    .where('active', '=', true)
    .orderBy('id')
    .execute();

  const wanted: Wanted[] = [];
  const plans = streets.map((s) => {
    const slug = STREET_SLUGS[s.code] ?? `s${s.code}`;
    const short = s.name.replace(/(街道|镇)$/, '');
    const list = places.get(s.code) ?? [];
    if (list.length === 0) throw new Error(`demo history: no reporting point in street ${s.code}`);
    // the named 古美 accounts sit on the first committee with grids; do the same everywhere
    const committee = list[0]!.committeeCode;
    // a working street has several grid patrollers: one for about every six grids (at most five), the first
    // on the named accounts' grid — enough for the coverage view and the live patrol map to look staffed
    const patrolGrids = list.filter((_, i) => i % 6 === 0).slice(0, 5);
    const staff = {
      dispatcher: {
        username: `${slug}.dispatcher`,
        displayName: `${short}分中心派遣员`,
        role: 'dispatcher' as const,
        unit: region('street', s.code),
      },
      lead: {
        username: `${slug}.lead`,
        displayName: `${short}分中心值班长`,
        role: 'shift_lead' as const,
        unit: region('street', s.code),
      },
      patrollers: patrolGrids.map((p, i) => ({
        username: i === 0 ? `${slug}.patroller` : `${slug}.patroller${i + 1}`,
        displayName: `${short}网格巡管员${i === 0 ? '' : i + 1}`,
        role: 'patroller' as const,
        unit: region('grid', p.gridCode),
      })),
      coordinator: {
        username: `${slug}.coordinator`,
        displayName: `${short}社区综合协管员`,
        role: 'coordinator' as const,
        unit: region('committee', committee),
      },
      station: {
        username: `${slug}.station`,
        displayName: `${short}居委工作站`,
        role: 'station_operator' as const,
        unit: region('committee', committee),
      },
    };
    wanted.push(staff.dispatcher, staff.lead, ...staff.patrollers, staff.coordinator, staff.station);
    return { street: s, staff, list };
  });
  const handlers = departments.map((d) => {
    const kind = d.id.split('-')[0]!;
    const street = STREET_SLUGS[d.region_code];
    const username = d.id.startsWith('dist-')
      ? `district.${d.id.slice(5)}`
      : street
        ? `${street}.${kind}`
        : `${d.id}.handler`;
    const w: Wanted = {
      username,
      displayName: `${d.name}处置员`,
      role: d.type === 'police' ? 'police' : 'dept_handler',
      unit: { kind: 'department', id: d.id },
    };
    wanted.push(w);
    return [d.id, w] as const;
  });

  // reuse an account that already holds the role and unit (the named demo accounts), else create it
  const existing = async () => {
    const rows = await db
      .selectFrom('users')
      .selectAll()
      .where('disabled', '=', false)
      .orderBy('created_at')
      .orderBy('username')
      .execute();
    const byKey = new Map<string, Actor>();
    const byName = new Map<string, Actor>();
    for (const row of rows) {
      const actor = actorOfRow(row);
      if (!byKey.has(unitKey(actor.role, actor.unit))) byKey.set(unitKey(actor.role, actor.unit), actor);
      byName.set(row.username, actor);
    }
    return { byKey, byName };
  };
  const before = await existing();
  const missing = wanted.filter(
    (w) =>
      !before.byName.has(w.username) &&
      (!before.byKey.has(unitKey(w.role, w.unit)) || w.role === 'patroller'),
  );
  const identity = { db, now: () => new Date(), sessionHours: 12 };
  // argon2 runs off the main thread: hash in parallel, the database serialises the inserts
  await Promise.all(
    missing.map((w) =>
      createUser(identity, SYSTEM_ACTOR, {
        username: w.username,
        displayName: w.displayName,
        password: DEMO_PASSWORD,
        role: w.role,
        unit: w.unit,
      }),
    ),
  );
  const after = await existing();
  const pick = (w: Wanted): Actor => {
    const actor = after.byName.get(w.username) ?? after.byKey.get(unitKey(w.role, w.unit));
    if (!actor) throw new Error(`demo history: no account for ${w.username}`);
    return actor;
  };
  const named = (username: string): Actor => {
    const actor = after.byName.get(username);
    if (!actor)
      throw new Error(`demo history: the demo account ${username} is missing (seed the demo accounts first)`);
    return actor;
  };

  const cast: Cast = {
    streets: plans.map(({ street, staff, list }) => {
      const station = pick(staff.station);
      // a named account may sit on another committee than planned: report where it works
      const committee = station.unit.kind === 'region' ? station.unit.code : '';
      return {
        code: street.code,
        name: street.name,
        dispatcher: pick(staff.dispatcher),
        lead: pick(staff.lead),
        patrollers: staff.patrollers.map(pick),
        coordinator: pick(staff.coordinator),
        station,
        committee,
        places: list,
        committeePlaces: list.filter((p) => p.committeeCode === committee),
      };
    }),
    departments: new Map(handlers.map(([id, w]) => [id, pick(w)])),
    byUserId: new Map([...after.byName.values()].map((a) => [a.userId, a])),
    district: {
      dispatcher: named('district.dispatcher'),
      lead: named('district.lead'),
      leader: named('district.leader'),
    },
    citizen: named('citizen'),
    usersCreated: missing.length,
  };
  return cast;
}
