import { loadBaseInfoAccess } from '../../src/app/baseinfo/access.ts';
import { piiKeyring } from '../../src/app/baseinfo/pii.ts';
import { insertJsonRows, personRow, unitRow } from '../../src/app/baseinfo/records.ts';
import type { Actor } from '../../src/core/actor.ts';
import { residentIdCheckChar } from '../../src/core/baseinfo/validate.ts';
import { placeInRegions, type BaseInfoAccess } from '../../src/core/policy/base-info.ts';
import type { Database } from '../../src/db/database.ts';

/**
 * The base-information rows of the access matrix (test/access-matrix.test.ts) and its checks of the
 * /api/v1/base routes: one address in 古美's first grid with a dwelling, a person and a business. Each
 * caller's expected answer comes from the policy (`loadBaseInfoAccess`), computed when the rows are seeded.
 */
const GRID = '31011200600101';
const COMMITTEE = '310112006001';
const ADDRESS = 'matrix-addr';
const access = new Map<string, BaseInfoAccess>();

type Outcome = 'ok' | number | readonly ('ok' | number)[] | 'skip';
const ANONYMOUS = 'anonymous';

export async function seedMatrixBaseInfo(database: Database, actors: Map<string, Actor>): Promise<void> {
  await insertJsonRows(database.db, 'base_addresses', [
    {
      id: ADDRESS,
      code: '310112006-matrix.N1',
      level: 'number',
      parent_id: null,
      name: '1号',
      full_text: '矩阵路1号',
      normalized: '矩阵路1号',
      street_code: '310112006',
      committee_code: COMMITTEE,
      grid_code: GRID,
      lon: 121.38,
      lat: 31.15,
    },
  ]);
  await insertJsonRows(database.db, 'base_dwellings', [
    {
      id: 'matrix-dwl',
      address_id: ADDRESS,
      use: 'residential',
      occupancy: 'rented',
      area_m2: 50,
      rooms: 2,
      note: null,
    },
  ]);
  const first17 = '99011219900101001';
  await insertJsonRows(database.db, 'base_people', [
    personRow(piiKeyring(), {
      id: 'matrix-person',
      name: '矩阵人',
      idType: 'resident_id',
      idNumber: `${first17}${residentIdCheckChar(first17)}`,
      sex: 'male',
      birthDate: '1990-01-01',
      phone: '14000000001',
      hukou: 'local',
      dwellingId: 'matrix-dwl',
      movedInOn: null,
      leftOn: null,
      status: 'present',
    }),
  ]);
  await insertJsonRows(database.db, 'base_units', [
    unitRow(piiKeyring(), {
      id: 'matrix-unit',
      name: '矩阵小吃店',
      creditCode: null,
      kind: 'individual',
      industry: 'catering',
      licenceStatus: 'none',
      licenceNo: null,
      licenceExpiresOn: null,
      addressId: ADDRESS,
      responsiblePerson: '矩阵老板',
      phone: '14000000002',
      employees: 2,
      status: 'active',
    }),
  ]);
  for (const [who, actor] of actors) access.set(who, await loadBaseInfoAccess(database.db, actor));
}

const inTerritory = (who: string) => placeInRegions(access.get(who)?.regions ?? [], GRID);
const signedIn = (who: string): Outcome => (who === ANONYMOUS ? 401 : 'ok');
const listed =
  (sees: (a: BaseInfoAccess) => boolean, id: string) =>
  (body: unknown, who: string): string | null => {
    const items = (body as { items?: { id: string }[] }).items ?? [];
    const expected = sees(access.get(who)!) && inTerritory(who);
    return items.some((i) => i.id === id) === expected ? null : `${id} ${expected ? 'missing' : 'listed'}`;
  };
const seesPeople = (a: BaseInfoAccess) => a.slice.people === 'masked' || a.slice.people === 'household';
const seesUnits = (a: BaseInfoAccess) => a.slice.units !== 'none';
const unmask =
  (sees: (a: BaseInfoAccess) => boolean, may: (a: BaseInfoAccess) => boolean) =>
  (who: string): Outcome => {
    if (who === ANONYMOUS) return 401;
    const a = access.get(who)!;
    if (!sees(a) || !inTerritory(who)) return 404;
    return may(a) ? 'ok' : 403;
  };
const reason = { reason: '访问矩阵核查' };

export const BASE_INFO_CHECKS = () => [
  {
    route: 'GET /api/v1/base/addresses',
    request: () => ({ url: `/api/v1/base/addresses?q=${encodeURIComponent('矩阵路 1号')}` }),
    expect: signedIn,
    verify: listed((a) => a.slice.addresses, ADDRESS),
  },
  {
    route: 'GET /api/v1/base/addresses/nearest',
    request: () => ({ url: '/api/v1/base/addresses/nearest?lon=121.38&lat=31.15' }),
    expect: signedIn,
    verify: listed((a) => a.slice.addresses, ADDRESS),
  },
  {
    route: 'GET /api/v1/base/map',
    request: () => ({ url: '/api/v1/base/map?minLon=121.3&minLat=31.1&maxLon=121.5&maxLat=31.2' }),
    expect: signedIn,
  },
  {
    route: 'GET /api/v1/base/addresses/{id}',
    request: () => ({ url: `/api/v1/base/addresses/${ADDRESS}` }),
    expect: (who: string): Outcome =>
      who === ANONYMOUS ? 401 : access.get(who)!.slice.addresses && inTerritory(who) ? 'ok' : 404,
    verify: (body: unknown, who: string) => {
      const file = body as { occupants: { name: string }[] | null; units: unknown[] | null };
      const a = access.get(who)!;
      if ((file.occupants !== null) !== seesPeople(a)) return 'occupants against the slice';
      if (file.occupants?.some((o) => o.name === '矩阵人')) return 'an occupant unmasked';
      if ((file.units !== null) !== seesUnits(a)) return 'units against the slice';
      return null;
    },
  },
  {
    route: 'GET /api/v1/base/people',
    request: () => ({ url: '/api/v1/base/people?limit=10' }),
    expect: signedIn,
    verify: listed(seesPeople, 'matrix-person'),
  },
  {
    route: 'GET /api/v1/base/people/export',
    request: () => ({ url: '/api/v1/base/people/export?format=csv' }),
    expect: signedIn,
  },
  {
    route: 'POST /api/v1/base/people/{id}/unmask',
    request: () => ({ url: '/api/v1/base/people/matrix-person/unmask', payload: reason }),
    expect: unmask(seesPeople, (a) => a.slice.unmaskPeople),
  },
  {
    route: 'GET /api/v1/base/units',
    request: () => ({ url: '/api/v1/base/units?limit=10' }),
    expect: signedIn,
    verify: listed(seesUnits, 'matrix-unit'),
  },
  {
    route: 'GET /api/v1/base/units/export',
    request: () => ({ url: '/api/v1/base/units/export' }),
    expect: signedIn,
  },
  {
    route: 'POST /api/v1/base/units/{id}/unmask',
    request: () => ({ url: '/api/v1/base/units/matrix-unit/unmask', payload: reason }),
    expect: unmask(seesUnits, (a) => a.slice.unmaskUnits),
  },
];
