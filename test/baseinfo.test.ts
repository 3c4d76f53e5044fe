import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { piiKeyring, piiKeyringOf, setPiiKeyring } from '../src/app/baseinfo/pii.ts';
import { insertJsonRows, personRow, unitRow } from '../src/app/baseinfo/records.ts';
import { piiKeysInUse, rotatePiiKey } from '../src/app/baseinfo/rotate-pii-key.ts';
import { SILENT } from '../src/app/logger.ts';
import { newSessionToken, tokenHash } from '../src/app/identity/tokens.ts';
import { addressCode, addressText, normalizeAddress, splitAddress } from '../src/core/baseinfo/address.ts';
import { creditCodeCheckChar, residentIdCheckChar } from '../src/core/baseinfo/validate.ts';
import type { Person } from '../src/core/baseinfo/types.ts';
import type { Database } from '../src/db/database.ts';
import { apiClient, ok, type Api } from './support/api.ts';
import { caseApp, caseClock, seedCaseFixture, T, type TestUser } from './support/cases.ts';
import { createTestDatabase, TEST_PII_KEYRING } from './support/database.ts';

/**
 * Base information and the one-address file through the HTTP API (issue 12): search variants, the
 * nearest addresses, the file cut per role, masked people, audited unmask, lookups through the keyed
 * hash, a case linked to an address, key rotation. Runs on PGlite and, with TEST_DATABASE_URL, on
 * PostgreSQL.
 */

const idOf = (first17: string) => `${first17}${residentIdCheckChar(first17)}`;
const ID_A = idOf('99011219800101001'); // 990112: the demo's unassigned region prefix
const ID_B = idOf('99011219921231002');
const PHONE_A = '14000001234';
const CREDIT = `91990112MA1B2C3D4${creditCodeCheckChar('91990112MA1B2C3D4')}`;

let database: Database & { url?: string };
let app: FastifyInstance;
let users: Map<string, TestUser>;
const api = (username: string): Api => apiClient(app, users.get(username)!.auth);
const ids: Record<string, string> = {};

async function addAddress(
  text: string,
  point: { lon: number; lat: number },
  committee: string,
  grid: string,
  parentId: string | null,
  street: string = T.gumei,
): Promise<string> {
  const segments = splitAddress(normalizeAddress(text));
  if (!segments) throw new Error(`cannot split ${text}`);
  const id = `a-${Object.keys(ids).length}-${text}`;
  const full = addressText(segments);
  await insertJsonRows(database.db, 'base_addresses', [
    {
      id,
      code: addressCode(street, segments),
      level: segments[segments.length - 1]!.level,
      parent_id: parentId,
      name: segments[segments.length - 1]!.name,
      full_text: full,
      normalized: normalizeAddress(full),
      street_code: street,
      committee_code: committee,
      grid_code: grid,
      lon: point.lon,
      lat: point.lat,
    },
  ]);
  ids[text] = id;
  return id;
}

async function addUser(username: string, role: string, departmentId: string): Promise<TestUser> {
  const row = await database.db
    .insertInto('users')
    .values({
      username,
      display_name: username,
      password_hash: 'not-a-hash',
      role: role as never,
      unit_kind: 'department',
      unit_code: null,
      department_id: departmentId,
      phone: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const token = newSessionToken();
  await database.db
    .insertInto('sessions')
    .values({
      token_hash: tokenHash(token),
      user_id: row.id,
      created_at: new Date('2020-01-01T00:00:00Z'),
      expires_at: new Date('2099-01-01T00:00:00Z'),
      address: null,
      user_agent: null,
    })
    .execute();
  const user = { id: row.id, token, actor: null as never, auth: { authorization: `Bearer ${token}` } };
  users.set(username, user);
  return user;
}

beforeAll(async () => {
  database = await createTestDatabase();
  users = await seedCaseFixture(database);
  const clock = caseClock();
  app = await caseApp(database, clock.now);
  await database.db
    .insertInto('departments')
    .values({
      id: 'market-310112006',
      name: '古美市场监管所',
      type: 'market_regulation',
      level: 'street',
      region_code: T.gumei,
    })
    .execute();
  await database.db
    .insertInto('department_coverage')
    .values({ department_id: 'market-310112006', region_code: T.gumei })
    .execute();
  await addUser('market.a', 'dept_handler', 'market-310112006');

  const p = T.inGumeiC1;
  const lane = await addAddress('古美路1弄', p, T.gumeiC1, T.gumeiG1, null);
  const building = await addAddress('古美路1弄3号', p, T.gumeiC1, T.gumeiG1, lane);
  const room = await addAddress('古美路1弄3号502室', p, T.gumeiC1, T.gumeiG1, building);
  await addAddress('古美路1弄13号', { lon: p.lon + 0.002, lat: p.lat }, T.gumeiC1, T.gumeiG1, lane);
  const shop = await addAddress(
    '古美路88号',
    { lon: p.lon + 0.0001, lat: p.lat },
    T.gumeiC1,
    T.gumeiG1,
    null,
  );
  await addAddress('新虹路5弄2号', T.inXinhong, T.xinhongC1, T.xinhongG1, null, T.xinhong);
  await insertJsonRows(database.db, 'base_dwellings', [
    {
      id: 'd-room',
      address_id: room,
      use: 'residential',
      occupancy: 'rented',
      area_m2: 40,
      rooms: 2,
      note: null,
    },
    {
      id: 'd-shop',
      address_id: shop,
      use: 'shop',
      occupancy: 'rented',
      area_m2: 30,
      rooms: null,
      note: null,
    },
  ]);
  const person = (id: string, idNumber: string, name: string, phone: string | null): Person => ({
    id,
    name,
    idType: 'resident_id',
    idNumber,
    sex: 'male',
    birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
    phone,
    hukou: 'migrant',
    dwellingId: 'd-room',
    movedInOn: '2024-01-01',
    leftOn: null,
    status: 'present',
  });
  await insertJsonRows(database.db, 'base_people', [
    personRow(piiKeyring(), person('p-a', ID_A, '王小明', PHONE_A)),
    personRow(piiKeyring(), person('p-b', ID_B, '李大华', null)),
  ]);
  await insertJsonRows(database.db, 'base_units', [
    unitRow(piiKeyring(), {
      id: 'u-1',
      name: '鑫盛小吃店',
      creditCode: CREDIT,
      kind: 'individual',
      industry: 'catering',
      licenceStatus: 'none',
      licenceNo: null,
      licenceExpiresOn: null,
      addressId: shop,
      responsiblePerson: '赵老板',
      phone: '14000009999',
      employees: 3,
      status: 'active',
    }),
  ]);
});

afterAll(async () => {
  await app?.close();
  await database?.close();
  setPiiKeyring(TEST_PII_KEYRING);
});

describe('address search', () => {
  it('finds an address however the operator types it, inside the territory only', async () => {
    for (const q of [
      '古美路1弄 3号 502',
      '古美路１弄３號５０２室',
      '上海市闵行区古美路1弄3号502',
      '1弄 3号',
    ]) {
      const found = ok(await api('station.a1').GET('/api/v1/base/addresses', { params: { query: { q } } }));
      expect(
        found.items.map((a) => a.fullText),
        q,
      ).toContain('古美路1弄3号502室');
    }
    const gumei = ok(
      await api('dispatcher.a').GET('/api/v1/base/addresses', { params: { query: { q: '古美' } } }),
    );
    expect(gumei.items.length).toBeGreaterThan(0);
    expect(gumei.items.every((a) => a.streetCode === T.gumei)).toBe(true);
    // 新虹's dispatcher sees 新虹's addresses only
    const other = ok(
      await api('dispatcher.b').GET('/api/v1/base/addresses', { params: { query: { q: '古美' } } }),
    );
    expect(other.items).toEqual([]);
    const xinhong = ok(
      await api('dispatcher.b').GET('/api/v1/base/addresses', { params: { query: { q: '新虹路5弄' } } }),
    );
    expect(xinhong.items.map((a) => a.fullText)).toEqual(['新虹路5弄2号']);
    // a citizen sees no base information
    const citizen = ok(
      await api('citizen1').GET('/api/v1/base/addresses', { params: { query: { q: '古美' } } }),
    );
    expect(citizen.items).toEqual([]);
  });

  it('offers the nearest addresses to a point, nearest first', async () => {
    const near = ok(
      await api('patroller.a').GET('/api/v1/base/addresses/nearest', {
        params: { query: { lon: T.inGumeiC1.lon + 0.00005, lat: T.inGumeiC1.lat } },
      }),
    );
    expect(
      near.items
        .map((a) => a.fullText)
        .slice(0, 2)
        .sort(),
    ).toEqual(['古美路1弄3号', '古美路88号']);
    expect(near.items.map((a) => a.fullText)).not.toContain('古美路1弄13号'); // ~190 m away
    expect(near.items[0]!.distanceM).toBeLessThanOrEqual(near.items[1]!.distanceM);
  });
});

describe('the one-address file (一址一档)', () => {
  it('shows occupants masked to a grid patroller, who may not unmask', async () => {
    const file = ok(
      await api('patroller.a').GET('/api/v1/base/addresses/{id}', {
        params: { path: { id: ids['古美路1弄3号502室']! } },
      }),
    );
    expect(file.dwelling).toMatchObject({ use: 'residential', occupants: 2 });
    expect(file.ancestors.map((a) => a.name)).toEqual(['古美路1弄', '3号']);
    const names = file.occupants!.map((o) => o.name).sort();
    expect(names).toEqual(['李**', '王**']);
    const a = file.occupants!.find((o) => o.id === 'p-a')!;
    expect(a.idNumber).toBe(`990${'*'.repeat(11)}${ID_A.slice(-4)}`);
    expect(a.phone).toBe('140****1234');
    expect(a).toMatchObject({ masked: true, canUnmask: false, birthDate: null });
    const refused = await api('patroller.a').POST('/api/v1/base/people/{id}/unmask', {
      params: { path: { id: 'p-a' } },
      body: { reason: '核实居住情况' },
    });
    expect(refused.response.status).toBe(403);
  });

  it('lets the station’s community officer unmask one person with a reason, audited', async () => {
    const file = ok(
      await api('police.a').GET('/api/v1/base/addresses/{id}', {
        params: { path: { id: ids['古美路1弄3号502室']! } },
      }),
    );
    const a = file.occupants!.find((o) => o.id === 'p-a')!;
    expect(a).toMatchObject({
      masked: true,
      canUnmask: true,
      birthDate: '1980-01-01',
      movedInOn: '2024-01-01',
    });
    const shown = ok(
      await api('police.a').POST('/api/v1/base/people/{id}/unmask', {
        params: { path: { id: 'p-a' } },
        body: { reason: '群租排查，需联系租户' },
      }),
    );
    expect(shown).toMatchObject({ name: '王小明', idNumber: ID_A, phone: PHONE_A, masked: false });
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'target', 'payload', 'actor_id'])
      .where('action', '=', 'baseinfo.person.unmask')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ target: 'person:p-a', actor_id: users.get('police.a')!.id });
    expect((audit[0]!.payload as { reason: string }).reason).toBe('群租排查，需联系租户');
    // no reason, no data
    const blank = await api('police.a').POST('/api/v1/base/people/{id}/unmask', {
      params: { path: { id: 'p-a' } },
      body: { reason: '  \u200b ' },
    });
    expect(blank.response.status).toBe(400);
    // another station's officer does not even learn the person exists
    const other = await api('police.b').POST('/api/v1/base/people/{id}/unmask', {
      params: { path: { id: 'p-a' } },
      body: { reason: '核实' },
    });
    expect(other.response.status).toBe(404);
  });

  it('cuts the file per role: housing sees counts, market regulation sees licences, outsiders get 404', async () => {
    const housing = ok(
      await api('housing.a').GET('/api/v1/base/addresses/{id}', {
        params: { path: { id: ids['古美路1弄3号502室']! } },
      }),
    );
    expect(housing).toMatchObject({ occupantCount: 2, occupants: null, units: null });
    const shopFile = ok(
      await api('market.a').GET('/api/v1/base/addresses/{id}', {
        params: { path: { id: ids['古美路88号']! } },
      }),
    );
    expect(shopFile.units).toHaveLength(1);
    expect(shopFile.units![0]).toMatchObject({
      licenceStatus: 'none',
      responsiblePerson: '赵**',
      phone: '140****9999',
      canUnmask: true,
    });
    expect(shopFile.occupants).toBeNull();
    const patrol = ok(
      await api('patroller.a').GET('/api/v1/base/addresses/{id}', {
        params: { path: { id: ids['古美路88号']! } },
      }),
    );
    expect(patrol.units![0]).toMatchObject({ licenceNo: null, responsiblePerson: null, phone: null });
    const outside = await api('dispatcher.b').GET('/api/v1/base/addresses/{id}', {
      params: { path: { id: ids['古美路88号']! } },
    });
    expect(outside.response.status).toBe(404);
    const wrongGrid = await api('patroller.a2').GET('/api/v1/base/addresses/{id}', {
      params: { path: { id: ids['古美路88号']! } },
    });
    expect(wrongGrid.response.status).toBe(404);
  });

  it('lists a case reported at the address, and one reported a few metres away', async () => {
    const linked = ok(
      await api('patroller.a').POST('/api/v1/cases', {
        body: {
          category: '0101',
          description: '楼道堆物',
          location: { lon: T.inGumeiC1.lon + 0.001, lat: T.inGumeiC1.lat },
          addressId: ids['古美路1弄3号502室']!,
        },
      }),
    );
    expect(linked.case.address).toBe('古美路1弄3号502室');
    const nearby = ok(
      await api('patroller.a').POST('/api/v1/cases', {
        body: {
          category: '0101',
          description: '门口垃圾',
          location: { lon: T.inGumeiC1.lon + 0.0001, lat: T.inGumeiC1.lat },
        },
      }),
    );
    const file = ok(
      await api('dispatcher.a').GET('/api/v1/base/addresses/{id}', {
        params: { path: { id: ids['古美路1弄3号']! } },
      }),
    );
    const cases = file.timeline.filter((e) => e.kind === 'case');
    expect(cases.map((c) => c.ref).sort()).toEqual([linked.case.id, nearby.case.id].sort());
    expect(cases.find((c) => c.ref === linked.case.id)!.distanceM).toBeNull();
    expect(cases.find((c) => c.ref === nearby.case.id)!.distanceM).toBeGreaterThan(0);
    // a case outside the dispatcher's scope is not in the file: 新虹's dispatcher does not even see the file
    // an address in another street is refused at intake
    const wrong = await api('patroller.a').POST('/api/v1/cases', {
      body: {
        category: '0101',
        description: '错地址',
        location: T.inGumeiC1,
        addressId: ids['新虹路5弄2号']!,
      },
    });
    expect(wrong.response.status).toBe(400);
    expect(wrong.error).toMatchObject({ reason: 'address_outside_case_territory' });
    const unknown = await api('patroller.a').POST('/api/v1/cases', {
      body: { category: '0101', description: '没有的地址', location: T.inGumeiC1, addressId: 'nope' },
    });
    expect(unknown.error).toMatchObject({ reason: 'unknown_address' });
  });
});

describe('the file’s one timeline across departments', () => {
  const fileOf = async (who: string, text: string) =>
    ok(await api(who).GET('/api/v1/base/addresses/{id}', { params: { path: { id: ids[text]! } } })).timeline;
  const kinds = <E extends { kind: string }>(timeline: E[], kind: string) =>
    timeline.filter((e) => e.kind === kind);

  beforeAll(async () => {
    const { db } = database;
    const at = new Date('2026-03-10T02:00:00Z');
    await db
      .insertInto('screening_campaigns')
      .values({
        id: 'camp-1',
        name: '古美群租排摸',
        theme: 'group_renting',
        territory: [T.gumei],
        target_rule: JSON.stringify({ rule: 'all_residential' }) as never,
        rounds: 2,
        round_work_days: 10,
        starts_on: '2026-03-01',
        ends_on: '2026-04-30',
        owner_code: T.gumei,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await db
      .insertInto('screening_rounds')
      .values({ campaign_id: 'camp-1', round_no: 1, opened_at: at, generated_at: at, due_at: at })
      .execute();
    const task = (id: string, kind: 'dwelling' | 'unit', targetId: string, addressId: string) => ({
      id,
      campaign_id: 'camp-1',
      round_no: 1,
      target_kind: kind,
      target_id: targetId,
      address_id: addressId,
      street_code: T.gumei,
      committee_code: T.gumeiC1,
      grid_code: T.gumeiG1,
      due_at: at,
    });
    await db
      .insertInto('screening_tasks')
      .values([
        task('task-room', 'dwelling', 'd-room', ids['古美路1弄3号502室']!),
        task('task-shop', 'unit', 'u-1', ids['古美路88号']!),
      ])
      .execute();
    await db
      .insertInto('screening_visits')
      .values([
        {
          id: 'visit-room',
          task_id: 'task-room',
          campaign_id: 'camp-1',
          round_no: 1,
          visitor_id: users.get('coordinator.a1')!.id,
          at: new Date('2026-03-11T02:00:00Z'),
          outcome: 'nobody_home',
          answers: JSON.stringify({ occupants: 9 }) as never,
        },
        {
          id: 'visit-shop',
          task_id: 'task-shop',
          campaign_id: 'camp-1',
          round_no: 1,
          visitor_id: users.get('patroller.a')!.id,
          at: new Date('2026-03-12T02:00:00Z'),
          outcome: 'problem_found',
        },
      ])
      .execute();
    const patrol = (id: string, who: string, grid: string) => ({
      id,
      user_id: users.get(who)!.id,
      unit_code: grid,
      street_code: T.gumei,
      started_at: at,
    });
    await db
      .insertInto('patrols')
      .values([patrol('patrol-a', 'patroller.a', T.gumeiG1), patrol('patrol-a2', 'patroller.a2', T.gumeiG2)])
      .execute();
    const shop = { lon: T.inGumeiC1.lon + 0.0001, lat: T.inGumeiC1.lat };
    const checkin = (id: string, patrolId: string, lon: number, note: string) => ({
      id,
      patrol_id: patrolId,
      client_id: id,
      at: new Date('2026-03-13T02:00:00Z'),
      lon,
      lat: shop.lat,
      note,
      grid_code: T.gumeiG1,
      day: '2026-03-13',
    });
    await db
      .insertInto('patrol_checkins')
      .values([
        checkin('ck-near', 'patrol-a', shop.lon + 0.00005, '店门口检查'), // ~5 m east of 古美路88号
        checkin('ck-far', 'patrol-a', shop.lon + 0.001, '远处'), // ~95 m away
        checkin('ck-other', 'patrol-a2', shop.lon - 0.00005, '乙打卡'), // another patroller, ~5 m west
      ])
      .execute();
  });

  it('lists screening visits at the address, cut to what each role sees of dwellings and businesses', async () => {
    const room = await fileOf('dispatcher.a', '古美路1弄3号502室');
    expect(kinds(room, 'visit')).toEqual([
      {
        kind: 'visit',
        at: '2026-03-11T02:00:00.000Z',
        ref: 'visit-room',
        title: '古美群租排摸',
        status: 'nobody_home',
        detail: '协管员甲',
        distanceM: null,
      },
    ]);
    // the form's answers (what was counted, who was met) never reach the timeline
    expect(JSON.stringify(room)).not.toContain('occupants');
    // a building's file holds the visits of its rooms
    expect(kinds(await fileOf('dispatcher.a', '古美路1弄3号'), 'visit').map((e) => e.ref)).toEqual([
      'visit-room',
    ]);
    // the grid patroller and the police see the dwelling's visit; housing too (it sees dwellings)
    for (const who of ['patroller.a', 'police.a', 'housing.a'])
      expect(
        kinds(await fileOf(who, '古美路1弄3号502室'), 'visit').map((e) => e.ref),
        who,
      ).toEqual(['visit-room']);
    // the business's visit: market regulation and the grid see it, housing (no businesses) does not
    for (const who of ['market.a', 'patroller.a', 'dispatcher.a'])
      expect(
        kinds(await fileOf(who, '古美路88号'), 'visit').map((e) => e.status),
        who,
      ).toEqual(['problem_found']);
    expect(kinds(await fileOf('housing.a', '古美路88号'), 'visit')).toEqual([]);
  });

  it('lists patrol check-ins within 30 m to those who may see the patrols only', async () => {
    const byPatroller = kinds(await fileOf('patroller.a', '古美路88号'), 'checkin');
    // the patroller sees their own check-in next door, not the far one, not another patroller's
    expect(byPatroller).toEqual([
      {
        kind: 'checkin',
        at: '2026-03-13T02:00:00.000Z',
        ref: 'patrol-a',
        title: '巡管员甲',
        status: null,
        detail: '店门口检查',
        distanceM: 5,
      },
    ]);
    // the street centre and the district see every patroller's check-ins of the street
    for (const who of ['dispatcher.a', 'lead.a', 'dist.dispatcher'])
      expect(
        kinds(await fileOf(who, '古美路88号'), 'checkin')
          .map((e) => e.detail)
          .sort(),
        who,
      ).toEqual(['乙打卡', '店门口检查']);
    // tracks are personal data: departments, the police and the work station see none
    for (const who of ['market.a', 'police.a', 'housing.a', 'station.a1'])
      expect(kinds(await fileOf(who, '古美路88号'), 'checkin'), who).toEqual([]);
  });
});

describe('people and businesses', () => {
  it('finds a person by whole ID or phone number through the keyed hash, masked', async () => {
    const byId = ok(
      await api('police.a').GET('/api/v1/base/people', {
        params: { query: { idNumber: ID_B.toLowerCase() } },
      }),
    );
    expect(byId.items.map((p) => p.id)).toEqual(['p-b']);
    expect(byId.items[0]!.idNumber).not.toBe(ID_B);
    const byPhone = ok(
      await api('police.a').GET('/api/v1/base/people', { params: { query: { phone: '140 0000 1234' } } }),
    );
    expect(byPhone.items.map((p) => p.id)).toEqual(['p-a']);
    const byName = ok(
      await api('dispatcher.a').GET('/api/v1/base/people', { params: { query: { name: '小明' } } }),
    );
    expect(byName).toMatchObject({ total: 1, items: [{ id: 'p-a', name: '王**' }] });
    // a partial ID number matches nothing (no range scans over personal data)
    const partial = ok(
      await api('police.a').GET('/api/v1/base/people', {
        params: { query: { idNumber: ID_B.slice(0, 10) } },
      }),
    );
    expect(partial.total).toBe(0);
    // outside the territory, and for roles without people, nothing
    expect(
      ok(await api('police.b').GET('/api/v1/base/people', { params: { query: { idNumber: ID_B } } })).total,
    ).toBe(0);
    expect(ok(await api('housing.a').GET('/api/v1/base/people', { params: { query: {} } })).total).toBe(0);
  });

  it('finds a business by credit code or name, with its licence for market regulation', async () => {
    const byCode = ok(await api('market.a').GET('/api/v1/base/units', { params: { query: { q: CREDIT } } }));
    expect(byCode.items).toMatchObject([{ id: 'u-1', licenceStatus: 'none' }]);
    const unlicensed = ok(
      await api('market.a').GET('/api/v1/base/units', {
        params: { query: { industry: 'catering', licenceStatus: 'none' } },
      }),
    );
    expect(unlicensed.total).toBe(1);
    const shown = ok(
      await api('market.a').POST('/api/v1/base/units/{id}/unmask', {
        params: { path: { id: 'u-1' } },
        body: { reason: '无证经营核查' },
      }),
    );
    expect(shown).toMatchObject({ responsiblePerson: '赵老板', phone: '14000009999', masked: false });
    expect(
      ok(await api('dispatcher.b').GET('/api/v1/base/units', { params: { query: { q: '鑫盛' } } })).total,
    ).toBe(0);
  });
});

describe('list export (.xlsx, CSV)', () => {
  const download = (who: string, url: string) =>
    app.inject({ method: 'GET', url, headers: users.get(who)!.auth });

  it('exports the people list with its filters as .xlsx: frozen Chinese header, typed dates, masked, audited', async () => {
    const res = await download(
      'police.a',
      '/api/v1/base/people/export?hukou=migrant&name=%E5%B0%8F%E6%98%8E',
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).value).toBe('姓名');
    expect(sheet.getRow(1).getCell(3).value).toBe('证件号码');
    expect(sheet.rowCount).toBe(2); // the name filter: 王小明 only
    const row = sheet.getRow(2);
    expect(row.getCell(1).value).toBe('王**');
    expect(String(row.getCell(3).value)).not.toContain(ID_A);
    expect(String(row.getCell(3).value)).toMatch(/\*/);
    expect(row.getCell(7).value).toBe('来沪人员');
    // the police slice carries the move-in date: a real Excel date
    expect(row.getCell(9).value).toBeInstanceOf(Date);
    expect((row.getCell(9).value as Date).toISOString().slice(0, 10)).toBe('2024-01-01');
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['payload'])
      .where('action', '=', 'baseinfo.people.export')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.payload).toMatchObject({ format: 'xlsx', rows: 1, filter: { hukou: 'migrant' } });
  });

  it('exports units as CSV with a BOM, masked; roles without the slice get the header only', async () => {
    const res = await download('market.a', '/api/v1/base/units/export?format=csv&industry=catering');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body.charCodeAt(0)).toBe(0xfeff);
    const lines = res.body.slice(1).trim().split(/\r?\n/);
    expect(lines[0]!.split(',').slice(0, 4)).toEqual(['单位名称', '统一社会信用代码', '单位类型', '行业']);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('鑫盛小吃店');
    expect(lines[1]).toContain('餐饮');
    expect(lines[1]).not.toContain('14000009999');
    expect(lines[1]).not.toContain('赵老板');
    const other = await download('dispatcher.b', '/api/v1/base/units/export?format=csv');
    expect(other.body.slice(1).trim().split(/\r?\n/)).toHaveLength(1);
    const hostile = await download('market.a', '/api/v1/base/units/export?format=pdf');
    expect(hostile.statusCode).toBe(400);
  });
});

describe('personal data at rest', () => {
  it('stores no ID or phone number in clear, and a key rotation re-encrypts and re-hashes every row', async () => {
    const raw = JSON.stringify(await database.db.selectFrom('base_people').selectAll().execute());
    expect(raw).not.toContain(ID_A);
    expect(raw).not.toContain(PHONE_A);
    const old = piiKeyring();
    const rotated = piiKeyringOf([
      Buffer.from('a brand new key for this rotation test!!', 'utf8'),
      Buffer.from('liandong test pii key, not a secret at all', 'utf8'),
    ]);
    expect(rotated.keys[1]!.id).toBe(old.current.id);
    setPiiKeyring(rotated);
    try {
      // while rotating, lookups still find rows under the old key
      expect(
        ok(await api('police.a').GET('/api/v1/base/people', { params: { query: { idNumber: ID_A } } })).total,
      ).toBe(1);
      const report = await rotatePiiKey({ database, log: SILENT }, rotated, { batchSize: 1 });
      expect(report).toMatchObject({ people: 2, units: 1, keysInUse: [rotated.current.id] });
      expect(await piiKeysInUse(database)).toEqual([rotated.current.id]);
      // the new key alone reads everything
      setPiiKeyring(piiKeyringOf([Buffer.from('a brand new key for this rotation test!!', 'utf8')]));
      expect(
        ok(await api('police.a').GET('/api/v1/base/people', { params: { query: { idNumber: ID_A } } })).total,
      ).toBe(1);
      const shown = ok(
        await api('police.a').POST('/api/v1/base/people/{id}/unmask', {
          params: { path: { id: 'p-a' } },
          body: { reason: '轮换后核对' },
        }),
      );
      expect(shown.idNumber).toBe(ID_A);
      // a second pass has nothing to do
      expect(await rotatePiiKey({ database, log: SILENT }, piiKeyring())).toMatchObject({
        people: 0,
        units: 0,
      });
    } finally {
      // back to the test key for the other tests of this worker
      setPiiKeyring(TEST_PII_KEYRING);
    }
  });
});

describe('map layers', () => {
  const box = () => ({
    minLon: T.inGumeiC1.lon - 0.01,
    minLat: T.inGumeiC1.lat - 0.01,
    maxLon: T.inGumeiC1.lon + 0.01,
    maxLat: T.inGumeiC1.lat + 0.01,
  });

  it('shows businesses with their licence flag, and only the dwellings with a risk, cut per role', async () => {
    // a 20 m² flat with 5 registered occupants (4 m² each: 群租) and a workshop in the same building
    const p = T.inGumeiC1;
    const flat = await addAddress('古美路1弄3号601室', p, T.gumeiC1, T.gumeiG1, ids['古美路1弄3号']!);
    const shed = await addAddress('古美路1弄3号101室', p, T.gumeiC1, T.gumeiG1, ids['古美路1弄3号']!);
    await insertJsonRows(database.db, 'base_dwellings', [
      {
        id: 'd-crowded',
        address_id: flat,
        use: 'residential',
        occupancy: 'rented',
        area_m2: 20,
        rooms: 1,
        note: null,
      },
      {
        id: 'd-workshop',
        address_id: shed,
        use: 'workshop',
        occupancy: 'rented',
        area_m2: 30,
        rooms: null,
        note: null,
      },
    ]);
    await insertJsonRows(
      database.db,
      'base_people',
      [1, 2, 3, 4, 5].map((i) =>
        personRow(piiKeyring(), {
          id: `p-crowd-${i}`,
          name: `租客${i}`,
          idType: 'resident_id',
          idNumber: idOf(`9901121990010100${i}`),
          sex: 'male',
          birthDate: '1990-01-01',
          phone: null,
          hukou: 'migrant',
          dwellingId: 'd-crowded',
          movedInOn: null,
          leftOn: null,
          status: 'present',
        }),
      ),
    );

    const market = ok(await api('market.a').GET('/api/v1/base/map', { params: { query: box() } }));
    expect(market.units.features.map((f) => [f.properties.id, f.properties.risks])).toEqual([
      ['u-1', ['unlicensed']],
    ]);
    const grid = ok(await api('patroller.a').GET('/api/v1/base/map', { params: { query: box() } }));
    const flagged = Object.fromEntries(
      grid.dwellings.features.map((f) => [f.properties.id, f.properties.risks]),
    );
    // d-room (40 m², 2 people) is fine and not on the map
    expect(flagged).toEqual({ 'd-crowded': ['crowded'], 'd-workshop': ['workshop_in_residential'] });
    expect(JSON.stringify(grid)).not.toContain('租客');
    // outside the territory: nothing
    const other = ok(await api('dispatcher.b').GET('/api/v1/base/map', { params: { query: box() } }));
    expect(other.units.features.length + other.dwellings.features.length).toBe(0);
    // only the flagged businesses
    const only = ok(
      await api('market.a').GET('/api/v1/base/map', { params: { query: { ...box(), risks: 'only' } } }),
    );
    expect(only.units.features).toHaveLength(1);
  });
});
